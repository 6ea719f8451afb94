// The types of /assets/js/vocabulary.js, which the server generates from these very tables
// (src/server/web/page-vocabulary.ts): tsconfig.web.json's rootDirs set this file beside the page scripts.
import type { RecordType } from '../../../domain/records.ts'
import type { JobReason, JobState } from '../../../domain/print-job.ts'
import type { StatusKind } from '../../../domain/status-track.ts'
import type { ScanOutcome, StationMode } from '../../../domain/scan-routing.ts'
import type { PrinterLanguage } from '../../../domain/printer-language.ts'

export const RECORD_TYPES: readonly RecordType[]
export const TYPE_NAMES: Readonly<Record<RecordType, string>>
export const COLLECTIONS: Readonly<Record<RecordType, string>>
export const BARCODE_PREFIXES: Readonly<Record<RecordType, string>>
/** The source of the server's payload pattern: test trimmed text with `new RegExp(BARCODE_PATTERN, 'i')`. */
export const BARCODE_PATTERN: string
export const JOB_STATES: readonly JobState[]
export const ACTIVE_STATES: readonly JobState[]
export const FINAL_STATES: readonly JobState[]
export const JOB_REASONS: Readonly<Record<JobReason, string>>
export const STATUS_KINDS: readonly StatusKind[]
export const SEQUENCE_KINDS: readonly StatusKind[]
export const STATION_MODES: readonly StationMode[]
export const SCAN_OUTCOMES: readonly ScanOutcome[]
/** Each printer language's name on the settings page, in the table's order. */
export const PRINTER_LANGUAGE_TITLES: Readonly<Record<PrinterLanguage, string>>
