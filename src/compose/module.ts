import type { Router } from 'express'
import type { Logger } from 'pino'
import type { Config } from '../config.ts'
import type { Stores } from '../app/stores.ts'

/** What every feature module is handed by the composition root (src/start.ts). */
export interface ModuleContext {
  config: Config
  stores: Stores
  log: Logger
}

/**
 * A feature (printing, scanning, web pages): its routers and its background work. The server
 * mounts `apiRouters` under /api behind the token check, `pageRouters` at the root; calls
 * `start()` after the database is ready and `stop()` on shutdown (before the database closes).
 */
export interface ServerModule {
  name: string
  apiRouters?: Router[]
  pageRouters?: Router[]
  start?(): Promise<void>
  stop?(): Promise<void>
}
