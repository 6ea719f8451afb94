import { NON_HTTP_CODES, SCAN_RESULT_CODES, type ProblemCode } from '../../domain/error-codes.ts'

export { NON_HTTP_CODES }
/** Codes inside a 200 scan result (`code` of a warning or error outcome), not problem+json. */
export const SCAN_CODES = SCAN_RESULT_CODES

export interface ErrorCodeEntry {
  /** The one HTTP status a problem with this code is answered with. */
  readonly status: number
  readonly description: string
}

/**
 * Every `code` the HTTP API answers with in problem+json: its one HTTP status and its meaning.
 * The problem writer (src/server/problem.ts) takes the status from here and nowhere else. Keyed by
 * the domain's closed set of problem codes (src/domain/error-codes.ts): a code missing here, or
 * one here that is not in that set, does not compile.
 */
export const ERROR_CODES: { readonly [C in ProblemCode]: ErrorCodeEntry } = {
  VALIDATION_FAILED: { status: 400, description: 'The body or a field is not valid; `details.problems` lists each (path, message).' },
  MALFORMED_JSON: { status: 400, description: 'The body is not valid JSON.' },
  BODY_TOO_LARGE: { status: 400, description: 'The body is larger than 1 MB.' },
  BODY_REQUIRED: { status: 400, description: 'Send a JSON body with Content-Type: application/json.' },
  REQUEST_ABORTED: { status: 400, description: 'The request was aborted before its body arrived.' },
  UNSUPPORTED_ENCODING: { status: 415, description: 'The body encoding or charset is not supported.' },
  ID_INVALID: { status: 400, description: 'A path id is not a positive whole number.' },
  QUERY_INVALID: { status: 400, description: 'A query parameter is not valid.' },
  UNAUTHORIZED: { status: 401, description: 'No token, or an unknown or revoked one.' },
  FORBIDDEN: { status: 403, description: "The token's role may not do this (or a station token acts for another station)." },
  ROUTE_NOT_FOUND: { status: 404, description: 'No such route.' },
  INTERNAL_ERROR: { status: 500, description: 'Something went wrong on the server; it has been logged.' },
  NOT_FOUND: { status: 404, description: 'Something named in the request does not exist.' },
  RECORD_NOT_FOUND: { status: 404, description: 'No record with that id or barcode.' },
  REFERENCE_NOT_FOUND: { status: 422, description: "The body refers to something that does not exist: a record, or a new scanner's station; `details` names it." },
  BARCODE_INVALID: { status: 400, description: 'The barcode is not one of ours (C-, S-, INV-, PO-).' },
  BARCODE_NOT_ENCODABLE: { status: 400, description: 'The payload cannot be printed in the chosen symbology.' },
  PRODUCTION_ORDER_NUMBER_TAKEN: { status: 409, description: 'Another order has that production order number.' },
  PRODUCTION_ORDER_NUMBER_ALREADY_ASSIGNED: { status: 409, description: "An order's number can't be changed once assigned." },
  PRODUCTION_ORDER_NUMBER_MISSING: { status: 422, description: 'The document needs a production order number the order lacks.' },
  ALREADY_AT_STATUS: { status: 409, description: 'The order is at that status already.' },
  FINAL_STATUS: { status: 409, description: 'The order is at a final status.' },
  ORDER_ON_HOLD: { status: 409, description: 'The order is on hold.' },
  ORDER_CANCELLED: { status: 409, description: 'The order is cancelled.' },
  STATUS_NOT_IN_TRACK: { status: 400, description: "The status is not in the order type's track (a station's target: in no track)." },
  CONCURRENT_CHANGE: { status: 409, description: 'Another writer changed it first: read again.' },
  STATUS_TRACK_INVALID: { status: 400, description: 'The status tracks are not valid.' },
  STATUS_IN_USE: { status: 409, description: 'A status still held by an order cannot be removed.' },
  TOKEN_NOT_FOUND: { status: 404, description: 'No token with that id.' },
  LOGO_INVALID: { status: 400, description: 'The logo is not a PNG the documents can embed (≤ 1 MB, ≤ 4000 px a side).' },
  LOGO_NOT_FOUND: { status: 404, description: 'No studio logo is set.' },
  DOCUMENT_NOT_FOUND: { status: 404, description: 'No such document (or no template for it).' },
  FORMAT_NOT_SUPPORTED: { status: 415, description: 'The document has no template for that format.' },
  DOCUMENT_FORMAT_NOT_SUPPORTED: { status: 415, description: 'The printer cannot take that document in its language.' },
  MEDIA_UNKNOWN: { status: 400, description: 'Unknown media.' },
  DPI_UNSUPPORTED: { status: 400, description: 'The resolution is not supported.' },
  START_POSITION_INVALID: { status: 400, description: 'The Avery start position is out of range.' },
  ZPL_INVALID: { status: 400, description: 'The preview body is not ZPL.' },
  PREVIEW_UNAVAILABLE: { status: 503, description: 'The ZPL preview renderer is not available.' },
  TEMPLATE_INVALID: { status: 400, description: 'The template does not validate.' },
  TEMPLATE_NOT_FOUND: { status: 404, description: 'No such template version.' },
  PRINTER_NOT_FOUND: { status: 404, description: 'No such printer.' },
  PRINTER_GONE: { status: 409, description: "The job's printer has been removed since it was queued, so the job cannot be reprinted." },
  PRINTER_EXISTS: { status: 409, description: 'A printer with that name exists.' },
  PRINTER_HAS_ACTIVE_JOBS: { status: 409, description: 'The printer has pending, held or processing jobs.' },
  PRINTER_LANGUAGE_UNKNOWN: { status: 400, description: 'Unknown printer language.' },
  PRINTER_URI_INVALID: { status: 400, description: 'The printer URI is not one the drivers take.' },
  PRINTER_NOT_SIMULATED: { status: 404, description: 'Not a simulated demo printer.' },
  PRINTER_BUSY: { status: 409, description: 'The printer is busy.' },
  PRINT_JOB_NOT_FOUND: { status: 404, description: 'No such print job.' },
  PRINT_JOB_FINISHED: { status: 409, description: 'The job has ended; it cannot be canceled.' },
  PRINT_JOB_NOT_HELD: { status: 409, description: 'Only a held job can be released.' },
  RESUME_AT_INVALID: { status: 400, description: 'resumeAt is outside the confirmed … total range.' },
  IDEMPOTENCY_KEY_INVALID: { status: 400, description: 'The Idempotency-Key header is not valid.' },
  IDEMPOTENCY_KEY_REUSED: { status: 422, description: 'The Idempotency-Key was used for another request.' },
  IDEMPOTENCY_KEY_CONFLICT: { status: 409, description: 'A racing request with the same key could not be resolved; retry.' },
  STATION_NOT_FOUND: { status: 404, description: 'No such station.' },
  STATION_EXISTS: { status: 409, description: 'A station with that name exists.' },
  SCANNER_NOT_FOUND: { status: 404, description: 'No such scanner.' },
  SCANNER_EXISTS: { status: 409, description: 'A scanner with that name exists.' },
  SCANNER_URI_INVALID: { status: 400, description: 'The scanner URI is not one the drivers take.' },
  SCANNER_UNSUPPORTED: { status: 400, description: 'This server cannot open that kind of scanner (a sim: scanner where no simulators run).' },
  SCANNER_NOT_OWNED: { status: 409, description: "The scanner belongs to another location's server." },
  SCANNER_NOT_SIMULATED: { status: 409, description: 'Not a sim: scanner.' },
  NOTHING_TO_UNDO: { status: 409, description: 'The station has no advance to undo.' },
  UNDO_REFUSED: { status: 409, description: 'Too late, or the order moved since.' },
  WEBHOOK_NOT_FOUND: { status: 404, description: 'No such webhook endpoint.' },
  MIGRATIONS_PENDING: { status: 503, description: 'Readiness: the database lacks migrations.' },
  DATABASE_UNREACHABLE: { status: 503, description: 'Readiness: the database does not answer.' },
  RENDER_TIMEOUT: { status: 422, description: 'A render ran past its time limit; that one request or job failed and its worker was replaced.' },
  RENDER_MEMORY_EXCEEDED: { status: 422, description: 'A render ran past its memory limit; that one request or job failed and its worker was replaced.' },
  RENDER_FAILED: { status: 422, description: 'A render failed (its worker was replaced).' },
  RENDER_BUSY: { status: 503, description: 'Too many renders are waiting; try again shortly.' },
  PREVIEW_TOO_LARGE: { status: 422, description: 'The preview would be larger than the pixel limit.' },
  PREVIEW_TOO_COMPLEX: { status: 422, description: 'The ZPL has too many fields, or a graphic larger than it declares or than the label holds.' },
  JOB_TOO_LARGE: { status: 413, description: 'A per-job limit (records, pages, bytes, units): `details.limit`, `details.max`.' },
  PRINTER_DEVICE_PATH_INVALID: { status: 400, description: 'usb: and serial: printer URIs name device nodes only (/dev/usb/lpN, /dev/ttyXN, /dev/serial/by-id/…).' },
  FILE_PRINTERS_DISABLED: { status: 400, description: 'file: printers are off unless STUDIO_FILE_PRINTER_DIR names a spool folder.' },
  PRINTER_FILE_OUTSIDE_SPOOL: { status: 400, description: 'A file: printer must write inside the spool folder.' },
  TOO_MANY_FAILED_SIGN_INS: { status: 429, description: 'Too many failed sign-ins from this address; Retry-After says when to try again.' },
  MODE_CARD_FORBIDDEN: { status: 403, description: 'Only the station itself or an admin may switch a station by a mode card.' },
  BODY_ENCODING_INVALID: { status: 400, description: 'The body is not valid in its Content-Encoding (gzip, deflate, br).' },
}
