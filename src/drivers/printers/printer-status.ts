/**
 * Printer status in IPP terms (RFC 8011 printer-state / printer-state-reasons), whatever the
 * device language. Reasons are IPP keywords with a severity suffix.
 */
export const PRINTER_STATES = ['idle', 'processing', 'stopped', 'offline'] as const
export type PrinterState = (typeof PRINTER_STATES)[number]

export interface PrinterStatus {
  state: PrinterState
  /** IPP printer-state-reasons keywords, e.g. 'media-empty-error', 'media-low-warning'. Never 'none'. */
  reasons: string[]
  /** Human-readable details from the device (e.g. 'head over temperature'). */
  details?: string[]
  /** Which query produced it: '~HS', '~HQES', 'DLE EOT', 'ipp', 'connect', 'none'. */
  source?: string
}

export type ReasonSeverity = 'report' | 'warning' | 'error'

/** Severity by suffix; a keyword without a suffix is an error (RFC 8011 §5.4.12). */
export function reasonSeverity(keyword: string): ReasonSeverity {
  if (keyword.endsWith('-report')) return 'report'
  if (keyword.endsWith('-warning')) return 'warning'
  return 'error'
}

/** The keyword without its severity suffix ('media-empty-error' → 'media-empty'). */
export function reasonBase(keyword: string): string {
  return keyword.replace(/-(report|warning|error)$/, '')
}

/** Drops 'none', removes duplicates, keeps order. */
export function normalizeReasons(reasons: Iterable<string>): string[] {
  return [...new Set([...reasons].map((r) => r.trim()).filter((r) => r !== '' && r !== 'none'))]
}

/** Any error-severity reason means stopped; otherwise busy → processing, else idle. */
export function stateFromReasons(reasons: string[], busy = false): PrinterState {
  if (reasons.some((r) => reasonSeverity(r) === 'error')) return 'stopped'
  return busy ? 'processing' : 'idle'
}

/** Whether a job can be sent now: not stopped, not offline. */
export function isReady(status: PrinterStatus): boolean {
  return status.state === 'idle' || status.state === 'processing'
}

/** The error-severity reasons (those that stop printing). */
export function blockingReasons(status: PrinterStatus): string[] {
  return status.reasons.filter((r) => reasonSeverity(r) === 'error')
}
