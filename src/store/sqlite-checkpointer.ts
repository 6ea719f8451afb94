import { stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** How often a WAL past CHECKPOINT_WAL_BYTES is checkpointed and, under steady writes, made to start over. */
export const CHECKPOINT_POLL_MS = 2_000
/**
 * How often the WAL is looked at (a question to the checkpoint thread: nothing blocks). Between
 * the passes every CHECKPOINT_POLL_MS, once CHECKPOINT_WAL_BYTES of log wait to be copied
 * (waitingBytes) they get a pass of their own: heavy writing is copied in slices — 4 MiB, or what
 * came in one look when more comes (about 10 MB at 40 MB/s) — not all at once.
 */
export const CHECKPOINT_LOOK_MS = 250
/** A WAL this large is checkpointed (SQLite's own automatic checkpoint starts at 1,000 pages, ~4 MiB). */
export const CHECKPOINT_WAL_BYTES = 4 * 1024 * 1024
/** After a complete checkpoint the next writer truncates the WAL to this (bytes). */
export const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024
/** A tail of the log at most this many frames (~1 MiB) is checkpointed on the writer's own connection. */
export const FINISH_TAIL_FRAMES = 256
/** The WAL file's header (bytes) and each frame's header. */
const WAL_HEADER_BYTES = 32
const FRAME_HEADER_BYTES = 24

/**
 * The checkpoint's own thread: one more connection to the same file that copies the WAL into the
 * database (PASSIVE: never waits for, nor blocks, the server's readers and writers). Plain
 * CommonJS so that it starts without the TypeScript loader.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads')
const Database = require(workerData.driver)
const db = new Database(workerData.path, { fileMustExist: true })
db.pragma('busy_timeout = 5000')
// NOOP (SQLite 3.51+) copies nothing and takes no checkpoint or write lock: it only tells the
// log's frames and those copied. An older SQLite would read it as PASSIVE, a whole pass: then there is no peeking.
const [major, minor] = db.prepare('select sqlite_version() as v').get().v.split('.').map(Number)
const canPeek = major > 3 || (major === 3 && minor >= 51)
const pageSize = db.pragma('page_size', { simple: true })
parentPort.on('message', (what) => {
  let result
  try {
    if (what === 'peek' && !canPeek) {
      result = { error: 'peek unsupported' }
    } else {
      const [row] = db.pragma(what === 'peek' ? 'wal_checkpoint(NOOP)' : 'wal_checkpoint(PASSIVE)')
      result = { busy: row.busy, log: row.log, checkpointed: row.checkpointed, pageSize }
    }
  } catch (err) {
    result = { error: String(err && err.message || err) }
  }
  parentPort.postMessage(result)
})
`

export interface CheckpointResult {
  busy?: number
  /** WAL frames. */
  log?: number
  /** Frames copied into the database. */
  checkpointed?: number
  /** The database's page size (bytes). */
  pageSize?: number
  error?: string
}

/**
 * Keeps the SQLite write-ahead log short without stalling the event loop. better-sqlite3 runs on
 * the server's one thread, and SQLite's automatic checkpoint runs inside the COMMIT that crosses
 * 1,000 pages — a 37 MiB print job's commit then copies 37 MiB into the database file before the
 * server can answer anything (measured: ~160 ms of a 180 ms commit). So the server's connection
 * turns the automatic checkpoint off (`wal_autocheckpoint = 0`) and this checkpointer, on a
 * worker thread with its own connection, checkpoints whenever the WAL has grown past 4 MiB (an
 * async look every 250 ms; a pass every 2 s, and between those one whenever 4 MiB wait to be
 * copied). The thread starts the first time it is needed; a failure is reported to `onError` and
 * retried at the next look.
 *
 * Why slices: at 500 print requests a second the log grows ~40 MB/s. Looked at every 2 s, the
 * first pass of a busy spell copied 75 MB at once (74 ms of the checkpoint thread's writes and
 * syncs on a 2-core machine); the event loop stalled 24 ms as it ended, and renders queued past
 * their limit right after (503 RENDER_BUSY). In slices, each pass took 5–16 ms.
 */
export class SqliteCheckpointer {
  private worker: Worker | null = null
  private timer: NodeJS.Timeout
  private running: Promise<CheckpointResult> | null = null
  /** What the thread is being asked now: a pass's answer is never handed to a question, nor the reverse. */
  private runningKind: 'checkpoint' | 'peek' | null = null
  private closed = false
  /** A look is under way (its stat, pass or finishing copy): the next one waits its turn. */
  private looking = false
  /** When the last pass every CHECKPOINT_POLL_MS began, and when a failure was last reported (performance.now()). */
  private lastPollPassAt = Number.NEGATIVE_INFINITY
  private lastErrorAt = Number.NEGATIVE_INFINITY

  constructor(
    private readonly path: string,
    private readonly onError: (message: string) => void = () => {},
    /**
     * The writer's connection: checkpoints the few frames written during this thread's pass
     * (false: not now, a transaction is open; tried again at the next poll). See checkIfLarge.
     */
    private readonly finish?: { pageSize: number; run: () => boolean },
  ) {
    this.timer = setInterval(() => void this.look(), CHECKPOINT_LOOK_MS)
    this.timer.unref()
  }

  /** One look at the WAL: the pass every CHECKPOINT_POLL_MS (checkIfLarge), or between those a slice once CHECKPOINT_WAL_BYTES wait to be copied. */
  private async look(): Promise<void> {
    if (this.closed || this.running || this.looking) return
    this.looking = true
    try {
      if (performance.now() - this.lastPollPassAt >= CHECKPOINT_POLL_MS) {
        await this.checkIfLarge(await this.walSize())
      } else {
        const waiting = await this.waitingBytes()
        if (waiting !== null && waiting >= CHECKPOINT_WAL_BYTES) await this.checkpoint()
      }
    } finally {
      this.looking = false
    }
  }

  /** Runs one checkpoint on the worker thread (starting it if needed); resolves with SQLite's answer. */
  checkpoint(): Promise<CheckpointResult> {
    return this.ask('checkpoint')
  }

  /**
   * Bytes of log written but not yet copied into the database: SQLite's own counts, asked on the
   * checkpoint thread with a checkpoint that copies nothing and takes no checkpoint or write lock
   * (NOOP). Null when it can't tell (no thread yet, a question in flight, a busy answer, an error:
   * a failing database shows in the passes' errors).
   *
   * Never read from the -shm file here: SQLite's locks on it are POSIX locks, owned by the
   * process, and closing any descriptor of that file drops every one of them — the server's
   * connection would lose its read and write locks (another process could then commit in the
   * middle of the server's transaction, and the server's commit overwrite it).
   */
  async waitingBytes(): Promise<number | null> {
    if (!this.worker || this.running) return null
    const r = await this.ask('peek', true)
    // busy (a torn read of SQLite's index while a writer held it): -1 for both, no answer.
    if (r.busy || r.log === undefined || r.checkpointed === undefined || r.checkpointed < 0 || r.log < r.checkpointed) return null
    return (r.log - r.checkpointed) * ((r.pageSize ?? 4096) + FRAME_HEADER_BYTES)
  }

  private async ask(what: 'checkpoint' | 'peek', quiet = false): Promise<CheckpointResult> {
    // One question at a time on the thread; the same one asked twice shares the answer.
    while (this.running) {
      if (this.runningKind === what) return this.running
      await this.running
    }
    if (this.closed) return { error: 'closed' }
    const worker = this.ensureWorker()
    this.runningKind = what
    this.running = new Promise<CheckpointResult>((resolve) => {
      const done = (r: CheckpointResult): void => {
        worker.off('message', done)
        worker.off('exit', gone)
        this.running = null
        this.runningKind = null
        // A pass cut short by close() is no failure.
        if (r.error && !quiet && !this.closed) this.report(r.error)
        resolve(r)
      }
      const gone = (): void => done({ error: this.closed ? 'closed' : 'the checkpoint thread exited' })
      worker.on('message', done)
      worker.on('exit', gone)
      worker.postMessage(what)
    })
    return this.running
  }

  /** Tells onError, at most every CHECKPOINT_POLL_MS (a lasting failure would otherwise be told 4 times a second). */
  private report(message: string): void {
    if (performance.now() - this.lastErrorAt < CHECKPOINT_POLL_MS) return
    this.lastErrorAt = performance.now()
    this.onError(message)
  }

  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.timer)
    const w = this.worker
    this.worker = null
    if (w) await w.terminate()
  }

  /**
   * SQLite starts the log over at a write only when a checkpoint has copied every frame in it.
   * A pass on this thread copies the frames there when it began; under steady writes (a write
   * every few ms) more have come by the time it ends, so the log never started over and grew by
   * the whole busy period (measured: 44 → 88 MB in 30 s at 50 print jobs/s). So after a pass the
   * few frames written meanwhile are copied on the writer's own connection, where no write can
   * come between the copy and the next write, which then starts the log over. That costs the
   * writer a copy of at most FINISH_TAIL_FRAMES pages and two syncs; a longer tail gets another
   * pass here first (a large job's commit is never copied on the writer's thread).
   */
  private async checkIfLarge(walSize: number): Promise<void> {
    if (this.closed || walSize < CHECKPOINT_WAL_BYTES) return
    this.lastPollPassAt = performance.now()
    await this.passAndFinish(walSize)
  }

  /** A pass here, then the finishing copy on the writer's connection when only a short tail was written meanwhile (see checkIfLarge). */
  private async passAndFinish(walSize: number): Promise<void> {
    let size = walSize
    let pass = await this.checkpoint()
    for (let round = 0; this.finish && round < 3 && !this.closed && complete(pass) !== null; round++) {
      const grown = await this.walSize()
      // The file did not grow during the pass: the log started over (it now lives inside the
      // file, never past its size) or nothing was written — the next write starts it over.
      if (grown <= size) return
      // Growing at the end of the file: the frames past the pass are exactly what it grew by.
      const frames = Math.floor((grown - WAL_HEADER_BYTES) / (this.finish.pageSize + FRAME_HEADER_BYTES))
      if (frames - (complete(pass) ?? 0) <= FINISH_TAIL_FRAMES) {
        try {
          this.finish.run()
        } catch (err) {
          this.report((err as Error).message)
        }
        return
      }
      size = grown
      pass = await this.checkpoint()
    }
  }

  private walSize(): Promise<number> {
    return stat(`${this.path}-wal`).then((s) => s.size, () => 0)
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker
    const driver = createRequire(import.meta.url).resolve('better-sqlite3')
    const w = new Worker(WORKER_SOURCE, { eval: true, workerData: { path: this.path, driver } })
    w.unref()
    w.on('error', (err) => this.report(err.message))
    w.on('exit', () => {
      if (this.worker === w) this.worker = null
    })
    this.worker = w
    return w
  }
}

/** The frames in the log when a pass copied all of them; null when it didn't (or SQLite answered busy, -1). */
function complete(pass: CheckpointResult): number | null {
  return !pass.busy && pass.log !== undefined && pass.log >= 0 && pass.checkpointed === pass.log ? pass.log : null
}
