import { hostname } from 'node:os'
import { ValidationError } from './domain/errors.ts'

export interface Config {
  port: number
  host: string
  databaseUrl: string
  adminToken: string | null
  demo: boolean
  logLevel: string
  /** Where the demo's simulated printers leave what they print. */
  dataDir: string
  /**
   * STUDIO_SERVER_ID: the location this server serves (DOMAIN.md "Several locations"). It sends
   * only to printers and opens only scanners of that location. Default: the host name.
   */
  serverId: string
  /** STUDIO_METRICS_TOKEN: a bearer secret that may read /metrics (admin tokens may too). */
  metricsToken?: string | null
}

/** The server id of STUDIO_SERVER_ID, else the host name; at most 80 characters (the location columns). */
export function serverIdFrom(env: NodeJS.ProcessEnv = process.env): string {
  return (env.STUDIO_SERVER_ID || hostname()).slice(0, 80)
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

/** The environment of CONTRACT.md, checked: a bad value stops the start with a clear message. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ValidationError(`PORT must be 0..65535, not "${env.PORT}"`, {}, 'CONFIG_INVALID')
  const logLevel = env.LOG_LEVEL || 'info'
  if (!LEVELS.includes(logLevel)) throw new ValidationError(`LOG_LEVEL must be one of ${LEVELS.join(', ')}`, {}, 'CONFIG_INVALID')
  const demo = env.STUDIO_DEMO ?? '0'
  if (!['0', '1'].includes(demo)) throw new ValidationError('STUDIO_DEMO must be 0 or 1', {}, 'CONFIG_INVALID')
  return {
    port,
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || 'sqlite:./data/studio.db',
    adminToken: env.STUDIO_ADMIN_TOKEN || null,
    demo: demo === '1',
    logLevel,
    dataDir: env.STUDIO_DATA_DIR || './data',
    serverId: serverIdFrom(env),
    metricsToken: env.STUDIO_METRICS_TOKEN || null,
  }
}
