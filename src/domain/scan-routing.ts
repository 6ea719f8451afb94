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
export const SCAN_OUTCOMES = ['opened', 'advanced', 'warning', 'error', 'mode-changed', 'closed', 'undone', 'batch-started'] as const
export type ScanOutcome = (typeof SCAN_OUTCOMES)[number]

/** Every code a scan result may carry, with whether it is a warning (nothing wrong, nothing done) or an error. */
export const SCAN_CODES = {
  RECORD_NOT_FOUND: 'error',
  BARCODE_INVALID: 'error',
  WRONG_RECORD_TYPE: 'error',
  RECORD_ALREADY_OPEN: 'error',
  DUPLICATE_SCAN: 'warning',
  CONCURRENT_CHANGE: 'warning',
  /** A chosen-status station whose status is not picked yet: nothing is moved. */
  TARGET_NOT_CHOSEN: 'error',
  /** Undo with nothing left to undo in the batch (or the UNDO card read again). */
  NOTHING_TO_UNDO: 'warning',
  UNDO_REFUSED: 'error',
  ...ADVANCE_REFUSALS,
} as const
export type ScanCode = keyof typeof SCAN_CODES

export function severityOf(code: string): 'warning' | 'error' {
  return (SCAN_CODES as Record<string, 'warning' | 'error'>)[code] ?? 'error'
}

/** Where each scanned order goes at an advance station: its next status, or a chosen one (`advanceTo`; null until picked). */
export const TARGET_KINDS = ['next', 'chosen'] as const
export type TargetKind = (typeof TARGET_KINDS)[number]

export interface OpenRecordView {
  type: string
  id: number
  /** How a person names it ("Client C-000123"): refusals name the open record. */
  label?: string
  /** The open record has changes not saved yet (a scan must not throw them away). */
  unsaved?: boolean
}

export interface StationView {
  name: string
  mode: StationMode
  target?: TargetKind
  advanceTo: string | null
  allowBackward?: boolean
  openRecord: OpenRecordView | null
}

export type ScanRoute =
  | { action: 'card'; card: ScanCard }
  | { action: 'refuse'; code: ScanCode; message: string }
  | { action: 'open'; payload: ParsedPayload; replaces: OpenRecordView | null }
  | { action: 'advance'; payload: ParsedPayload; to: string | undefined; allowBackward: boolean }

/**
 * The one rule of every scan surface (front desk page and lookup stations): a scan replaces the
 * open record, unless the open record has unsaved changes; then it is refused, naming the open
 * record and how to close it.
 */
export function decideOpen(surface: string, open: OpenRecordView | null): { refuse: false } | { refuse: true; code: 'RECORD_ALREADY_OPEN'; message: string } {
  if (!open || !open.unsaved) return { refuse: false }
  const name = open.label ?? `${open.type} #${open.id}`
  return {
    refuse: true,
    code: 'RECORD_ALREADY_OPEN',
    message: `${name} is open at ${surface} with unsaved changes; save or discard them, then close it (Close record, or the STATION-CLOSE card) before scanning the next record.`,
  }
}

/**
 * Routes decoded scan data at a station. Cards first (they work in any mode); then the record
 * payload: lookup stations open it unless a record is open, advance stations take production
 * orders only and move them to the next status or the station's target.
 *
 * `data` is decoded: the scanner (or the HTTP decode) already read its AIM identifier, or
 * decided there was none, and `aimId` is that decision. So the data is never stripped again: a
 * `]A0C-1` read by a scanner without identifiers is that text, not the client barcode `C-1`.
 */
export function routeScan(station: StationView, data: string, aimId: string | null = null): ScanRoute {
  const card = parseScanCard(data)
  if (card) return { action: 'card', card }
  let payload: ParsedPayload
  try {
    payload = parsePayload(data, { aim: 'off', aimId })
  } catch (err) {
    return { action: 'refuse', code: 'BARCODE_INVALID', message: err instanceof AppError ? err.message : 'Not a Studio Print barcode.' }
  }
  if (station.mode === 'lookup') {
    const open = decideOpen(station.name, station.openRecord)
    if (open.refuse) return { action: 'refuse', code: open.code, message: open.message }
    return { action: 'open', payload, replaces: station.openRecord }
  }
  if (payload.type !== 'production-order') {
    return { action: 'refuse', code: 'WRONG_RECORD_TYPE', message: `This is a ${payload.type} barcode; the ${station.name} station updates production orders (PO-).` }
  }
  if (station.target === 'chosen' && station.advanceTo === null) {
    return { action: 'refuse', code: 'TARGET_NOT_CHOSEN', message: `${station.name} is set to a chosen status, but none is picked yet; pick the status (or scan its card), then scan the order again. Nothing was moved.` }
  }
  return { action: 'advance', payload, to: station.advanceTo ?? undefined, allowBackward: station.allowBackward ?? false }
}
