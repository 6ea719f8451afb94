import net from 'node:net'
import type { Duplex } from 'node:stream'
import { StreamTransport, type StreamTransportOptions } from './stream-transport.ts'
import { TransportTimeoutError, TransportUnavailableError, osCode } from './transport-errors.ts'

export interface TcpTransportOptions extends StreamTransportOptions {
  /** Connect timeout, apart from the write timeout (PROTOCOLS.md: 2–5 s). */
  connectTimeoutMs?: number
}

/**
 * Raw TCP (port 9100 "JetDirect") transport: `tcp://HOST:PORT`.
 * Connect failures (ECONNREFUSED, EHOSTUNREACH, ETIMEDOUT …) become TransportUnavailableError,
 * a connect timeout TransportTimeoutError(phase 'connect'); in both cases nothing was written.
 * A reset while writing (ECONNRESET, EPIPE) becomes TransportWriteError.
 */
export class TcpTransport extends StreamTransport {
  private readonly connectTimeoutMs: number

  constructor(
    uri: string,
    readonly host: string,
    readonly port: number,
    opts: TcpTransportOptions = {},
  ) {
    super(uri, opts)
    this.connectTimeoutMs = opts.connectTimeoutMs ?? 3_000
  }

  protected connect(signal?: AbortSignal): Promise<Duplex> {
    return new Promise<Duplex>((resolve, reject) => {
      const socket = net.createConnection({ host: this.host, port: this.port, noDelay: true })
      const cleanup = () => {
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        socket.off('error', onError)
        socket.off('connect', onConnect)
      }
      const onConnect = () => {
        cleanup()
        socket.setKeepAlive(true, 10_000)
        resolve(socket)
      }
      const onError = (err: Error) => {
        cleanup()
        socket.destroy()
        reject(new TransportUnavailableError(this.uri, `cannot connect to ${this.uri}: ${osCode(err) ?? err.message}`, err))
      }
      const onAbort = () => {
        cleanup()
        socket.destroy()
        reject(signal!.reason)
      }
      const timer = setTimeout(() => {
        cleanup()
        socket.destroy()
        reject(new TransportTimeoutError(this.uri, 'connect', this.connectTimeoutMs))
      }, this.connectTimeoutMs)
      socket.once('connect', onConnect)
      socket.once('error', onError)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}
