import { z } from 'zod'
import * as inputs from '../../domain/inputs.ts'
import { OUTPUT_FORMATS } from '../../domain/documents.ts'
import { printJobInput } from '../../app/printing/print-jobs.ts'
import { printerCreate, printerPatch, releaseBody } from '../routes/printing.ts'
import { scanBody, scannerCreate, scanningPrefs, simBody, stationCreate, stationPatch } from '../routes/stations.ts'
import { statusChange } from '../routes/production.ts'
import { activate as templateActivate, preview as templatePreview, upload as templateUpload } from '../routes/templates.ts'
import { body as printerSimBody } from '../routes/printer-sim.ts'
import { webhookCreate, webhookPatch } from '../../app/webhooks/webhook-rules.ts'
import * as out from './responses.ts'
import type { ProblemCode } from '../../domain/error-codes.ts'

export type Method = 'get' | 'post' | 'put' | 'patch' | 'delete'
export type Role = 'public' | 'admin' | 'client' | 'station' | 'metrics'

/** A response body: JSON of a zod schema, or another media type. */
export type Body = z.ZodType | { mediaType: string; description: string }

export interface Operation {
  method: Method
  /** Express-style path (`/api/clients/:id`). */
  path: string
  tag: string
  summary: string
  /** Who may call it: admin may call everything not public. */
  roles: Role[]
  body?: Body
  bodyExample?: unknown
  query?: Record<string, { schema: z.ZodType; description: string }>
  headers?: Record<string, { schema: z.ZodType; description: string }>
  response: { status: number; body?: Body; description?: string }
  /** The error codes it may answer with besides those every request can meet. */
  errors?: readonly ProblemCode[]
}

const bin = (mediaType: string, description: string) => ({ mediaType, description })
const html = bin('text/html', 'An HTML page')
const limitAfter = { limit: { schema: z.string().regex(/^\d+$/), description: 'Page size 1–500 (default 50)' }, after: { schema: z.string().regex(/^\d+$/), description: 'The last id of the previous page' } }
const idempotency = { 'Idempotency-Key': { schema: z.string().max(200), description: 'The same key returns the same job, never a second print' } }
const recordErrors: ProblemCode[] = ['RECORD_NOT_FOUND', 'ID_INVALID']
const client: Role[] = ['client']
const anyRole: Role[] = ['client', 'station']

function records(name: string, tag: string, create: z.ZodType, patch: z.ZodType, view: z.ZodType, example: unknown, filters: Operation['query'] = {}): Operation[] {
  return [
    { method: 'post', path: `/api/${name}`, tag, summary: `Create a ${tag.toLowerCase()} record`, roles: client, body: create, bodyExample: example, response: { status: 201, body: view }, errors: ['REFERENCE_NOT_FOUND'] },
    { method: 'get', path: `/api/${name}`, tag, summary: `List ${tag.toLowerCase()} records (paged by id)`, roles: client, query: { ...limitAfter, ...filters }, response: { status: 200, body: out.page(view) }, errors: ['QUERY_INVALID'] },
    { method: 'get', path: `/api/${name}/:id`, tag, summary: `One ${tag.toLowerCase()} record`, roles: client, response: { status: 200, body: view }, errors: recordErrors },
    { method: 'patch', path: `/api/${name}/:id`, tag, summary: `Change a ${tag.toLowerCase()} record`, roles: client, body: patch, response: { status: 200, body: view }, errors: [...recordErrors, 'REFERENCE_NOT_FOUND'] },
  ]
}

/** Every route the server registers (a test compares this list with the running app). */
export const OPERATIONS: Operation[] = [
  // ------------------------------------------------------------ operations
  { method: 'get', path: '/api/health', tag: 'Operations', summary: 'Liveness: the process answers', roles: ['public'], response: { status: 200, body: out.health } },
  { method: 'get', path: '/api/health/ready', tag: 'Operations', summary: 'Readiness: the database answers and every migration has run', roles: ['public'], response: { status: 200, body: out.ready }, errors: ['MIGRATIONS_PENDING', 'DATABASE_UNREACHABLE'] },
  { method: 'get', path: '/metrics', tag: 'Operations', summary: 'Prometheus metrics (Bearer STUDIO_METRICS_TOKEN or an admin token)', roles: ['metrics'], response: { status: 200, body: bin('text/plain', 'Prometheus text exposition format 0.0.4') } },
  { method: 'get', path: '/api/openapi.json', tag: 'Operations', summary: 'This OpenAPI 3.1 document', roles: ['public'], response: { status: 200, body: bin('application/json', 'OpenAPI 3.1') } },
  { method: 'get', path: '/api/docs', tag: 'Operations', summary: 'The API reference as an HTML page, rendered from this document', roles: ['public'], response: { status: 200, body: html } },
  // ------------------------------------------------------------ tokens
  { method: 'post', path: '/api/tokens', tag: 'Tokens', summary: 'Create an API token (the secret is shown once)', roles: ['admin'], body: inputs.tokenCreate, bodyExample: { role: 'station', station: 'production', label: 'production scanner PC' }, response: { status: 201, body: out.tokenCreated } },
  { method: 'get', path: '/api/tokens', tag: 'Tokens', summary: 'List tokens (no secrets)', roles: ['admin'], response: { status: 200, body: out.items(out.tokenInfo) } },
  { method: 'delete', path: '/api/tokens/:id', tag: 'Tokens', summary: 'Revoke a token at once', roles: ['admin'], response: { status: 204 }, errors: ['TOKEN_NOT_FOUND', 'ID_INVALID'] },
  // ------------------------------------------------------------ records
  ...records('clients', 'Clients', inputs.clientCreate, inputs.clientPatch, out.client, { lastName: 'Rivera', firstName: 'Ana', phones: [{ label: 'mobile', number: '555-0100' }], email: 'ana@example.com' }, { q: { schema: z.string().max(200), description: 'Every word in the name, organization, email, phone or notes' } }),
  ...records('sessions', 'Sessions', inputs.sessionCreate, inputs.sessionPatch, out.session, { clientId: 1, sessionType: 'Portrait', startsAt: '2026-05-02T15:00:00Z', endsAt: '2026-05-02T16:00:00Z', photographer: 'Sam' }, { clientId: { schema: z.string().regex(/^\d+$/), description: 'Only this client' } }),
  ...records('invoices', 'Invoices', inputs.invoiceCreate, inputs.invoicePatch, out.invoice, { invoiceType: 'initial-order', clientId: 1, lines: [{ item: '8x10 print', quantity: 2, unitPrice: 2500 }] }, { clientId: { schema: z.string().regex(/^\d+$/), description: 'Only this client' } }),
  ...records('production-orders', 'Production orders', inputs.orderCreate, inputs.orderPatch, out.order, { clientId: 1, vendor: 'Bay Photo', lines: [{ item: '16x20 canvas', quantity: 1 }], productionOrderNumber: 'auto' }, {
    clientId: { schema: z.string().regex(/^\d+$/), description: 'Only this client' },
    status: { schema: z.string().max(40), description: 'Only orders at this status key' },
  }),
  { method: 'get', path: '/api/production-orders/:id/history', tag: 'Production orders', summary: 'Status history: from, to, when, who, station', roles: client, response: { status: 200, body: out.anyObject }, errors: recordErrors },
  { method: 'post', path: '/api/production-orders/:id/advance', tag: 'Production orders', summary: 'Advance to the next status, or to `to` (compare-and-set)', roles: client, body: inputs.advanceInput, bodyExample: { to: 'sent-to-lab' }, response: { status: 200, body: out.advanced }, errors: [...recordErrors, 'ALREADY_AT_STATUS', 'FINAL_STATUS', 'ORDER_ON_HOLD', 'ORDER_CANCELLED', 'STATUS_NOT_IN_TRACK', 'CONCURRENT_CHANGE'] },
  { method: 'get', path: '/api/lookup', tag: 'Records', summary: 'The record a barcode stands for', roles: anyRole, query: { barcode: { schema: z.string().max(200), description: 'C-000123, S-…, INV-…, PO-… (any case, with or without hyphen, AIM prefix)' } }, response: { status: 200, body: out.lookup }, errors: ['RECORD_NOT_FOUND', 'BARCODE_INVALID'] },
  // ------------------------------------------------------------ settings
  { method: 'get', path: '/api/preferences/barcoding', tag: 'Settings', summary: 'Barcoding preferences', roles: anyRole, response: { status: 200, body: out.anyObject } },
  { method: 'put', path: '/api/preferences/barcoding', tag: 'Settings', summary: 'Set the barcoding preferences', roles: ['admin'], body: inputs.barcodingInput, bodyExample: { clientPrintouts: true, sessionPrintouts: true, invoicePrintouts: true, productionOrders: true, symbology: 'code128' }, response: { status: 200, body: out.anyObject } },
  { method: 'get', path: '/api/preferences/studio', tag: 'Settings', summary: 'The studio header on documents', roles: anyRole, response: { status: 200, body: out.anyObject } },
  { method: 'put', path: '/api/preferences/studio', tag: 'Settings', summary: 'Set the studio header', roles: ['admin'], body: inputs.studioInput, response: { status: 200, body: out.anyObject } },
  { method: 'put', path: '/api/preferences/studio/logo', tag: 'Settings', summary: 'Set the logo (a PNG body, ≤ 1 MB)', roles: ['admin'], body: bin('image/png', 'The logo'), response: { status: 204 }, errors: ['LOGO_INVALID'] },
  { method: 'get', path: '/api/preferences/studio/logo', tag: 'Settings', summary: 'The logo', roles: anyRole, response: { status: 200, body: bin('image/png', 'The logo') }, errors: ['LOGO_NOT_FOUND'] },
  { method: 'delete', path: '/api/preferences/studio/logo', tag: 'Settings', summary: 'Remove the logo', roles: ['admin'], response: { status: 204 } },
  { method: 'get', path: '/api/production-statuses', tag: 'Settings', summary: 'The status tracks', roles: anyRole, response: { status: 200, body: z.array(out.anyObject) } },
  { method: 'put', path: '/api/production-statuses', tag: 'Settings', summary: 'Replace the status tracks', roles: ['admin'], body: inputs.tracksInput, response: { status: 200, body: z.array(out.anyObject) }, errors: ['STATUS_TRACK_INVALID', 'STATUS_IN_USE'] },
  // ------------------------------------------------------------ documents and templates
  { method: 'get', path: '/api/documents/:document/:recordId', tag: 'Documents', summary: 'A rendered printout', roles: client, query: {
    format: { schema: z.enum(OUTPUT_FORMATS), description: 'Default pdf' },
    media: { schema: z.string().regex(/^[a-z0-9.-]{1,20}$/), description: '4x6, 2.25x1.25, dymo-30252, avery-5160' },
    dpi: { schema: z.enum(['203', '300']), description: 'Label resolution' },
    start: { schema: z.string().regex(/^\d{1,2}$/), description: 'Avery start position 1–30' },
    width: { schema: z.enum(['58', '80']), description: 'Receipt width (mm)' },
  }, response: { status: 200, body: bin('application/pdf', 'PDF, PNG, ZPL/EPL text or ESC/POS bytes by format') }, errors: ['DOCUMENT_NOT_FOUND', 'RECORD_NOT_FOUND', 'ID_INVALID', 'QUERY_INVALID', 'FORMAT_NOT_SUPPORTED', 'PRODUCTION_ORDER_NUMBER_MISSING', 'MEDIA_UNKNOWN', 'START_POSITION_INVALID', 'BARCODE_NOT_ENCODABLE'] },
  { method: 'post', path: '/api/preview', tag: 'Documents', summary: 'Any ZPL in the body → PNG (or PDF with Accept: application/pdf); X-Total-Count: labels in the stream', roles: client, body: bin('text/plain', 'ZPL (^XA … ^XZ), the bytes as sent'), query: { dpmm: { schema: z.string(), description: '6, 8, 12 or 24' }, width: { schema: z.string(), description: 'inches' }, height: { schema: z.string(), description: 'inches' }, index: { schema: z.string(), description: 'the label, from 0 (as Labelary counts); PNG default 0, PDF default every label' } }, response: { status: 200, body: bin('image/png', 'The label') }, errors: ['QUERY_INVALID', 'ZPL_INVALID', 'PREVIEW_UNAVAILABLE'] },
  { method: 'get', path: '/api/templates', tag: 'Templates', summary: 'Label templates: active version, fields, versions', roles: client, response: { status: 200, body: out.items(out.anyObject) } },
  { method: 'get', path: '/api/templates/:document/versions/:version', tag: 'Templates', summary: 'One stored template version', roles: client, response: { status: 200, body: out.anyObject }, errors: ['DOCUMENT_NOT_FOUND', 'TEMPLATE_NOT_FOUND', 'ID_INVALID'] },
  { method: 'post', path: '/api/templates/:document', tag: 'Templates', summary: 'Upload a template (ZPL code pages ^CI0/^CI13/^CI27 re-encoded as ^CI28 and ^FH added before placeholders, listed in conversions; validated, stored as the next version, made active)', roles: ['admin'], body: templateUpload, response: { status: 201, body: out.anyObject }, errors: ['DOCUMENT_NOT_FOUND', 'TEMPLATE_INVALID'] },
  { method: 'put', path: '/api/templates/:document/active', tag: 'Templates', summary: 'Switch the active version (null: the built-in)', roles: ['admin'], body: templateActivate, response: { status: 200, body: out.anyObject }, errors: ['DOCUMENT_NOT_FOUND', 'TEMPLATE_NOT_FOUND'] },
  { method: 'post', path: '/api/templates/:document/preview', tag: 'Templates', summary: 'Render a template without saving it (X-Template-Conversions: what saving it would convert, as JSON)', roles: client, body: templatePreview, response: { status: 200, body: bin('image/png', 'PNG, PDF or ZPL/EPL text by format') }, errors: ['DOCUMENT_NOT_FOUND', 'TEMPLATE_INVALID', 'RECORD_NOT_FOUND', 'FORMAT_NOT_SUPPORTED'] },
  // ------------------------------------------------------------ printers and jobs
  { method: 'post', path: '/api/printers', tag: 'Printers', summary: 'Add a printer', roles: ['admin'], body: printerCreate, bodyExample: { name: 'front-desk-zpl', language: 'zpl', uri: 'tcp://10.0.0.5:9100' }, response: { status: 201, body: out.printer }, errors: ['PRINTER_EXISTS', 'PRINTER_LANGUAGE_UNKNOWN', 'PRINTER_URI_INVALID'] },
  { method: 'get', path: '/api/printers', tag: 'Printers', summary: 'Printers with live status', roles: client, response: { status: 200, body: out.items(out.printer) } },
  { method: 'get', path: '/api/printers/:name', tag: 'Printers', summary: 'One printer with live status', roles: client, response: { status: 200, body: out.printer }, errors: ['PRINTER_NOT_FOUND'] },
  { method: 'patch', path: '/api/printers/:name', tag: 'Printers', summary: 'Change a printer', roles: ['admin'], body: printerPatch, response: { status: 200, body: out.printer }, errors: ['PRINTER_NOT_FOUND', 'PRINTER_LANGUAGE_UNKNOWN', 'PRINTER_URI_INVALID'] },
  { method: 'delete', path: '/api/printers/:name', tag: 'Printers', summary: 'Remove a printer without active jobs', roles: ['admin'], response: { status: 204 }, errors: ['PRINTER_NOT_FOUND', 'PRINTER_HAS_ACTIVE_JOBS'] },
  { method: 'post', path: '/api/printers/:name/sim', tag: 'Printers', summary: 'Demo only: a fault on a simulated printer', roles: ['admin'], body: printerSimBody, bodyExample: { fault: 'paper-out' }, response: { status: 200, body: out.anyObject }, errors: ['PRINTER_NOT_SIMULATED'] },
  { method: 'post', path: '/api/print-jobs', tag: 'Print jobs', summary: 'Queue a print job (rendered now, printed in order)', roles: client, body: printJobInput, bodyExample: { document: 'client-label', recordId: 1, printer: 'front-desk-zpl', copies: 1 }, headers: idempotency, response: { status: 202, body: out.jobAccepted }, errors: ['PRINTER_NOT_FOUND', 'RECORD_NOT_FOUND', 'DOCUMENT_NOT_FOUND', 'FORMAT_NOT_SUPPORTED', 'DOCUMENT_FORMAT_NOT_SUPPORTED', 'PRODUCTION_ORDER_NUMBER_MISSING', 'JOB_TOO_LARGE', 'IDEMPOTENCY_KEY_INVALID', 'IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_KEY_CONFLICT', 'MEDIA_UNKNOWN', 'START_POSITION_INVALID'] },
  { method: 'get', path: '/api/print-jobs', tag: 'Print jobs', summary: 'The queue', roles: client, query: { ...limitAfter, state: { schema: z.string(), description: 'pending, held, processing, completed, canceled or aborted' }, printer: { schema: z.string(), description: 'Only this printer' }, order: { schema: z.enum(['oldest', 'newest']), description: 'Default oldest' } }, response: { status: 200, body: out.jobPage }, errors: ['QUERY_INVALID'] },
  { method: 'get', path: '/api/print-jobs/:id', tag: 'Print jobs', summary: 'One job', roles: client, response: { status: 200, body: out.printJob }, errors: ['PRINT_JOB_NOT_FOUND', 'ID_INVALID'] },
  { method: 'get', path: '/api/print-jobs/:id/document', tag: 'Print jobs', summary: 'The bytes the job prints', roles: client, response: { status: 200, body: bin('application/octet-stream', 'As accepted, in the printer’s language') }, errors: ['PRINT_JOB_NOT_FOUND', 'ID_INVALID'] },
  { method: 'post', path: '/api/print-jobs/:id/cancel', tag: 'Print jobs', summary: 'Cancel a job', roles: client, response: { status: 200, body: out.printJob }, errors: ['PRINT_JOB_NOT_FOUND', 'PRINT_JOB_FINISHED', 'ID_INVALID'] },
  { method: 'post', path: '/api/print-jobs/:id/release', tag: 'Print jobs', summary: 'Release a held job (optionally from resumeAt)', roles: client, body: releaseBody, response: { status: 200, body: out.printJob }, errors: ['PRINT_JOB_NOT_FOUND', 'PRINT_JOB_NOT_HELD', 'RESUME_AT_INVALID', 'ID_INVALID'] },
  { method: 'post', path: '/api/print-jobs/:id/reprint', tag: 'Print jobs', summary: 'A new job with the same bytes', roles: client, headers: idempotency, response: { status: 202, body: out.jobAccepted }, errors: ['PRINT_JOB_NOT_FOUND', 'PRINTER_GONE', 'IDEMPOTENCY_KEY_INVALID', 'IDEMPOTENCY_KEY_REUSED', 'ID_INVALID'] },
  // ------------------------------------------------------------ stations and scanners
  { method: 'post', path: '/api/stations', tag: 'Stations', summary: 'Add a scanner station', roles: ['admin'], body: stationCreate, bodyExample: { name: 'production', mode: 'advance' }, response: { status: 201, body: out.station }, errors: ['STATION_EXISTS', 'STATUS_NOT_IN_TRACK'] },
  { method: 'get', path: '/api/stations', tag: 'Stations', summary: 'Stations', roles: anyRole, response: { status: 200, body: out.items(out.station) } },
  { method: 'get', path: '/api/stations/:name', tag: 'Stations', summary: 'One station with its scanners', roles: anyRole, response: { status: 200, body: out.station }, errors: ['STATION_NOT_FOUND'] },
  { method: 'patch', path: '/api/stations/:name', tag: 'Stations', summary: 'Change mode or target', roles: ['station'], body: stationPatch, response: { status: 200, body: out.station }, errors: ['STATION_NOT_FOUND', 'STATUS_NOT_IN_TRACK'] },
  { method: 'delete', path: '/api/stations/:name', tag: 'Stations', summary: 'Remove a station and its scanners', roles: ['admin'], response: { status: 204 }, errors: ['STATION_NOT_FOUND'] },
  { method: 'post', path: '/api/stations/:name/close', tag: 'Stations', summary: 'Close the open record', roles: anyRole, response: { status: 200, body: out.station }, errors: ['STATION_NOT_FOUND'] },
  { method: 'post', path: '/api/stations/:name/undo', tag: 'Stations', summary: "Undo the station's last advance (within 5 minutes)", roles: anyRole, response: { status: 200, body: out.scanResult }, errors: ['STATION_NOT_FOUND', 'NOTHING_TO_UNDO', 'UNDO_REFUSED'] },
  { method: 'get', path: '/api/stations/:name/mode-cards', tag: 'Stations', summary: 'Barcodes that switch the mode or target', roles: anyRole, query: { format: { schema: z.enum(['json', 'pdf']), description: 'Default json' } }, response: { status: 200, body: out.anyObject }, errors: ['STATION_NOT_FOUND', 'FORMAT_NOT_SUPPORTED'] },
  { method: 'post', path: '/api/stations/:name/scans', tag: 'Stations', summary: 'A scan from an HTTP client or wedge page → the scan result (200 whatever the outcome)', roles: anyRole, body: scanBody, bodyExample: { data: 'PO-000001' }, response: { status: 200, body: out.scanResult }, errors: ['STATION_NOT_FOUND'] },
  { method: 'get', path: '/api/stations/:name/scans', tag: 'Stations', summary: "The station's scan log, newest first", roles: anyRole, query: { limit: { schema: z.string().regex(/^\d+$/), description: '1–500' } }, response: { status: 200, body: out.items(out.scanResult) }, errors: ['STATION_NOT_FOUND', 'QUERY_INVALID'] },
  { method: 'get', path: '/api/stations/:name/events', tag: 'Stations', summary: 'Live scan results (Server-Sent Events; resumable with Last-Event-ID)', roles: anyRole, headers: { 'Last-Event-ID': { schema: z.string().regex(/^\d+$/), description: 'The last scan id seen' } }, response: { status: 200, body: bin('text/event-stream', 'One event per scan result') }, errors: ['STATION_NOT_FOUND', 'QUERY_INVALID'] },
  { method: 'post', path: '/api/scanners', tag: 'Scanners', summary: 'Add a scanner to a station', roles: ['admin'], body: scannerCreate, bodyExample: { name: 'prod-1', station: 'production', uri: 'serial:/dev/ttyACM0?baud=9600' }, response: { status: 201, body: out.scanner }, errors: ['SCANNER_URI_INVALID', 'REFERENCE_NOT_FOUND', 'SCANNER_UNSUPPORTED', 'SCANNER_EXISTS'] },
  { method: 'get', path: '/api/scanners', tag: 'Scanners', summary: 'Scanners with live state', roles: anyRole, query: { station: { schema: z.string(), description: 'Only this station' } }, response: { status: 200, body: out.items(out.scanner) } },
  { method: 'get', path: '/api/scanners/:name', tag: 'Scanners', summary: 'One scanner', roles: anyRole, response: { status: 200, body: out.scanner }, errors: ['SCANNER_NOT_FOUND'] },
  { method: 'delete', path: '/api/scanners/:name', tag: 'Scanners', summary: 'Remove a scanner', roles: ['admin'], response: { status: 204 }, errors: ['SCANNER_NOT_FOUND'] },
  { method: 'post', path: '/api/scanners/:name/sim', tag: 'Scanners', summary: 'Drive a sim: scanner (demo and tests)', roles: ['admin'], body: simBody, response: { status: 200, body: out.anyObject }, errors: ['SCANNER_NOT_FOUND', 'SCANNER_NOT_OWNED', 'SCANNER_NOT_SIMULATED'] },
  // ------------------------------------------------------------ webhooks
  { method: 'post', path: '/api/webhooks', tag: 'Webhooks', summary: 'Add a webhook endpoint (the secret is shown once)', roles: ['admin'], body: webhookCreate, bodyExample: { url: 'https://studio-manager.example/hooks/print', events: ['print-job.state-changed', 'scan.result'], description: 'studio manager' }, response: { status: 201, body: out.webhookCreated } },
  { method: 'get', path: '/api/webhooks', tag: 'Webhooks', summary: 'Webhook endpoints (no secrets)', roles: ['admin'], response: { status: 200, body: out.items(out.webhook) } },
  { method: 'get', path: '/api/webhooks/:id', tag: 'Webhooks', summary: 'One endpoint', roles: ['admin'], response: { status: 200, body: out.webhook }, errors: ['WEBHOOK_NOT_FOUND', 'ID_INVALID'] },
  { method: 'patch', path: '/api/webhooks/:id', tag: 'Webhooks', summary: 'Change an endpoint (url, events, secret, description, active)', roles: ['admin'], body: webhookPatch, response: { status: 200, body: out.webhook }, errors: ['WEBHOOK_NOT_FOUND', 'ID_INVALID'] },
  { method: 'delete', path: '/api/webhooks/:id', tag: 'Webhooks', summary: 'Remove an endpoint (its pending deliveries end failed)', roles: ['admin'], response: { status: 204 }, errors: ['WEBHOOK_NOT_FOUND', 'ID_INVALID'] },
  { method: 'get', path: '/api/webhooks/:id/deliveries', tag: 'Webhooks', summary: 'The delivery log, newest first', roles: ['admin'], query: { limit: { schema: z.string().regex(/^\d+$/), description: '1–500 (default 50)' }, before: { schema: z.string().regex(/^\d+$/), description: 'nextBefore of the previous page' } }, response: { status: 200, body: out.deliveries }, errors: ['WEBHOOK_NOT_FOUND', 'ID_INVALID', 'QUERY_INVALID'] },
  // ------------------------------------------------------------ production hub, batches
  { method: 'get', path: '/api/production/summary', tag: 'Production orders', summary: 'Orders per status for each track, with how many are late', roles: client, response: { status: 200, body: out.anyObject } },
  { method: 'get', path: '/api/production/orders', tag: 'Production orders', summary: 'Orders by lateness (late first), with client, due date and days late', roles: client, query: { status: { schema: z.string(), description: 'A status key' }, track: { schema: z.string(), description: 'An order type' }, late: { schema: z.enum(['1', 'true', '0', 'false']), description: 'Late orders only' }, limit: { schema: z.string().regex(/^\d+$/), description: '1–500 (default 200)' } }, response: { status: 200, body: out.anyObject }, errors: ['QUERY_INVALID'] },
  { method: 'post', path: '/api/production-orders/:id/status', tag: 'Production orders', summary: 'Change the status by hand with a reason (how a held order is released)', roles: client, body: statusChange, bodyExample: { to: 'retouching', reason: 'Client approved the proofs', version: 3 }, response: { status: 200, body: out.anyObject }, errors: [...recordErrors, 'ALREADY_AT_STATUS', 'STATUS_NOT_IN_TRACK', 'CONCURRENT_CHANGE'] },
  { method: 'post', path: '/api/stations/:name/batch', tag: 'Stations', summary: 'Start a new batch at the station (a batch with no scan yet is kept)', roles: anyRole, response: { status: 200, body: out.anyObject }, errors: ['STATION_NOT_FOUND'] },
  { method: 'get', path: '/api/preferences/scanning', tag: 'Settings', summary: 'Scanning preferences (batch idle minutes)', roles: anyRole, response: { status: 200, body: scanningPrefs } },
  { method: 'put', path: '/api/preferences/scanning', tag: 'Settings', summary: 'Set how long a batch may be idle before it ends', roles: ['admin'], body: scanningPrefs, bodyExample: { batchIdleMinutes: 30 }, response: { status: 200, body: scanningPrefs } },
  { method: 'get', path: '/api/print-job-reasons', tag: 'Print jobs', summary: 'The words the pages show for each job reason', roles: client, response: { status: 200, body: out.anyObject } },
  // ------------------------------------------------------------ web pages
  { method: 'get', path: '/login', tag: 'Web pages', summary: 'Sign-in page', roles: ['public'], response: { status: 200, body: html } },
  { method: 'post', path: '/login', tag: 'Web pages', summary: 'Sign in with a token (form post); sets the sp_session cookie', roles: ['public'], body: bin('application/x-www-form-urlencoded', 'token=…'), response: { status: 303, description: 'To the page asked for' } },
  { method: 'post', path: '/logout', tag: 'Web pages', summary: 'Sign out', roles: ['public'], response: { status: 303, description: 'To /login' } },
  { method: 'get', path: '/', tag: 'Web pages', summary: 'Front desk', roles: anyRole, response: { status: 200, body: html } },
  { method: 'get', path: '/print-jobs', tag: 'Web pages', summary: 'The print queue', roles: client, response: { status: 200, body: html } },
  { method: 'get', path: '/production', tag: 'Web pages', summary: 'The Production hub', roles: client, response: { status: 200, body: html } },
  { method: 'get', path: '/settings', tag: 'Web pages', summary: 'Settings', roles: ['admin'], response: { status: 200, body: html } },
  { method: 'get', path: '/settings/templates', tag: 'Web pages', summary: 'Label templates: edit, preview, versions', roles: ['admin'], response: { status: 200, body: html } },
  { method: 'get', path: '/stations/:name', tag: 'Web pages', summary: 'A station screen', roles: anyRole, response: { status: 200, body: html } },
  { method: 'get', path: '/favicon.ico', tag: 'Web pages', summary: 'The icon (SVG)', roles: ['public'], response: { status: 200, body: bin('image/svg+xml', 'The icon') } },
  // ------------------------------------------------------------ IPP printers (README: IPP printers)
  { method: 'post', path: '/ipp/print/:name', tag: 'IPP printers', summary: 'An IPP Everywhere printer (ipp://HOST:PORT/ipp/print/NAME; `_auto`: route by content). HTTP Basic: any user name, an API token (admin or client) as the password; answers are IPP status codes, not problem+json', roles: ['public'], body: bin('application/ipp', 'An IPP request (RFC 8010), the document after it'), response: { status: 200, body: bin('application/ipp', 'The IPP answer') } },
  { method: 'post', path: '/ipp/print/:name/jobs/:id', tag: 'IPP printers', summary: 'The same printer, addressed by a job-uri', roles: ['public'], body: bin('application/ipp', 'An IPP request'), response: { status: 200, body: bin('application/ipp', 'The IPP answer') } },
  { method: 'get', path: '/ipp/icon.png', tag: 'IPP printers', summary: 'The icon IPP clients show (printer-icons)', roles: ['public'], response: { status: 200, body: bin('image/png', 'The icon') } },
  { method: 'get', path: '/assets/js/documents.js', tag: 'Web pages', summary: 'The document list the pages use', roles: ['public'], response: { status: 200, body: bin('text/javascript', 'JavaScript') } },
  { method: 'get', path: '/assets/js/vocabulary.js', tag: 'Web pages', summary: 'The record types, barcode pattern, job states and reasons, status kinds and scan outcomes the pages use', roles: ['public'], response: { status: 200, body: bin('text/javascript', 'JavaScript') } },
]
