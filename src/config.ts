import { hostname } from 'node:os'
import { resolve } from 'node:path'
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
  /**
   * STUDIO_FILE_PRINTER_DIR: the spool folder `file:` printers write in (like CUPS's FileDevice);
   * unset: `file:` printers are off (the demo uses DATA/printed). See fileSpoolDirOf.
   */
  fileSpoolDir?: string | null
  /** STUDIO_TOKEN_SECRET: the HMAC key API tokens are stored under; unset: a key kept in the database. */
  tokenSecret?: string | null
  /** STUDIO_SESSION_HOURS: a browser session ends this long after sign-in. */
  sessionMaxAgeMs?: number
  /** STUDIO_SESSION_IDLE_MINUTES: a browser session ends after this long without a request. */
  sessionIdleMs?: number
  /** STUDIO_SCAN_EVENTS_POLL_MS: how often an idle station event stream reads the scan log for other servers' scans. */
  scanEventsPollMs?: number
  /** STUDIO_METRICS_TOKEN: a bearer secret that may read /metrics (admin tokens may too). */
  metricsToken?: string | null
}

export const DEFAULT_SESSION_MAX_AGE_MS = 7 * 24 * 3_600_000
export const DEFAULT_SESSION_IDLE_MS = 12 * 3_600_000

/** The spool folder of `file:` printers: STUDIO_FILE_PRINTER_DIR, else DATA/printed for the demo, else none (off). */
export function fileSpoolDirOf(config: Pick<Config, 'fileSpoolDir' | 'demo' | 'dataDir'>): string | null {
  if (config.fileSpoolDir) return resolve(config.fileSpoolDir)
  return config.demo ? resolve(config.dataDir, 'printed') : null
}

export const ADMIN_TOKEN_MIN_LENGTH = 24
export const ADMIN_TOKEN_MIN_DISTINCT = 12
export const TOKEN_SECRET_MIN_LENGTH = 32

export const ADMIN_TOKEN_MIN_BITS = 128

/**
 * STUDIO_ADMIN_TOKEN must be hard to guess: printable ASCII without spaces, at least 24
 * characters, at least 12 of them different, and at least 128 bits by the size of the character
 * classes it draws on (length × log2 of lower 26 + upper 26 + digits 10 + symbols 32 used).
 * Throws CONFIG_INVALID saying how to make one.
 */
export function checkAdminTokenStrength(token: string): void {
  const weak = (why: string) =>
    new ValidationError(`STUDIO_ADMIN_TOKEN is too weak: ${why}. Make one with: openssl rand -base64 32`, {}, 'CONFIG_INVALID')
  if (!/^[\x21-\x7e]+$/.test(token)) throw weak('use printable ASCII without spaces')
  if (token.length < ADMIN_TOKEN_MIN_LENGTH) throw weak(`it has ${token.length} characters; it needs at least ${ADMIN_TOKEN_MIN_LENGTH}`)
  if (token.length > 200) throw weak('it has more than 200 characters')
  const distinct = new Set(token).size
  if (distinct < ADMIN_TOKEN_MIN_DISTINCT) throw weak(`it has only ${distinct} different characters; it needs at least ${ADMIN_TOKEN_MIN_DISTINCT}`)
  const pool = (/[a-z]/.test(token) ? 26 : 0) + (/[A-Z]/.test(token) ? 26 : 0) + (/[0-9]/.test(token) ? 10 : 0) + (/[^A-Za-z0-9]/.test(token) ? 32 : 0)
  const bits = Math.floor(token.length * Math.log2(pool))
  if (bits < ADMIN_TOKEN_MIN_BITS) throw weak(`it holds about ${bits} bits; it needs ${ADMIN_TOKEN_MIN_BITS} (make it longer or mix letters, capitals, digits and symbols)`)
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ValidationError(`${name} must be a whole number 1..${max}, not "${raw}"`, {}, 'CONFIG_INVALID')
  return n
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
  if (env.STUDIO_ADMIN_TOKEN) checkAdminTokenStrength(env.STUDIO_ADMIN_TOKEN)
  const tokenSecret = env.STUDIO_TOKEN_SECRET || null
  if (tokenSecret !== null && tokenSecret.length < TOKEN_SECRET_MIN_LENGTH) {
    throw new ValidationError(`STUDIO_TOKEN_SECRET must have at least ${TOKEN_SECRET_MIN_LENGTH} characters (make one with: openssl rand -base64 48)`, {}, 'CONFIG_INVALID')
  }
  return {
    port,
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || 'sqlite:./data/studio.db',
    adminToken: env.STUDIO_ADMIN_TOKEN || null,
    demo: demo === '1',
    logLevel,
    dataDir: env.STUDIO_DATA_DIR || './data',
    serverId: serverIdFrom(env),
    fileSpoolDir: env.STUDIO_FILE_PRINTER_DIR || null,
    tokenSecret,
    sessionMaxAgeMs: positiveInt(env, 'STUDIO_SESSION_HOURS', DEFAULT_SESSION_MAX_AGE_MS / 3_600_000, 24 * 365) * 3_600_000,
    sessionIdleMs: positiveInt(env, 'STUDIO_SESSION_IDLE_MINUTES', DEFAULT_SESSION_IDLE_MS / 60_000, 60 * 24 * 365) * 60_000,
    scanEventsPollMs: scanEventsPollMs(env),
    metricsToken: env.STUDIO_METRICS_TOKEN || null,
  }
}

/** STUDIO_SCAN_EVENTS_POLL_MS: 50..60000 ms, 500 when unset. */
function scanEventsPollMs(env: NodeJS.ProcessEnv): number {
  const raw = env.STUDIO_SCAN_EVENTS_POLL_MS
  if (raw === undefined || raw === '') return 500
  const ms = /^\d{1,5}$/.test(raw) ? Number(raw) : NaN
  if (!(ms >= 50 && ms <= 60_000)) throw new ValidationError(`STUDIO_SCAN_EVENTS_POLL_MS must be 50..60000 (ms), not "${raw}"`, {}, 'CONFIG_INVALID')
  return ms
}
