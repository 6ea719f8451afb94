import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'
import pino, { type DestinationStream, type Logger } from 'pino'
import { DEFAULT_SESSION_IDLE_MS, DEFAULT_SESSION_MAX_AGE_MS, checkAdminTokenStrength, withDefaultSections, type Config } from './config/load-config.ts'
import { createDb } from './store/create-db.ts'
import { migrateToLatest } from './store/migrate.ts'
import { createStores, type Stores } from './app/stores.ts'
import { createApp } from './server/app.ts'
import { createAppServer } from './server/app-server.ts'
import { seedDemo } from './app/demo.ts'
import type { ServerModule } from './compose/module.ts'
import { createPrintingModule } from './compose/printing-module.ts'
import { createMetrics } from './server/metrics.ts'
import { createScanningModule } from './compose/scanning-module.ts'
import { createWebModule } from './compose/web-module.ts'
import { configureRenderPool, warmRenderPool } from './app/render/render-pool.ts'
import { fontFiles } from './templates/glyphs/font-chain.ts'
import { configureFonts } from './templates/font-settings.ts'
import { createWebhooksModule } from './compose/webhooks-module.ts'
import { createIppModule } from './compose/ipp-module.ts'

export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

export interface Running {
  url: string
  port: number
  stores: Stores
  log: Logger
  server: Server
  modules: ServerModule[]
  /** The admin token generated on this start, when one was (shown once). */
  generatedAdminToken: string | null
  stop(): Promise<void>
}

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino({
    level,
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]', '*.password', '*.token'], censor: '[redacted]' },
  }, destination as DestinationStream)
}

/**
 * Composition root: config → database → stores → app → HTTP server. `config` is loadConfig's (a
 * section left out is at its defaults); each section is handed to what uses it.
 */
export async function start(given: Config, log: Logger = createLogger(given.logLevel)): Promise<Running> {
  const config = withDefaultSections(given)
  if (config.adminToken) checkAdminTokenStrength(config.adminToken)
  configureFonts(config.fonts)
  configureRenderPool(config.render, log)
  const database = await createDb(config.databaseUrl, { onCheckpointError: (message) => log.warn({ error: message }, 'SQLite checkpoint failed; tried again within 2 s (a lasting failure is logged every 2 s)') })
  await migrateToLatest(database.db as never)
  const stores = createStores(database)
  stores.tokens.useSecret(config.tokenSecret ?? null)
  stores.webSessions.configure({ maxAgeMs: config.sessionMaxAgeMs ?? DEFAULT_SESSION_MAX_AGE_MS, idleMs: config.sessionIdleMs ?? DEFAULT_SESSION_IDLE_MS })
  try {
    await stores.tokens.loadKey()
  } catch (err) {
    await database.close()
    throw err
  }
  await stores.settings.seedDefaults()
  log.info({ database: database.describe }, 'database ready')
  const fonts = fontFiles()
  if (!fonts.primary) log.warn({ fonts }, 'no Unicode font: PDFs use Helvetica, labels print record text in resident fonts only (set STUDIO_PRINT_FONT)')
  else if (fonts.fallbacks.length === 0) log.warn({ fonts }, 'no CJK fallback font: Chinese, Japanese and Korean text prints as boxes (install fonts-droid-fallback)')
  else log.info({ fonts }, 'text fonts')

  let generatedAdminToken: string | null = null
  if (config.adminToken) {
    const ensured = await stores.tokens.ensure(config.adminToken, 'admin', 'STUDIO_ADMIN_TOKEN')
    if (ensured === 'revoked') {
      log.warn('STUDIO_ADMIN_TOKEN was revoked and stays revoked: set STUDIO_ADMIN_TOKEN to a new value to make a new admin token')
    }
  } else if ((await stores.tokens.countActive('admin')) === 0) {
    generatedAdminToken = (await stores.tokens.create('admin', null, 'Administrator')).token
  }
  if (config.demo) {
    const seeded = await seedDemo(stores)
    if (seeded) log.info(seeded, 'demo records seeded')
  }

  const ctx = { config, stores, log }
  const printingModule = await createPrintingModule(ctx)
  const ippModule = await createIppModule(ctx, printingModule.service)
  const modules: ServerModule[] = [printingModule, ippModule, await createScanningModule(ctx), await createWebModule(ctx), createWebhooksModule(ctx)]
  for (const m of modules) await m.start?.()
  const app = createApp({
    stores,
    log,
    version: VERSION,
    apiRouters: modules.flatMap((m) => m.apiRouters ?? []),
    pageRouters: modules.flatMap((m) => m.pageRouters ?? []),
    metrics: await createMetrics({ stores, printing: printingModule.service, metricsToken: config.metricsToken ?? null }),
  })
  const server = createAppServer(app)
  server.keepAliveTimeout = 5_000
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(config.port, config.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}`
  log.info({ url, version: VERSION }, 'Studio Print listening')
  warmRenderPool()
  await ippModule.advertise(port)

  let stopping: Promise<void> | null = null
  const stop = () =>
    (stopping ??= (async () => {
      log.info('stopping: finishing in-flight requests')
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const force = setTimeout(() => server.closeAllConnections(), 10_000)
      // Modules end their long-lived streams (SSE) and let background work finish.
      for (const m of [...modules].reverse()) await m.stop?.()
      await closed
      clearTimeout(force)
      await database.close()
      log.info('stopped')
    })())
  return { url, port, stores, log, server, modules, generatedAdminToken, stop }
}
