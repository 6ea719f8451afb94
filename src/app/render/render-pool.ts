/**
 * A small pool of render worker threads. Each task gets a wall-clock timeout and each worker a
 * heap limit (resourceLimits); a task that trips one fails alone (422 RENDER_TIMEOUT /
 * RENDER_MEMORY_EXCEEDED), its worker is ended and a new one takes its place. The event loop
 * only posts messages, so `/api/health` and every other request keep answering while renders
 * run. Tasks wait in a bounded queue (503 RENDER_BUSY past it).
 *
 * A worker due for replacement in the normal course (its heap grew, or its count of renders is
 * reached) keeps rendering until its replacement is ready, and only then is ended: starting a
 * worker takes a fraction of a second of CPU, and at 500 print requests a second a pool that ended
 * the worker first fell behind for about half a second each time (p99 54–168 ms against 20–26 ms,
 * some requests refused RENDER_BUSY). A worker that timed out, died or ran out of memory is gone
 * at once: its replacement starts when a task waits.
 */
import { Worker } from 'node:worker_threads'
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import type { Logger } from 'pino'
import { AppError, RenderLimitError } from '../../domain/errors.ts'
import type { RenderConfig } from './render-config.ts'
import { fontSettings } from '../../templates/font-settings.ts'
import { loadSection } from '../../config/load-config.ts'
import type { RenderAnswers, RenderTask } from './render-tasks.ts'
import type { RenderWorkerData, ReplyMessage, TaskMessage } from './render-worker.ts'
import { RENDER_NICE } from './render-nice.ts'

interface Pending {
  id: number
  task: RenderTask
  timeoutMs: number
  resolve(value: unknown): void
  reject(err: unknown): void
}

interface Slot {
  worker: Worker
  ready: boolean
  current: (Pending & { timer: NodeJS.Timeout }) | null
  tasks: number
  /** Set when the pool ended this worker on purpose (timeout, recycling, close). */
  retired: boolean
  /** To be replaced: it keeps rendering until a replacement is ready (see the top of the file). */
  due: boolean
}

/**
 * The worker's entry. Under tsx (development, tests, `npm start`) a worker does not inherit the
 * TypeScript loader, so a small ES module registers tsx first, then imports the entry.
 */
function workerEntry(): URL {
  const ts = import.meta.url.endsWith('.ts')
  const entry = new URL(ts ? './render-worker.ts' : './render-worker.js', import.meta.url)
  const api = ts ? pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/index\.cjs$/, 'index.mjs')).href : null
  // The thread lowers its priority before it loads anything but two of Node's own modules (see
  // RENDER_NICE): loading and compiling the modules is most of what starting a worker costs, and
  // a replacement starts while the server is busy. Threads it starts inherit the priority (under
  // tsx, its loader's thread).
  const boot = [
    `import { readlinkSync } from 'node:fs'`,
    `import { setPriority } from 'node:os'`,
    `try { setPriority(Number(readlinkSync('/proc/thread-self').split('/').pop()), ${RENDER_NICE}) } catch {}`,
    // Imported, not `import … from`: a static import is loaded before this module's first line runs.
    ...(api ? [`const { register } = await import(${JSON.stringify(api)})`, `register()`] : []),
    `await import(${JSON.stringify(entry.href)})`,
  ].join('\n')
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`)
}

/**
 * After a replacement failed to start, none is tried for this long: a worker whose heap stays past
 * the line would otherwise start (and fail) a replacement after every task.
 */
const REPLACE_RETRY_MS = 10_000

export class RenderPool {
  private readonly slots = new Set<Slot>()
  private readonly queue: Pending[] = []
  private nextId = 1
  private spawned = 0
  private closed = false
  private entry: URL | null = null
  /** When a replacement last failed to start (performance.now()); see REPLACE_RETRY_MS. */
  private replaceFailedAt = -Infinity

  constructor(
    readonly config: RenderConfig,
    private log: Logger | null = null,
  ) {}

  useLogger(log: Logger): void {
    this.log = log.child({ component: 'render-pool' })
  }

  /** Runs a task in a worker. Limits: config.timeoutMs (or `timeoutMs`), config.memoryMb. */
  run<K extends RenderTask['kind']>(task: Extract<RenderTask, { kind: K }>, options: { timeoutMs?: number } = {}): Promise<RenderAnswers[K]> {
    if (this.closed) return Promise.reject(new AppError('RENDER_BUSY', 'unavailable', 'The server is stopping; try again.'))
    if (this.queue.length >= this.config.maxQueue) {
      return Promise.reject(new AppError('RENDER_BUSY', 'unavailable', `${this.queue.length} renders are waiting already; try again shortly.`, { waiting: this.queue.length }))
    }
    return new Promise<RenderAnswers[K]>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, timeoutMs: options.timeoutMs ?? this.config.timeoutMs, resolve: resolve as (v: unknown) => void, reject })
      this.pump()
    })
  }

  /** Workers alive now, a worker due for replacement and its starting replacement included. */
  get size(): number {
    return this.slots.size
  }

  /** Workers starting now (not yet ready for a task). */
  get starting(): number {
    let n = 0
    for (const s of this.slots) if (!s.ready) n++
    return n
  }

  /** Workers started since the pool was made (replacements and recycling included). */
  get started(): number {
    return this.spawned
  }

  /**
   * Starts the pool's workers now, before any task asks (the server does it once it listens):
   * started on the first render instead, the first labels after a restart waited for them —
   * about 0.7 s on a 2-core machine.
   */
  warm(): void {
    if (this.closed) return
    while (this.staying() < this.config.workers) this.spawn()
  }

  async close(): Promise<void> {
    this.closed = true
    for (const p of this.queue.splice(0)) p.reject(new AppError('RENDER_BUSY', 'unavailable', 'The server is stopping.'))
    await Promise.all([...this.slots].map((s) => this.retire(s)))
  }

  private pump(): void {
    while (this.queue.length > 0 && !this.closed) {
      const idle = this.idle()
      if (idle) {
        this.dispatch(idle, this.queue.shift()!)
        continue
      }
      if (this.staying() < this.config.workers) {
        this.spawn()
        continue
      }
      return
    }
  }

  /** An idle ready worker, one that stays before one due for replacement. */
  private idle(): Slot | undefined {
    let due: Slot | undefined
    for (const s of this.slots) {
      if (!s.ready || s.current || s.retired) continue
      if (!s.due) return s
      due ??= s
    }
    return due
  }

  /**
   * A replacement could not start: one worker due for replacement stays after all (any one: the
   * pool doesn't pair replacements with the workers they replace), and no replacement is tried for
   * REPLACE_RETRY_MS. True if one was due.
   */
  private keepOneDue(): boolean {
    this.replaceFailedAt = performance.now()
    for (const s of this.slots) {
      if (!s.due) continue
      s.due = false
      return true
    }
    return false
  }

  /** Workers that stay (ready or starting), those due for replacement not counted. */
  private staying(): number {
    let n = 0
    for (const s of this.slots) if (!s.due) n++
    return n
  }

  /** Marks `slot` for replacement and starts the replacement; `slot` renders on meanwhile. */
  private replace(slot: Slot): void {
    if (this.closed || performance.now() - this.replaceFailedAt < REPLACE_RETRY_MS) return
    slot.due = true
    if (this.staying() < this.config.workers) this.spawn()
    this.endReplaced()
  }

  /** Ends the idle workers due for replacement once as many others are ready as the pool runs. */
  private endReplaced(): void {
    let ready = 0
    for (const s of this.slots) if (s.ready && !s.due) ready++
    if (ready < this.config.workers) return
    for (const s of this.slots) if (s.due && !s.current) void this.retire(s)
  }

  private spawn(): void {
    this.entry ??= workerEntry()
    const worker = new Worker(this.entry, {
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: this.config.memoryMb, maxYoungGenerationSizeMb: 32 },
      // A worker draws text with the fonts this thread was configured with.
      workerData: { fonts: fontSettings() } satisfies RenderWorkerData,
    })
    this.spawned++
    const slot: Slot = { worker, ready: false, current: null, tasks: 0, retired: false, due: false }
    this.slots.add(slot)
    worker.unref()
    worker.on('message', (msg: ReplyMessage | { ready: true }) => {
      if ('ready' in msg) {
        slot.ready = true
        this.endReplaced()
        this.pump()
        return
      }
      this.settle(slot, msg)
    })
    worker.on('error', (err: Error & { code?: string }) => this.lost(slot, err))
    worker.on('exit', (code) => this.lost(slot, null, code))
  }

  private dispatch(slot: Slot, p: Pending): void {
    const timer = setTimeout(() => {
      this.log?.warn({ task: p.task.kind, timeoutMs: p.timeoutMs }, 'render timed out: its worker is replaced')
      slot.current = null
      p.reject(new RenderLimitError('RENDER_TIMEOUT', `The render took longer than ${p.timeoutMs} ms and was stopped.`, { timeoutMs: p.timeoutMs }))
      void this.retire(slot).then(() => this.pump())
    }, p.timeoutMs)
    slot.current = { ...p, timer }
    slot.worker.ref()
    slot.worker.postMessage({ id: p.id, task: p.task } satisfies TaskMessage)
  }

  private settle(slot: Slot, msg: ReplyMessage): void {
    const p = slot.current
    if (!p || p.id !== msg.id) return
    clearTimeout(p.timer)
    slot.current = null
    slot.worker.unref()
    // Only renders that finished count toward recycling: a refused input (a hostile preview
    // answered 422 in a millisecond) leaves nothing behind, and counting it would make a client
    // that posts bad ZPL in a loop restart workers (~1 s of CPU each).
    if (msg.ok) slot.tasks++
    const grown = msg.ok && msg.heapBytes > this.config.recycleHeapMb * 1024 * 1024
    if (msg.ok) {
      for (const note of msg.notes) this.log?.warn({ task: p.task.kind, note }, 'render note')
      p.resolve(msg.value)
    } else {
      const e = msg.error
      if (e.code && e.kind) p.reject(new AppError(e.code, e.kind, e.message, e.details))
      else p.reject(Object.assign(new Error(`${e.message} (in a render worker)`), { name: e.name, stack: e.stack }))
    }
    if (grown || slot.tasks >= this.config.tasksPerWorker) this.replace(slot)
    // A due worker that was busy when its replacement became ready ends now.
    this.endReplaced()
    this.pump()
  }

  /** The worker died (heap limit, a crash) or was ended: its task fails, another worker takes over. */
  private lost(slot: Slot, err: (Error & { code?: string }) | null, exitCode?: number): void {
    if (!this.slots.delete(slot) && !slot.current) return
    const p = slot.current
    slot.current = null
    if (p) {
      clearTimeout(p.timer)
      const memory = err?.code === 'ERR_WORKER_OUT_OF_MEMORY'
      this.log?.error({ err, exitCode, task: p.task.kind }, memory ? 'render ran out of its memory: its worker is replaced' : 'render worker died: it is replaced')
      p.reject(
        memory
          ? new RenderLimitError('RENDER_MEMORY_EXCEEDED', `The render needed more than the ${this.config.memoryMb} MB a render may use and was stopped.`, { memoryMb: this.config.memoryMb })
          : new RenderLimitError('RENDER_FAILED', 'The render stopped its worker; nothing else was affected.', { reason: err?.message.slice(0, 200) ?? `exit ${exitCode}` }),
      )
    } else if (!slot.retired && !slot.ready && this.keepOneDue()) {
      // A replacement that can't start: a worker due for replacement renders on, and nothing
      // waiting fails while it can serve it.
      this.log?.warn({ err, exitCode }, 'a replacement render worker could not start: a worker due for replacement renders on')
      // Another due worker whose replacement is ready may end now.
      this.endReplaced()
    } else if (!slot.retired) {
      this.log?.error({ err, exitCode }, 'an idle render worker died: it is replaced')
      // A worker that can't even start would fail every task: fail the oldest waiting one, not loop.
      if (!slot.ready) this.queue.shift()?.reject(new RenderLimitError('RENDER_FAILED', 'A render worker could not start.', { reason: err?.message.slice(0, 200) ?? `exit ${exitCode}` }))
    }
    if (!this.closed) this.pump()
  }

  private async retire(slot: Slot): Promise<void> {
    slot.retired = true
    this.slots.delete(slot)
    await slot.worker.terminate()
  }
}

let shared: RenderPool | null = null
let sharedConfig: RenderConfig | null = null
let sharedLog: Logger | null = null

/** The process's render pool, made on first use (from configureRenderPool's settings, else the defaults of src/config/env-schema.ts). */
export function sharedRenderPool(): RenderPool {
  if (!shared) {
    shared = new RenderPool(sharedConfig ?? loadSection('render', {}))
    if (sharedLog) shared.useLogger(sharedLog)
  }
  return shared
}

/**
 * The composition root's settings (STUDIO_RENDER_*) and logger for the shared pool. The pool is
 * one per process: settings given after it was made are not applied (as with a second server
 * started in one process).
 */
export function configureRenderPool(config: RenderConfig, log: Logger): void {
  sharedConfig = config
  sharedLog = log
  sharedRenderPool().useLogger(log)
}

/** Starts the shared pool's workers (see RenderPool.warm). */
export function warmRenderPool(): void {
  sharedRenderPool().warm()
}

/** Runs a task on the shared pool. */
export function renderInPool<K extends RenderTask['kind']>(task: Extract<RenderTask, { kind: K }>, options?: { timeoutMs?: number }): Promise<RenderAnswers[K]> {
  return sharedRenderPool().run(task, options)
}
