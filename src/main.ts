import { loadConfig } from './config/load-config.ts'
import { createLogger, start } from './start.ts'
import { installLastResortHandlers } from './app/last-resort.ts'
import type { EventEmitter } from 'node:events'
import pino from 'pino'

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig(process.env)
} catch (err) {
  process.stderr.write(`Studio Print could not start: ${(err as Error).message}\n`)
  process.exit(1)
}
const log = createLogger(config.logLevel)
installLastResortHandlers(log)

/**
 * Exits once the log lines written so far have left and standard output is closed, or after 2 s.
 * Exiting with a line still in flight makes pino write it again synchronously on the way out, and
 * its writer (sonic-boom 4.2) retries a failed synchronous write for ever: with standard output
 * gone — its reader died, as when the process that started the server is killed — a stopped
 * server never exited, even on SIGTERM. Ended first, the failed write is seen (pino then stops
 * writing) and the exit is clean. A reader that is alive but stuck (a full pipe nobody reads) got
 * the same endless retry: after 2 s, what it hasn't taken is dropped.
 */
function exitAfterLog(code: number): void {
  type LogStream = Partial<EventEmitter> & { end?(): void; write?(...args: unknown[]): boolean; flushSync?(): void }
  const stream = (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as LogStream | undefined
  const exit = () => process.exit(code)
  if (typeof stream?.once !== 'function' || typeof stream.end !== 'function' || typeof stream.write !== 'function') return exit()
  setTimeout(() => {
    stream.flushSync = () => {}
    exit()
  }, 2_000)
  stream.once('close', exit)
  stream.once('error', exit)
  // A line logged once the stream is closing (a second signal, a worker ending) is written if it
  // still can be, else dropped: the stream throws once closed, and the last-resort handler's own
  // line would throw again and end the process with code 7.
  const write = stream.write.bind(stream)
  stream.write = (...args: unknown[]) => {
    try {
      return write(...args)
    } catch {
      return true
    }
  }
  stream.end()
}

const running = await start(config, log).catch((err: unknown) => {
  log.fatal({ err }, 'Studio Print could not start')
  exitAfterLog(1)
  return new Promise<never>(() => {})
})

if (running.generatedAdminToken) {
  // Shown this once, on the console only (never in the log stream): it is stored as a hash.
  process.stdout.write(
    `\n  No admin token existed, so one was made. Keep it; it is not shown again:\n\n    ${running.generatedAdminToken}\n\n` +
      `  (Set STUDIO_ADMIN_TOKEN to choose your own.)\n\n`,
  )
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    log.info({ signal }, 'signal received')
    running.stop().then(
      () => exitAfterLog(0),
      (err: unknown) => {
        log.error({ err }, 'stop failed')
        exitAfterLog(1)
      },
    )
  })
}
