import { loadConfig } from './config/load-config.ts'
import { createLogger, start } from './start.ts'
import { installLastResortHandlers } from './app/last-resort.ts'

let config: ReturnType<typeof loadConfig>
try {
  config = loadConfig(process.env)
} catch (err) {
  process.stderr.write(`Studio Print could not start: ${(err as Error).message}\n`)
  process.exit(1)
}
const log = createLogger(config.logLevel)
installLastResortHandlers(log)
const running = await start(config, log).catch((err: unknown) => {
  log.fatal({ err }, 'Studio Print could not start')
  process.exit(1)
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
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stop failed')
        process.exit(1)
      },
    )
  })
}
