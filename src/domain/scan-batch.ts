import { ValidationError } from './errors.ts'

/**
 * Batches at a status-update station. A batch is server-side: it starts with the station, with
 * New batch (button or card), with a change of mode or target, and by itself when the station has
 * been idle longer than the studio's idle time. Duplicate-in-batch and undo are per batch.
 */
export interface ScanningPreferences {
  /** A batch with no scan for this many minutes ends; the next scan starts the next batch. */
  batchIdleMinutes: number
}

export const DEFAULT_SCANNING: ScanningPreferences = { batchIdleMinutes: 30 }
export const BATCH_IDLE_LIMITS = { min: 1, max: 24 * 60 } as const

export function checkScanningPreferences(input: ScanningPreferences): ScanningPreferences {
  const m = input.batchIdleMinutes
  if (!Number.isInteger(m) || m < BATCH_IDLE_LIMITS.min || m > BATCH_IDLE_LIMITS.max) {
    throw new ValidationError(`batchIdleMinutes must be a whole number from ${BATCH_IDLE_LIMITS.min} to ${BATCH_IDLE_LIMITS.max}.`, { batchIdleMinutes: m }, 'VALIDATION_FAILED')
  }
  return { batchIdleMinutes: m }
}
