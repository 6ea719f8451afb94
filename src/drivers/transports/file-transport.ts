import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { open, realpath, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { Readable } from 'node:stream'
import type { Transport } from './transport.ts'
import {
  TransportClosedError,
  TransportUnavailableError,
  TransportUnsupportedError,
  TransportWriteError,
} from './transport-errors.ts'
import { PrinterUriForbiddenError, insideDir } from './printer-uri-policy.ts'

export interface FileTransportOptions {
  /** File name extension for finished jobs, without the dot (e.g. 'zpl'). Default 'bin'. */
  extension?: string
  /** The spool folder (STUDIO_FILE_PRINTER_DIR): the printer's folder must resolve inside it. */
  spoolDir: string
}

/** Owner-only: a printed document holds a client's data. */
const FILE_MODE = 0o600
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW

/**
 * `file:/PATH/`: each open()…close() session becomes one new file in the directory, written
 * atomically — to a hidden `.NAME.tmp` first, fsync'ed, then renamed to `NAME.EXT`, so a
 * watcher never sees half a job. The directory must exist (a missing one, e.g. an unmounted
 * share, is TransportUnavailableError). discard() removes the temporary file instead.
 * The folder must resolve (symlinks followed) inside the spool folder, checked again after the
 * file is made; the file is created new (O_EXCL), never through a symlink (O_NOFOLLOW), mode 0600.
 * A folder outside the spool is PrinterUriForbiddenError: nothing is written.
 * No replies: request() fails with TransportUnsupportedError.
 */
export class FileTransport implements Transport {
  readonly bidirectional = false
  readonly incoming: Readable = new Readable({ read() {} })
  private handle: FileHandle | undefined
  private tmpPath: string | undefined
  private finalPath: string | undefined
  private static seq = 0
  /** Path of the last file completed by close(). */
  lastPath: string | undefined

  constructor(
    readonly uri: string,
    readonly dir: string,
    private readonly opts: FileTransportOptions,
  ) {}

  async open(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted()
    if (this.handle) return
    let dir: string
    let spool: string
    try {
      spool = await realpath(this.opts.spoolDir)
      dir = await realpath(this.dir)
      const s = await stat(dir)
      if (!s.isDirectory()) throw Object.assign(new Error(`${this.dir} is not a directory`), { code: 'ENOTDIR' })
    } catch (err) {
      throw new TransportUnavailableError(this.uri, `printer directory unavailable: ${(err as Error).message}`, err)
    }
    const outside = () => new PrinterUriForbiddenError('PRINTER_FILE_OUTSIDE_SPOOL', this.uri, `${this.dir} resolves outside the spool folder ${this.opts.spoolDir}`)
    if (!insideDir(spool, dir)) throw outside()
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '-')
    const name = `${stamp}-${String(++FileTransport.seq).padStart(4, '0')}-${randomBytes(3).toString('hex')}`
    this.tmpPath = join(dir, `.${name}.tmp`)
    this.finalPath = join(dir, `${name}.${this.opts.extension ?? 'bin'}`)
    try {
      this.handle = await open(this.tmpPath, CREATE_FLAGS, FILE_MODE)
    } catch (err) {
      throw new TransportUnavailableError(this.uri, `cannot create a file in ${this.dir}: ${(err as Error).message}`, err)
    }
    // A folder swapped for a symlink between the check and the open: the file is not where it may be.
    const made = await realpath(this.tmpPath).catch(() => null)
    if (made === null || !insideDir(spool, dirname(made))) {
      await this.discard()
      throw outside()
    }
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.handle) throw new TransportClosedError(this.uri, `transport not open (${this.uri})`)
    try {
      await this.handle.write(data)
    } catch (err) {
      throw new TransportWriteError(this.uri, `write failed: ${(err as Error).message}`, err)
    }
  }

  async request(): Promise<Uint8Array> {
    throw new TransportUnsupportedError(this.uri, 'request()')
  }

  async close(): Promise<void> {
    const handle = this.handle
    if (!handle) return
    this.handle = undefined
    try {
      await handle.datasync()
      await handle.close()
      await rename(this.tmpPath!, this.finalPath!)
      this.lastPath = this.finalPath
    } catch (err) {
      await rm(this.tmpPath!, { force: true }).catch(() => {})
      throw new TransportWriteError(this.uri, `could not complete the file: ${(err as Error).message}`, err)
    }
  }

  async discard(): Promise<void> {
    const handle = this.handle
    if (!handle) return
    this.handle = undefined
    await handle.close().catch(() => {})
    await rm(this.tmpPath!, { force: true })
  }
}
