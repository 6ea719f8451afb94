import { randomBytes } from 'node:crypto'
import { open, rename, rm, stat, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { Transport } from './transport.ts'
import {
  TransportClosedError,
  TransportUnavailableError,
  TransportUnsupportedError,
  TransportWriteError,
} from './transport-errors.ts'

export interface FileTransportOptions {
  /** File name extension for finished jobs, without the dot (e.g. 'zpl'). Default 'bin'. */
  extension?: string
}

/**
 * `file:/PATH/`: each open()…close() session becomes one new file in the directory, written
 * atomically — to a hidden `.NAME.tmp` first, fsync'ed, then renamed to `NAME.EXT`, so a
 * watcher never sees half a job. The directory must exist (a missing one, e.g. an unmounted
 * share, is TransportUnavailableError). discard() removes the temporary file instead.
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
    private readonly opts: FileTransportOptions = {},
  ) {}

  async open(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted()
    if (this.handle) return
    try {
      const s = await stat(this.dir)
      if (!s.isDirectory()) throw Object.assign(new Error(`${this.dir} is not a directory`), { code: 'ENOTDIR' })
    } catch (err) {
      throw new TransportUnavailableError(this.uri, `printer directory unavailable: ${(err as Error).message}`, err)
    }
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '-')
    const name = `${stamp}-${String(++FileTransport.seq).padStart(4, '0')}-${randomBytes(3).toString('hex')}`
    this.tmpPath = join(this.dir, `.${name}.tmp`)
    this.finalPath = join(this.dir, `${name}.${this.opts.extension ?? 'bin'}`)
    try {
      this.handle = await open(this.tmpPath, 'wx')
    } catch (err) {
      throw new TransportUnavailableError(this.uri, `cannot create a file in ${this.dir}: ${(err as Error).message}`, err)
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
