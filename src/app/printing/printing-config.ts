/**
 * Timings and identity of the printing module. The timings are STUDIO_PRINT_* (read by the
 * configuration schema, src/config/env-schema.ts); the printing module adds the identity.
 */
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
