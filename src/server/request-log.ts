import { randomUUID } from 'node:crypto'
import { IncomingMessage } from 'node:http'
import type { RequestHandler } from 'express'
import type { Logger } from 'pino'

declare module 'node:http' {
  interface IncomingMessage {
    /** This request's id (`x-request-id`: the caller's when it is a plain token, else a new UUID). */
    id?: string
    /** The server's logger with this request's id (`reqId`), made on first use. */
    log?: Logger
  }
}

const GIVEN_ID = /^[\w.-]{1,64}$/

/** The server's logger a request was given, and its child once made (plain data, the same shape for every request). */
const BASE = Symbol('request-log base')
const CHILD = Symbol('request-log child')
type Logged = IncomingMessage & { [BASE]?: Logger; [CHILD]?: Logger }

// One getter on the prototype rather than one defined per request: an accessor added to each
// request object with its own closure gives every request its own hidden class.
Object.defineProperty(IncomingMessage.prototype, 'log', {
  configurable: true,
  get(this: Logged): Logger | undefined {
    const base = this[BASE]
    return base && (this[CHILD] ??= base.child({ reqId: this.id }))
  },
})

/** The path without its query: a query may carry a station's token. */
export function pathOf(url: string | undefined): string {
  const u = url ?? ''
  const q = u.indexOf('?')
  return q < 0 ? u : u.slice(0, q)
}

/**
 * One log line per request when it ends: `METHOD /path STATUS` with the request id, status and
 * time in ms (`responseTime`); headers and the query only at debug. Health probes log at debug,
 * answers of 500 and up (and requests cut off before their answer) at error. Every answer carries
 * `x-request-id`. Nothing is built for a line the level leaves out: the line costs the answer
 * nothing at `LOG_LEVEL=warn`, and `req.log` (a child logger) is made only when code uses it.
 */
export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const given = req.headers['x-request-id']
    const id = typeof given === 'string' && GIVEN_ID.test(given) ? given : randomUUID()
    res.setHeader('x-request-id', id)
    req.id = id
    ;(req as Logged)[BASE] = log
    const started = performance.now()
    const done = () => {
      res.removeListener('finish', done)
      res.removeListener('close', done)
      const path = pathOf(req.originalUrl ?? req.url)
      const cutOff = !res.writableFinished
      const level = cutOff || res.statusCode >= 500 ? 'error' : path.startsWith('/api/health') ? 'debug' : 'info'
      if (!log.isLevelEnabled(level)) return
      const debug = log.isLevelEnabled('debug')
      log[level](
        {
          req: debug ? { id, method: req.method, url: req.originalUrl ?? req.url, headers: req.headers } : { id, method: req.method, path },
          res: { statusCode: res.statusCode },
          responseTime: Math.round(performance.now() - started),
        },
        cutOff ? `${req.method} ${path} cut off before the answer ended` : `${req.method} ${path} ${res.statusCode}`,
      )
    }
    res.on('finish', done)
    res.on('close', done)
    next()
  }
}
