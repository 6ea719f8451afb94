/**
 * IPP over HTTP (RFC 8010 §4, "ipp://HOST:PORT/ipp/print/NAME"): POST application/ipp to the
 * printer's path (or a job's path below it). HTTP Basic with an API token; the message is decoded
 * here, answered by ipp-operations.ts, and every failure is an IPP status — a malformed message
 * gets client-error-bad-request, never a crash.
 */
import { Router, type Request, type Response } from 'express'
import type { Logger } from 'pino'
import { decodeIpp, encodeIpp, IppDecodeError, type IppMessage } from './ipp-codec.ts'
import { handleIpp, precheckIpp, responseOperationGroup, type IppQueue } from './ipp-operations.ts'
import { OPERATIONS, STATUS, type IppStatus } from './ipp-constants.ts'
import { signInIpp } from './ipp-auth.ts'
import type { AuthDeps } from '../auth.ts'
import { printerIconPng } from './printer-icon.ts'

export const AUTO_QUEUE = '_auto'

/** What is read of a request that carries no credentials (it is then answered 401, or told it is malformed). */
export const UNAUTHENTICATED_BYTES = 64 * 1024

export interface IppRouteOptions {
  auth: AuthDeps
  log: Logger
  /** Largest request (attributes and document), bytes. */
  maxRequestBytes: number
  /** Get-Printer-Attributes answers without credentials. */
  publicAttributes: boolean
  /** The queue of a name at this base (ipp://HOST:PORT); null: none. */
  queueOf(name: string, base: { ipp: string; http: string }): Promise<IppQueue | null>
}

/** Reads the body up to `max` bytes; null when it is larger (the rest is drained, not kept). */
function readBody(req: Request, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (c: Buffer) => {
      size += c.length
      if (size > max) {
        over = true
        chunks.length = 0
      } else if (!over) chunks.push(c)
    })
    req.on('end', () => resolve(over ? null : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function send(res: Response, version: number, requestId: number, status: IppStatus, message: string, groups: IppMessage['groups'] = []): void {
  // A client that speaks 2.x is answered in its version; anything else in 1.1.
  const answerVersion = version >> 8 === 2 ? version : 0x0101
  res.status(200).type('application/ipp').send(encodeIpp({ version: answerVersion, code: status, requestId, groups: [responseOperationGroup(message), ...groups] }))
}

/** What the client used to reach us (Host header, checked), as ipp:// and http:// bases. */
function basesOf(req: Request): { ipp: string; http: string } {
  const host = req.headers.host && /^[A-Za-z0-9.\-[\]:]{1,255}$/.test(req.headers.host) ? req.headers.host : `${req.socket.localAddress}:${req.socket.localPort}`
  return { ipp: `ipp://${host}`, http: `http://${host}` }
}

export function ippRoutes(options: IppRouteOptions): Router {
  const r = Router()
  const handler = async (req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store')
    if (!/^application\/ipp\b/i.test(req.headers['content-type'] ?? '')) {
      res.status(415).type('text/plain').send('Send application/ipp.\n')
      return
    }
    const signIn = await signInIpp(options.auth, req)
    if (signIn.kind === 'throttled') {
      req.resume()
      res.status(429).setHeader('retry-after', String(signIn.retryAfter))
      res.type('text/plain').send('Too many failed sign-ins from this address.\n')
      return
    }
    if (signIn.kind === 'forbidden') {
      req.resume()
      res.status(403).type('text/plain').send(`A ${signIn.principal.role} token may not print.\n`)
      return
    }
    const signedIn = signIn.kind === 'signed-in'
    // Without credentials only a small request is read: enough to tell a malformed one so.
    const body = await readBody(req, signedIn ? options.maxRequestBytes : UNAUTHENTICATED_BYTES)
    const challenge = () => {
      res.status(401).setHeader('www-authenticate', 'Basic realm="Studio Print", charset="UTF-8"')
      res.type('text/plain').send('Sign in: any user name, an API token as the password.\n')
    }
    if (body === null) {
      if (!signedIn) return challenge()
      res.setHeader('connection', 'close')
      // The header of the request is lost with its body; answer as to request 1.
      send(res, 0x0101, 1, STATUS.requestEntityTooLarge, `requests are limited to ${options.maxRequestBytes} bytes`)
      return
    }
    let message: IppMessage
    try {
      message = decodeIpp(body)
    } catch (err) {
      const version = body.length >= 2 ? body.readUInt16BE(0) : 0x0101
      const requestId = body.length >= 8 ? body.readInt32BE(4) : 0
      req.log?.info({ err: (err as Error).message }, 'malformed ipp request')
      send(res, version, requestId, err instanceof IppDecodeError ? STATUS.badRequest : STATUS.internalError, err instanceof IppDecodeError ? `malformed request: ${err.message}` : 'internal error')
      return
    }
    const refused = precheckIpp(message)
    if (refused) {
      send(res, message.version, message.requestId, refused.status, refused.message)
      return
    }
    const publicRead = !signedIn && options.publicAttributes && message.code === OPERATIONS['Get-Printer-Attributes'] && signIn.kind === 'none'
    if (!signedIn && !publicRead) return challenge()
    const queue = await options.queueOf(String(req.params.name), basesOf(req))
    if (!queue) {
      send(res, message.version, message.requestId, STATUS.notFound, `no printer ${String(req.params.name).slice(0, 80)}`)
      return
    }
    const answer = await handleIpp(message, { queue, user: signIn.kind === 'signed-in' ? signIn.user : '', log: options.log })
    req.log?.debug({ op: message.code, status: answer.status }, 'ipp request')
    send(res, message.version, message.requestId, answer.status, answer.message, answer.groups)
  }
  r.get('/ipp/icon.png', (_req, res) => {
    res.setHeader('cache-control', 'public, max-age=86400')
    res.type('image/png').send(Buffer.from(printerIconPng()))
  })
  r.post('/ipp/print/:name', handler)
  r.post('/ipp/print/:name/jobs/:id', handler)
  return r
}
