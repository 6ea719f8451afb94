import { Readable, type Duplex } from 'node:stream'
import type { Logger } from 'pino'
import type { RequestOptions, Transport } from './transport.ts'
import {
  TransportClosedError,
  TransportError,
  TransportTimeoutError,
  TransportWriteError,
} from './transport-errors.ts'

export interface StreamTransportOptions {
  /** Longest wait for one write() to be taken by the OS (the device stops reading). */
  writeTimeoutMs?: number
  /** Without a framing predicate, request() resolves this long after the last chunk. */
  replyQuietMs?: number
  /** Longest wait for the device to close its side after we ended ours (default: the write timeout). */
  closeTimeoutMs?: number
  log?: Logger
}

/** Unread unsolicited bytes kept at most; older data is dropped (printers rarely talk unasked). */
const INCOMING_CAP = 1 << 20

interface PendingRequest {
  onData(chunk: Uint8Array): void
  onEnd(err: Error): void
}

/**
 * The part TCP, serial and sim transports share: a Duplex stream per connection, write with a
 * timeout, request/reply collection, unsolicited bytes on `incoming`.
 */
export abstract class StreamTransport implements Transport {
  readonly bidirectional: boolean = true
  readonly incoming: Readable = new Readable({ read() {} })
  protected stream: Duplex | undefined
  private pending: PendingRequest | undefined
  private opening: Promise<void> | undefined
  private lostError: Error | undefined
  private peerEnded = false
  /** A request on this connection timed out: its answer may still come. */
  private replyOwed = false
  /** The first error the connection itself raised (reset, broken pipe): close() reports it. */
  private peerError: Error | undefined
  protected readonly writeTimeoutMs: number
  private readonly replyQuietMs: number
  private readonly closeTimeoutMs: number
  protected readonly log: Logger | undefined

  constructor(
    readonly uri: string,
    opts: StreamTransportOptions = {},
  ) {
    this.writeTimeoutMs = opts.writeTimeoutMs ?? 10_000
    this.replyQuietMs = opts.replyQuietMs ?? 50
    this.closeTimeoutMs = opts.closeTimeoutMs ?? this.writeTimeoutMs
    this.log = opts.log
  }

  /** Opens the underlying stream; rejects with a TransportError. */
  protected abstract connect(signal?: AbortSignal): Promise<Duplex>

  /**
   * Ends the stream politely: ends our side and waits for the device to close its side — the
   * proof that it read everything we wrote (a device reads up to our end before it sees it).
   * A device that doesn't within the close timeout (it stopped reading, or never reads) is
   * dropped and this rejects with TransportTimeoutError: what was written is not known to have
   * arrived.
   */
  protected async disconnect(stream: Duplex, timeoutMs = this.closeTimeoutMs): Promise<void> {
    if (stream.destroyed) return
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        stream.destroy()
        reject(new TransportTimeoutError(this.uri, 'close', timeoutMs, { reason: 'the device did not take everything written and close its side' }))
      }, timeoutMs)
      stream.once('close', () => {
        clearTimeout(timer)
        resolve()
      })
      stream.end()
    })
  }

  /** Whether a connection is open and usable. */
  get isOpen(): boolean {
    return this.stream !== undefined && !this.stream.destroyed && this.lostError === undefined
  }

  /**
   * Open, the device has not ended its side, and no request on it went unanswered: a kept
   * connection may carry the next job. (A reply that came after its request timed out could be
   * read as the answer to the next job's first request.)
   */
  get reusable(): boolean {
    return this.isOpen && !this.peerEnded && !this.replyOwed
  }

  async open(signal?: AbortSignal): Promise<void> {
    if (this.isOpen) return
    if (this.opening) return this.opening
    if (this.stream) this.stream.destroy()
    this.stream = undefined
    this.lostError = undefined
    this.peerError = undefined
    this.peerEnded = false
    this.replyOwed = false
    this.opening = (async () => {
      signal?.throwIfAborted()
      const stream = await this.connect(signal)
      this.attach(stream)
      this.log?.debug({ uri: this.uri }, 'transport open')
    })()
    try {
      await this.opening
    } finally {
      this.opening = undefined
    }
  }

  private attach(stream: Duplex): void {
    this.stream = stream
    stream.on('data', (chunk: Buffer) => {
      if (this.log?.isLevelEnabled('trace')) this.log.trace({ uri: this.uri, rx: hexPreview(chunk) }, 'bytes received')
      if (this.pending) this.pending.onData(chunk)
      else if (this.incoming.readableLength < INCOMING_CAP) this.incoming.push(chunk)
    })
    stream.on('error', (err) => {
      if (stream !== this.stream) return
      this.peerError ??= new TransportWriteError(this.uri, `connection lost: ${err.message}`, err)
      this.lostError ??= this.peerError
      this.log?.debug({ uri: this.uri, err }, 'transport error')
    })
    stream.on('close', () => {
      if (stream !== this.stream) return
      this.lostError ??= new TransportClosedError(this.uri, `connection closed by the device (${this.uri})`)
      this.pending?.onEnd(this.lostError)
    })
    stream.on('end', () => {
      // The device ended its side; a pending reply will not come.
      if (stream === this.stream) this.peerEnded = true
      if (stream === this.stream) this.pending?.onEnd(new TransportClosedError(this.uri, `device ended the connection (${this.uri})`))
    })
  }

  protected requireStream(): Duplex {
    if (this.lostError) throw this.lostError
    if (!this.stream || this.stream.destroyed) throw new TransportClosedError(this.uri, `transport not open (${this.uri})`)
    return this.stream
  }

  async write(data: Uint8Array, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted()
    const stream = this.requireStream()
    if (this.log?.isLevelEnabled('trace')) this.log.trace({ uri: this.uri, tx: hexPreview(data), bytes: data.length }, 'bytes sent')
    await new Promise<void>((resolve, reject) => {
      let settled = false
      const timer = setTimeout(() => {
        if (settled) return
        settled = true
        const err = new TransportTimeoutError(this.uri, 'write', this.writeTimeoutMs, { bytes: data.length })
        this.lostError ??= err
        this.peerError ??= err
        stream.destroy()
        reject(err)
      }, this.writeTimeoutMs)
      const onClose = () => done(this.lostError ?? new TransportClosedError(this.uri))
      // A stuck device must not hold the caller: an abort drops the connection and ends the wait.
      const onAbort = () => {
        const err = new TransportWriteError(this.uri, 'write aborted', signal?.reason)
        this.lostError ??= err
        stream.destroy()
        done(err)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      const done = (err?: Error | null) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        stream.off('close', onClose)
        signal?.removeEventListener('abort', onAbort)
        if (err) reject(err instanceof TransportError ? err : (this.lostError ?? new TransportWriteError(this.uri, `write failed: ${err.message}`, err)))
        else resolve()
      }
      stream.once('close', onClose)
      stream.write(data, (err) => done(err))
    })
  }

  async request(data: Uint8Array, timeoutMs: number, opts: RequestOptions = {}): Promise<Uint8Array> {
    this.requireStream()
    if (this.pending) throw new TransportError('TRANSPORT_BUSY', 'conflict', `a request is already pending on ${this.uri}`, { uri: this.uri })
    opts.signal?.throwIfAborted()
    return new Promise<Uint8Array>((resolve, reject) => {
      let reply: Buffer = Buffer.alloc(0)
      let quiet: NodeJS.Timeout | undefined
      const finish = (err: Error | undefined, value?: Uint8Array) => {
        if (this.pending !== pending) return
        this.pending = undefined
        clearTimeout(timer)
        clearTimeout(quiet)
        opts.signal?.removeEventListener('abort', onAbort)
        if (err) reject(err)
        else resolve(value!)
      }
      const pending: PendingRequest = {
        onData: (chunk) => {
          reply = Buffer.concat([reply, chunk])
          if (opts.complete) {
            if (opts.complete(reply)) finish(undefined, reply)
          } else {
            clearTimeout(quiet)
            quiet = setTimeout(() => finish(undefined, reply), this.replyQuietMs)
          }
        },
        onEnd: (err) => finish(err),
      }
      const timer = setTimeout(() => {
        this.replyOwed = true
        finish(new TransportTimeoutError(this.uri, 'reply', timeoutMs, { partial: reply.toString('latin1') }))
      }, timeoutMs)
      const onAbort = () => finish(opts.signal!.reason as Error)
      opts.signal?.addEventListener('abort', onAbort, { once: true })
      this.pending = pending
      this.write(data).catch((err: Error) => finish(err))
    })
  }

  /**
   * Ends the connection. Rejects (after closing) with the connection's own error when it was
   * reset or timed out at any point: then not everything written is known to have arrived.
   */
  async close(opts: { peerTimeoutMs?: number } = {}): Promise<void> {
    const stream = this.stream
    this.pending?.onEnd(new TransportClosedError(this.uri))
    if (!stream) return
    this.lostError ??= new TransportClosedError(this.uri)
    try {
      await this.disconnect(stream, opts.peerTimeoutMs)
    } finally {
      if (this.stream === stream) this.stream = undefined
      this.lostError = undefined
      this.log?.debug({ uri: this.uri }, 'transport closed')
    }
    const peerError = this.peerError
    this.peerError = undefined
    if (peerError) throw peerError
  }
}

/** Hex of the first `max` bytes, for trace logs. */
export function hexPreview(data: Uint8Array, max = 64): string {
  const b = Buffer.from(data.buffer, data.byteOffset, Math.min(data.length, max)).toString('hex')
  return data.length > max ? `${b}…(+${data.length - max} bytes)` : b
}
