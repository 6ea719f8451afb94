import type { RecordType } from '../../domain/records.ts'
import type { AdvanceFlag } from '../../domain/status-track.ts'
import type { ScanOutcome, StationMode } from '../../domain/scan-routing.ts'
import type { AnyRecordView } from '../record-views.ts'

/**
 * One scan's result: the HTTP answer to `POST /api/stations/:name/scans`, and the `data` of an
 * event on `GET /api/stations/:name/events` (whose `id:` is `scanId`).
 */
export interface ScanResult {
  scanId: number
  station: string
  /** The scanner that read it; null for HTTP scans. */
  scanner: string | null
  source: 'scanner' | 'http'
  /** The scanned text as decoded (control bytes shown as \xNN for refused frames). */
  data: string
  outcome: ScanOutcome
  /** For warnings and errors (and `mode-changed`/`undone` from cards): a stable UPPER_SNAKE code. */
  code?: string
  message?: string
  type?: RecordType
  record?: AnyRecordView
  /** Status keys of an advance (or of an undo: from the undone status back to the earlier one). */
  from?: string
  fromName?: string
  to?: string
  toName?: string
  flags?: AdvanceFlag[]
  /** The order's current status (after the scan) wherever an order is known. */
  status?: { key: string; name: string }
  /** The client of the record, where known. */
  client?: { id: number; number: number; name: string }
  /** After a mode card: the station's mode and target. */
  mode?: StationMode
  advanceTo?: string | null
  /** The station's batch the scan belongs to. */
  batch?: number
  /** An advance: another station moved this order just before, in its current batch (a different station is a different step). */
  alsoMovedAt?: string
  /** MOVED_ON_ELSEWHERE (on the screen of the station that moved it before): the station that moved it on. */
  movedAt?: string
  /** A lookup scan that replaced the record open before. */
  replaced?: { type: string; id: number }
  /** Symbology named by the scanner's AIM identifier, when it sent one. */
  symbology?: string | null
  /** The AIM identifier as the scanner sent it (`]C0`), when it sent one. */
  aimId?: string
  /** ISO instant the scan was handled. */
  at: string
}

/** A scanner's connection state as `GET /api/scanners` and `event: scanner` show it. */
export interface ScannerStateView {
  connected: boolean
  lastScanAt: string | null
  lastError: { code: string; message: string; at: string } | null
  reconnects: number
}
