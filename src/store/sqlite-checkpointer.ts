import { open, stat, type FileHandle } from 'node:fs/promises'
import { endianness } from 'node:os'
import { createRequire } from 'node:module'
import { Worker } from 'node:worker_threads'

/** How often a WAL past CHECKPOINT_WAL_BYTES is checkpointed and, under steady writes, made to start over. */
export const CHECKPOINT_POLL_MS = 2_000
/**
 * How often the WAL is looked at (an async read: nothing blocks). Between the passes every
 * CHECKPOINT_POLL_MS, once CHECKPOINT_WAL_BYTES of log wait to be copied (uncopiedLogBytes) they
 * get a pass of their own: heavy writing is copied in slices of about that size, not all at once.
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
 * async look every 250 ms; a pass every 2 s, and between those one whenever 4 MiB wait to be
 * copied). The thread starts the first time it is needed; a failure is reported to `onError` and
 * retried at the next look.
 *
 * Why slices: at 500 print requests a second the log grows ~40 MB/s. Looked at every 2 s, the
 * first pass of a busy spell copied 75 MB at once (74 ms of the checkpoint thread's writes and
 * syncs on a 2-core machine); the event loop stalled 24 ms as it ended, and renders queued past
 * their limit right after (503 RENDER_BUSY). In slices of ~4 MiB, each pass took 5–16 ms.
 */
export class SqliteCheckpointer {
  private worker: Worker | null = null
  private timer: NodeJS.Timeout
  private running: Promise<CheckpointResult> | null = null
  private closed = false
  /** A look is under way (its stat, pass or finishing copy): the next one waits its turn. */
  private looking = false
  /** When the last pass every CHECKPOINT_POLL_MS began (performance.now()). */
  private lastPollPassAt = Number.NEGATIVE_INFINITY

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
        const waiting = await uncopiedLogBytes(`${this.path}-shm`)
        if (waiting !== null && waiting >= CHECKPOINT_WAL_BYTES) await this.checkpoint()
      }
    } finally {
      this.looking = false
    }
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
  private async checkIfLarge(walSize: number): Promise<void> {
    if (this.closed || walSize < CHECKPOINT_WAL_BYTES) return
    this.lastPollPassAt = performance.now()
    await this.passAndFinish(walSize)
  }

  /** A pass here, then the finishing copy on the writer's connection when only a short tail was written meanwhile (see checkIfLarge). */
  private async passAndFinish(walSize: number): Promise<void> {
    let size = walSize
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

/**
 * Bytes of log written but not yet copied into the database, from the WAL-index header SQLite
 * keeps at the start of the -shm file (https://sqlite.org/walformat.html: the page size at byte 14,
 * mxFrame — the last valid frame — at byte 16, nBackfill — frames copied — at byte 96; native byte
 * order). The file's size can't tell this: after the log starts over, new frames overwrite the
 * old ones inside the file. Null when the header can't be read; a torn read only makes a pass
 * come sooner or later.
 */
export async function uncopiedLogBytes(shmPath: string): Promise<number | null> {
  let file: FileHandle | undefined
  try {
    file = await open(shmPath, 'r')
    const head = Buffer.alloc(100)
    const { bytesRead } = await file.read(head, 0, head.length, 0)
    if (bytesRead < head.length) return null
    const le = endianness() === 'LE'
    const page = le ? head.readUInt16LE(14) : head.readUInt16BE(14)
    const last = le ? head.readUInt32LE(16) : head.readUInt32BE(16)
    const copied = le ? head.readUInt32LE(96) : head.readUInt32BE(96)
    if (last < copied) return null
    return (last - copied) * ((page === 1 ? 65_536 : page) + FRAME_HEADER_BYTES)
  } catch {
    return null
  } finally {
    await file?.close()
  }
}
