import type { Logger } from 'pino'

/**
 * The last resort: an error nothing caught (a throw in a callback, a rejected promise nobody
 * awaited) is logged as fatal with its context, and the server keeps answering — one bad input
 * must never end the process for every studio desk. Renders run in worker threads, so a render
 * that fails ends at most its worker (render-pool.ts), never reaching this handler.
 */
export function installLastResortHandlers(log: Logger): void {
  const context = (origin: string) => ({ origin, pid: process.pid, uptimeS: Math.round(process.uptime()), rssMb: Math.round(process.memoryUsage.rss() / 1048576) })
  process.on('uncaughtException', (err, origin) => {
    log.fatal({ err, ...context(origin) }, 'unexpected error caught by the last-resort handler; the server keeps running')
  })
  process.on('unhandledRejection', (reason) => {
    log.fatal({ err: reason, ...context('unhandledRejection') }, 'unhandled promise rejection caught by the last-resort handler; the server keeps running')
  })
}
