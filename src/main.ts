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
 * Exits once the log lines written so far have left and standard output is closed (at most 2 s).
 * Exiting with a line still in flight makes pino write it again synchronously on the way out, and
 * its writer (sonic-boom 4.2) retries a failed synchronous write for ever: with standard output
 * gone — its reader died, as when the process that started the server is killed — a stopped
 * server never exited, even on SIGTERM. Ended first, the failed write is seen (pino then stops
 * writing) and the exit is clean.
 */
function exitAfterLog(code: number): void {
  const exit = () => process.exit(code)
  setTimeout(exit, 2_000)
  const stream = (log as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] as Partial<EventEmitter> & { end?(): void }
  if (typeof stream?.once !== 'function' || typeof stream.end !== 'function') return exit()
  stream.once('close', exit)
  stream.once('error', exit)
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
