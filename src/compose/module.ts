import type { Router } from 'express'
import type { Logger } from 'pino'
import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import type { Config, ConfigSections } from '../config/load-config.ts'
import type { Stores } from '../app/stores.ts'

/** What every feature module is handed by the composition root (src/start.ts). */
export interface ModuleContext {
  /** The configuration read at start, every section present. */
  config: Config & ConfigSections
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

/** This process, as claimer of jobs and deliveries: `host:pid:random`. */
export function instanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
}
