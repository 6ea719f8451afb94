import { hostname } from 'node:os'
import { randomBytes } from 'node:crypto'
import { serverIdFrom } from '../../config.ts'

/** Timings and identity of the printing module (environment, all optional). */
export interface PrintingConfig {
  /** STUDIO_SERVER_ID: the location this server serves; it sends only to printers of that location. Default: the host name. */
  serverId: string
  /** This process: `host:pid:random` — the claimer recorded on jobs. */
  instance: string
  /** STUDIO_PRINT_LEASE_MS: how long a claim lasts without renewal (renewed every third of it). */
  leaseMs: number
  /** STUDIO_PRINT_RETRY_MS / STUDIO_PRINT_RETRY_MAX_MS: backoff while a printer is unreachable or stopped. */
  retryMs: number
  retryMaxMs: number
  /** STUDIO_PRINT_POLL_MS: fallback poll for jobs queued by other servers and new printers. */
  pollMs: number
  /** STUDIO_PRINT_STATUS_PROBE_MS: how often an idle printer's status is probed in the background (the API answers from the last probe). */
  statusProbeMs: number
  connectTimeoutMs: number
  writeTimeoutMs: number
  statusTimeoutMs: number
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive whole number of milliseconds, not "${raw}"`)
  return n
}

export function loadPrintingConfig(env: NodeJS.ProcessEnv = process.env): PrintingConfig {
  const host = hostname()
  return {
    serverId: serverIdFrom(env),
    instance: `${host}:${process.pid}:${randomBytes(3).toString('hex')}`,
    leaseMs: int(env, 'STUDIO_PRINT_LEASE_MS', 30_000),
    retryMs: int(env, 'STUDIO_PRINT_RETRY_MS', 1_000),
    retryMaxMs: int(env, 'STUDIO_PRINT_RETRY_MAX_MS', 30_000),
    pollMs: int(env, 'STUDIO_PRINT_POLL_MS', 2_000),
    statusProbeMs: Math.max(250, int(env, 'STUDIO_PRINT_STATUS_PROBE_MS', 2_000)),
    connectTimeoutMs: int(env, 'STUDIO_PRINT_CONNECT_TIMEOUT_MS', 3_000),
    writeTimeoutMs: int(env, 'STUDIO_PRINT_WRITE_TIMEOUT_MS', 15_000),
    statusTimeoutMs: int(env, 'STUDIO_PRINT_STATUS_TIMEOUT_MS', 2_000),
  }
}
