/**
 * The words and closed sets the web pages share with the server, served as two generated ES
 * modules (/assets/js/documents.js, /assets/js/vocabulary.js) built from the domain's own tables,
 * so no page script keeps a copy that could drift. Their types: web/types/*.d.ts.
 */
import { DOCUMENT_FORMATS, DOCUMENT_TITLES } from '../../domain/documents.ts'
import { RECORD_COLLECTIONS, RECORD_TYPE_NAMES, RECORD_TYPES } from '../../domain/records.ts'
import { PAYLOAD_PATTERN, PAYLOAD_PREFIXES } from '../../domain/barcode-payload.ts'
import { ACTIVE_STATES, FINAL_STATES, JOB_REASONS, JOB_STATES } from '../../domain/print-job.ts'
import { SEQUENCE_KINDS, STATUS_KINDS } from '../../domain/status-track.ts'
import { SCAN_OUTCOMES, STATION_MODES } from '../../domain/scan-routing.ts'
import { LABEL_STOCK } from '../../templates/media.ts'
import { PRINTER_LANGUAGE_TITLES } from '../../domain/printer-language.ts'

/** Each module's exports, name → value (JSON). */
export const PAGE_MODULES: Readonly<Record<'documents.js' | 'vocabulary.js', Readonly<Record<string, unknown>>>> = {
  'documents.js': { FORMATS: DOCUMENT_FORMATS, DOC_NAMES: DOCUMENT_TITLES, LABEL_STOCK },
  'vocabulary.js': {
    RECORD_TYPES,
    TYPE_NAMES: RECORD_TYPE_NAMES,
    COLLECTIONS: RECORD_COLLECTIONS,
    BARCODE_PREFIXES: PAYLOAD_PREFIXES,
    /** The source of the domain's payload pattern: a page tests trimmed text with the `i` flag. */
    BARCODE_PATTERN: PAYLOAD_PATTERN.source,
    JOB_STATES,
    ACTIVE_STATES,
    FINAL_STATES,
    JOB_REASONS,
    STATUS_KINDS,
    SEQUENCE_KINDS,
    STATION_MODES,
    SCAN_OUTCOMES,
    PRINTER_LANGUAGE_TITLES,
  },
}

/** The module's text: one `export const NAME = <JSON>` line per export. */
export function pageModuleText(name: keyof typeof PAGE_MODULES): string {
  return Object.entries(PAGE_MODULES[name])
    .map(([key, value]) => `export const ${key} = ${JSON.stringify(value)}\n`)
    .join('')
}
