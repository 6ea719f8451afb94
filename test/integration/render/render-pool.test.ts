import type { Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { RenderPool } from '../../../src/app/render/render-pool.ts'
import { RENDER_NICE } from '../../../src/app/render/render-nice.ts'
import { threadsAtNice } from '../../support/proc.ts'
import { eventually } from '../../support/poll.ts'
import { DEFAULT_STUDIO } from '../../../src/domain/preferences.ts'
import type { LabelItem } from '../../../src/templates/index.ts'
import { makeClient } from '../../unit/templates/fixtures.ts'

const CONFIG = { workers: 1, timeoutMs: 30_000, memoryMb: 64, maxQueue: 4, recycleHeapMb: 64, tasksPerWorker: 500 }

function labels(n: number, notes = ''): LabelItem[] {
  return Array.from({ length: n }, (_, i) => ({ subject: { document: 'client-label', client: makeClient({ id: i + 1, number: i + 1, notes }) }, barcode: { payload: `C-${String(i + 1).padStart(6, '0')}`, symbology: 'code128' } }))
}

const task = (items: LabelItem[]) => ({ kind: 'labels' as const, items, format: 'zpl' as const, studio: DEFAULT_STUDIO })


/** A worker entry that fails as it loads (tests put it in the pool's private `entry`). */
const CANNOT_START = new URL('data:text/javascript,throw new Error("cannot start")')

/** Starts the pool's workers and waits until they are ready. */
async function warmed(pool: RenderPool): Promise<void> {
  pool.warm()
  await eventually(() => pool.starting === 0, 30_000, 'pool.starting = 0')
}

describe('render pool', () => {
  let pool: RenderPool
  afterEach(async () => {
    await pool?.close()
  })

  it('when the replacement of a due worker cannot start, then the due worker renders on and no waiting task fails', async () => {
    pool = new RenderPool({ ...CONFIG, tasksPerWorker: 1 })
    await warmed(pool)
    // Every worker started from now on fails as it loads (the pool keeps its entry in `entry`).
    ;(pool as unknown as { entry: URL }).entry = CANNOT_START
    await pool.run(task(labels(1)))
    // Due now, its replacement starting (and failing): a long render runs on it, a short one waits.
    const long = pool.run(task(labels(3_000)))
    const waiting = pool.run(task(labels(1)))
    await expect(long).resolves.toHaveLength(3_000)
    await expect(waiting).resolves.toHaveLength(1)
  })

  it('when two workers are due, one replacement cannot start and both are busy as the other gets ready, then the pool settles at its size, not above it', async () => {
    pool = new RenderPool({ ...CONFIG, workers: 2, maxQueue: 64, tasksPerWorker: 2 })
    const internals = pool as unknown as { entry: URL; spawn(): void; slots: Set<{ due: boolean }> }
    await warmed(pool)
    await Promise.all([pool.run(task(labels(1))), pool.run(task(labels(1)))])
    // The third worker started loads; from the fourth on, every start fails as it loads.
    const good = internals.entry
    const spawn = internals.spawn.bind(pool)
    internals.spawn = () => {
      internals.entry = pool.started >= 3 ? CANNOT_START : good
      spawn()
    }
    await Promise.all([pool.run(task(labels(1))), pool.run(task(labels(1)))])
    expect(pool.started).toBe(4)
    // Two clients print back to back while the good replacement loads, so both due workers are
    // mostly busy when it gets ready.
    let printing = true
    const client = async () => {
      while (printing) await pool.run(task(labels(100)))
    }
    const clients = [client(), client()]
    await eventually(() => pool.starting === 0, 30_000, 'pool.starting = 0')
    printing = false
    await Promise.all(clients)
    // Well inside the 10 s in which no replacement is tried: the ending can't wait for the next one.
    await eventually(() => pool.size === 2, 5_000, 'pool.size = 2')
    expect([...internals.slots].filter((s) => s.due)).toHaveLength(0)
    expect(await pool.run(task(labels(2)))).toHaveLength(2)
  })

  it('when a replacement cannot start and the worker\'s heap stays past the line, then no other start is tried for 10 s (not one per task)', async () => {
    pool = new RenderPool({ ...CONFIG, recycleHeapMb: 1 })
    await warmed(pool)
    ;(pool as unknown as { entry: URL }).entry = CANNOT_START
    await pool.run(task(labels(1)))
    await eventually(() => pool.starting === 0, 30_000, 'pool.starting = 0')
    for (let i = 0; i < 20; i++) await pool.run(task(labels(1)))
    expect(pool.started).toBe(2)
  })

  it('when the pool is closed while a finished task\'s answer waits to be read, then no worker starts after close()', async () => {
    pool = new RenderPool({ ...CONFIG, tasksPerWorker: 1 })
    const internals = pool as unknown as { slots: Set<{ worker: Worker }> }
    await warmed(pool)
    // close() runs as the answer is delivered, just before the pool reads it.
    let closed: Promise<void> | null = null
    for (const s of internals.slots) s.worker.prependOnceListener('message', () => void (closed = pool.close()))
    const outcome = await pool.run(task(labels(1))).then(
      () => 'rendered',
      (e: { code?: string }) => e.code,
    )
    await closed
    expect(closed).not.toBeNull()
    expect(outcome).toBe('rendered')
    expect(pool.started).toBe(1)
    expect(pool.size).toBe(0)
  })

  it('when a worker runs, then its thread runs at the render priority (nice 10), not the server\'s', async () => {
    // No worker of an earlier test is still running: each test's pool is closed after it.
    expect(threadsAtNice('self', RENDER_NICE)).toBe(0)
    pool = new RenderPool({ ...CONFIG, workers: 2 })
    await Promise.all([pool.run(task(labels(50))), pool.run(task(labels(50)))])
    expect(pool.size).toBe(2)
    // Each worker's own thread, and — the priority being lowered before anything loads — the
    // thread each starts as it loads (tsx's loader, which ran at nice 0 when the worker lowered
    // its priority only once loaded).
    expect(threadsAtNice('self', RENDER_NICE)).toBeGreaterThanOrEqual(4)
  })

  it('when the pool is warmed, then its workers start before any task, and a task then finds one ready', async () => {
    pool = new RenderPool({ ...CONFIG, workers: 2 })
    pool.warm()
    expect(pool.size).toBe(2)
    expect(pool.starting).toBe(2)
    await eventually(() => pool.starting === 0, 30_000, 'pool.starting = 0')
    pool.warm()
    expect(await pool.run(task(labels(1)))).toHaveLength(1)
    expect(pool.started).toBe(2)
  })

  it('when a task renders, then its units come back from the worker thread', async () => {
    pool = new RenderPool(CONFIG)
    const units = await pool.run(task(labels(3)))
    expect(units).toHaveLength(3)
    expect(Buffer.from(units[2]).toString('latin1')).toContain('C-000003')
  })

  it('when a task runs past its wall-clock limit, then it alone fails with RENDER_TIMEOUT and a new worker serves the next task', async () => {
    pool = new RenderPool(CONFIG)
    await pool.run(task(labels(1)))
    // The limit is given per task: 1 ms is shorter than any 5,000-label render.
    await expect(pool.run(task(labels(5_000)), { timeoutMs: 1 })).rejects.toMatchObject({ code: 'RENDER_TIMEOUT', kind: 'unprocessable' })
    expect(pool.size).toBe(0)
    expect(await pool.run(task(labels(2)))).toHaveLength(2)
    expect(pool.size).toBe(1)
  })

  it('when a task needs more than the heap limit, then it fails with RENDER_MEMORY_EXCEEDED and the pool goes on', async () => {
    pool = new RenderPool(CONFIG)
    const huge = 'x'.repeat(48 * 1024 * 1024)
    await expect(pool.run(task(labels(4, huge)))).rejects.toMatchObject({ code: 'RENDER_MEMORY_EXCEEDED' })
    expect(await pool.run(task(labels(2)))).toHaveLength(2)
    expect(pool.size).toBe(1)
  })

  it('when more tasks wait than the queue holds, then the extra ones fail with RENDER_BUSY and the rest complete', async () => {
    pool = new RenderPool({ ...CONFIG, maxQueue: 2 })
    const runs = Array.from({ length: 5 }, () => pool.run(task(labels(50))).then(() => 'done', (e: { code: string }) => e.code))
    const outcomes = await Promise.all(runs)
    expect(outcomes.filter((o) => o === 'done')).toHaveLength(2)
    expect(outcomes.filter((o) => o === 'RENDER_BUSY')).toHaveLength(3)
  })

  it('when a task fails on its input, then the error keeps its code and the worker stays', async () => {
    pool = new RenderPool(CONFIG)
    await expect(pool.run({ kind: 'logo', png: new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({ code: 'LOGO_INVALID', kind: 'invalid' })
    expect(pool.size).toBe(1)
  })

  it('when tasks are refused on their input, then they do not count toward recycling the worker; finished renders do', async () => {
    pool = new RenderPool({ ...CONFIG, tasksPerWorker: 2 })
    for (let i = 0; i < 6; i++) await expect(pool.run({ kind: 'logo', png: new Uint8Array([1, 2, 3]) })).rejects.toMatchObject({ code: 'LOGO_INVALID' })
    expect(pool.started).toBe(1)
    await pool.run(task(labels(1)))
    await pool.run(task(labels(1)))
    // The second finished render makes the worker due for replacement: the replacement starts.
    expect(pool.started).toBe(2)
  })

  it('when a worker is due for replacement, then tasks go on in it while its replacement starts, and it ends once the replacement is ready', async () => {
    pool = new RenderPool({ ...CONFIG, tasksPerWorker: 2 })
    await pool.run(task(labels(1)))
    await pool.run(task(labels(1)))
    expect(pool.size).toBe(2)
    expect(pool.starting).toBe(1)
    // A render of a few labels takes milliseconds; starting a worker loads and compiles every
    // render module. Before, the due worker was ended at once and this task waited for the start.
    expect(await pool.run(task(labels(3)))).toHaveLength(3)
    expect(pool.starting).toBe(1)
    await eventually(() => pool.size === 1, 30_000, 'pool.size = 1')
    expect(pool.starting).toBe(0)
    expect(pool.started).toBe(2)
    expect(await pool.run(task(labels(2)))).toHaveLength(2)
    expect(pool.started).toBe(2)
  })

  it('when a finished render leaves the worker heap past recycleHeapMb, then that worker is replaced; below it, the worker keeps working', async () => {
    // Below: a 64 MB threshold is far above what a one-label render leaves.
    pool = new RenderPool({ ...CONFIG, recycleHeapMb: 64, tasksPerWorker: 20_000 })
    for (let i = 0; i < 5; i++) await pool.run(task(labels(1)))
    expect(pool.started).toBe(1)
    await pool.close()
    // Past: every worker's heap holds more than 1 MB once it has rendered.
    pool = new RenderPool({ ...CONFIG, recycleHeapMb: 1, tasksPerWorker: 20_000 })
    for (let i = 1; i <= 2; i++) {
      await pool.run(task(labels(1)))
      expect(pool.started).toBe(i + 1)
      await eventually(() => pool.size === 1, 30_000, 'pool.size = 1')
    }
  })
})
