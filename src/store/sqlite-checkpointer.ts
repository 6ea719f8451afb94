import { stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** How often the WAL file's size is looked at (an async stat: nothing blocks). */
export const CHECKPOINT_POLL_MS = 2_000
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
parentPort.on('message', () => {
  let result
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)')
    result = { busy: row.busy, log: row.log, checkpointed: row.checkpointed }
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
  error?: string
}

/**
 * Keeps the SQLite write-ahead log short without stalling the event loop. better-sqlite3 runs on
 * the server's one thread, and SQLite's automatic checkpoint runs inside the COMMIT that crosses
 * 1,000 pages — a 37 MiB print job's commit then copies 37 MiB into the database file before the
 * server can answer anything (measured: ~160 ms of a 180 ms commit). So the server's connection
 * turns the automatic checkpoint off (`wal_autocheckpoint = 0`) and this checkpointer, on a
 * worker thread with its own connection, checkpoints whenever the WAL has grown past 4 MiB (an
 * async stat every 2 s). The thread starts the first time
 * it is needed; a failure is reported to `onError` and retried at the next poll.
 */
export class SqliteCheckpointer {
  private worker: Worker | null = null
  private timer: NodeJS.Timeout
  private running: Promise<CheckpointResult> | null = null
  private closed = false

  constructor(
    private readonly path: string,
    private readonly onError: (message: string) => void = () => {},
    /**
     * The writer's connection: checkpoints the few frames written during this thread's pass
     * (false: not now, a transaction is open; tried again at the next poll). See checkIfLarge.
     */
    private readonly finish?: { pageSize: number; run: () => boolean },
  ) {
    this.timer = setInterval(() => void this.checkIfLarge(), CHECKPOINT_POLL_MS)
    this.timer.unref()
  }

  /** Runs one checkpoint on the worker thread (starting it if needed); resolves with SQLite's answer. */
  checkpoint(): Promise<CheckpointResult> {
    if (this.closed) return Promise.resolve({ error: 'closed' })
    if (this.running) return this.running
    const worker = this.ensureWorker()
    this.running = new Promise<CheckpointResult>((resolve) => {
      const done = (r: CheckpointResult): void => {
        worker.off('message', done)
        worker.off('exit', gone)
        this.running = null
        if (r.error) this.onError(r.error)
        resolve(r)
      }
      const gone = (): void => done({ error: 'the checkpoint thread exited' })
      worker.on('message', done)
      worker.on('exit', gone)
      worker.postMessage('checkpoint')
    })
    return this.running
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
  private async checkIfLarge(): Promise<void> {
    if (this.closed || this.running) return
    let size = await this.walSize()
    if (size < CHECKPOINT_WAL_BYTES) return
    let pass = await this.checkpoint()
    for (let round = 0; this.finish && round < 3 && !this.closed && pass.log !== undefined && pass.checkpointed === pass.log; round++) {
      const grown = await this.walSize()
      // The file did not grow during the pass: the log started over (it now lives inside the
      // file, never past its size) or nothing was written — the next write starts it over.
      if (grown <= size) return
      // Growing at the end of the file: the frames past the pass are exactly what it grew by.
      const frames = Math.floor((grown - WAL_HEADER_BYTES) / (this.finish.pageSize + FRAME_HEADER_BYTES))
      if (frames - pass.log <= FINISH_TAIL_FRAMES) {
        try {
          this.finish.run()
        } catch (err) {
          this.onError((err as Error).message)
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
    w.on('error', (err) => this.onError(err.message))
    w.on('exit', () => {
      if (this.worker === w) this.worker = null
    })
    this.worker = w
    return w
  }
}
