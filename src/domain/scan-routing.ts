/**
 * Where a scan goes at a station: pure decisions, no I/O. The app layer (src/app/scanning)
 * sequences the reads and writes these decisions call for.
 */
import { parsePayload, type ParsedPayload } from './barcode-payload.ts'
import { AppError } from './errors.ts'
import { ADVANCE_REFUSALS } from './status-track.ts'
import { parseScanCard, type ScanCard } from './scan-cards.ts'

export const STATION_MODES = ['lookup', 'advance'] as const
export type StationMode = (typeof STATION_MODES)[number]

/**
 * What a scan came to. CONTRACT.md's four (`opened`, `advanced`, `warning`, `error`), plus what
 * a mode card, a close or an undo does at the station.
 */
export const SCAN_OUTCOMES = ['opened', 'advanced', 'warning', 'error', 'mode-changed', 'closed', 'undone'] as const
export type ScanOutcome = (typeof SCAN_OUTCOMES)[number]

/** Every code a scan result may carry, with whether it is a warning (nothing wrong, nothing done) or an error. */
export const SCAN_CODES = {
  RECORD_NOT_FOUND: 'error',
  BARCODE_INVALID: 'error',
  WRONG_RECORD_TYPE: 'error',
  RECORD_ALREADY_OPEN: 'error',
  DUPLICATE_SCAN: 'warning',
  CONCURRENT_CHANGE: 'warning',
  ...ADVANCE_REFUSALS,
} as const
export type ScanCode = keyof typeof SCAN_CODES

export function severityOf(code: string): 'warning' | 'error' {
  return (SCAN_CODES as Record<string, 'warning' | 'error'>)[code] ?? 'error'
}

export function isScanCode(code: string): code is ScanCode {
  return Object.hasOwn(SCAN_CODES, code)
}

export interface StationView {
  name: string
  mode: StationMode
  advanceTo: string | null
  openRecord: { type: string; id: number } | null
}

export type ScanRoute =
  | { action: 'card'; card: ScanCard }
  | { action: 'refuse'; code: ScanCode; message: string }
  | { action: 'open'; payload: ParsedPayload }
  | { action: 'advance'; payload: ParsedPayload; to: string | undefined }

/**
 * Routes decoded scan data at a station. Cards first (they work in any mode); then the record
 * payload: lookup stations open it unless a record is open, advance stations take production
 * orders only and move them to the next status or the station's target.
 */
export function routeScan(station: StationView, data: string): ScanRoute {
  const card = parseScanCard(data)
  if (card) return { action: 'card', card }
  let payload: ParsedPayload
  try {
    payload = parsePayload(data)
  } catch (err) {
    return { action: 'refuse', code: 'BARCODE_INVALID', message: err instanceof AppError ? err.message : 'Not a Studio Print barcode.' }
  }
  if (station.mode === 'lookup') {
    if (station.openRecord) {
      return { action: 'refuse', code: 'RECORD_ALREADY_OPEN', message: `A ${station.openRecord.type} is open at ${station.name}; close it before scanning the next record.` }
    }
    return { action: 'open', payload }
  }
  if (payload.type !== 'production-order') {
    return { action: 'refuse', code: 'WRONG_RECORD_TYPE', message: `This is a ${payload.type} barcode; the ${station.name} station updates production orders (PO-).` }
  }
  return { action: 'advance', payload, to: station.advanceTo ?? undefined }
}
