import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { Stores } from '../stores.ts'
import { assertDocument, loadSubject, resolveTemplate } from '../render-document.ts'
import { assertFormat, barcodeFor, subjectCaption, type DocumentName, type OutputFormat } from '../../domain/documents.ts'
import { ConflictError, ValidationError, JobTooLargeError, IdempotencyKeyReusedError } from '../../domain/errors.ts'
import { parseInput } from '../../domain/inputs.ts'
import { resumeChoices } from '../../domain/print-job.ts'
import { LABEL_DOCUMENTS, type LabelItem } from '../../templates/index.ts'
import { renderInPool } from '../render/render-pool.ts'
import { isLabelLanguage, jobContentType, printerLanguage } from '../../domain/printer-language.ts'
import type { PrinterRecord, PrinterStore } from '../../store/printer-store.ts'
import { IdempotencyKeyTakenError, type PrintJobRow, type PrintJobStore } from '../../store/print-job-store.ts'

/** Upper bound on the records of one job (a district's picture day): labels, or documents. */
export const MAX_RECORDS_PER_JOB = 10_000
/** Pages of PDF one job may hold (copies not counted). */
export const MAX_PAGES_PER_JOB = 2_000
/** Rendered bytes one job may hold (copies not counted): what the queue stores. */
export const MAX_BYTES_PER_JOB = 64 * 1024 * 1024
export const MAX_COPIES = 10_000
export const MAX_UNITS_PER_JOB = 100_000
/** Records rendered per worker task: a big job is rendered a slice at a time. */
const LABELS_PER_TASK = 100
const DOCUMENTS_PER_TASK = 5

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
export const printJobInput = z
  .strictObject({
    document: z.string().min(1).max(40),
    recordId: id.optional(),
    /** A batch: one label (or document) per record, in this order. */
    recordIds: z.array(id).min(1).max(20 * MAX_RECORDS_PER_JOB).optional(),
    printer: z.string().min(1).max(80),
    copies: z.number().int().min(1).max(MAX_COPIES).default(1),
    /** Label stock for this job ('4x6', '2.25x1.25', 'dymo-30252', 'avery-5160'); the printer's media otherwise. */
    media: z.string().regex(/^[a-z0-9.-]{1,20}$/).optional(),
    /** Avery sheets: first free position 1–30. */
    startPosition: z.number().int().min(1).max(30).optional(),
  })
  .refine((b) => (b.recordId === undefined) !== (b.recordIds === undefined), { message: 'give recordId or recordIds (one of them)', path: ['recordId'] })
export type PrintJobInput = z.infer<typeof printJobInput>

export const printerMediaInput = z.strictObject({ stock: z.string().regex(/^[a-z0-9.-]{1,20}$/), dpi: z.union([z.literal(203), z.literal(300)]).default(203) })

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/

export function checkIdempotencyKey(raw: string | undefined): string | null {
  if (raw === undefined) return null
  if (!IDEMPOTENCY_KEY.test(raw)) throw new ValidationError('Idempotency-Key must be 1–200 visible ASCII characters.', {}, 'IDEMPOTENCY_KEY_INVALID')
  return raw
}

export interface RenderedJob {
  document: DocumentName
  recordIds: number[]
  format: OutputFormat
  contentType: string
  units: Uint8Array[]
  options: Record<string, unknown>
}

/**
 * Renders what a job will print, once, when it is accepted: the queue stores these bytes, so a
 * resume after a fault and a reprint send exactly what was accepted (the record may change
 * later; the job does not). Fails before anything is queued: 404 DOCUMENT_NOT_FOUND /
 * RECORD_NOT_FOUND, 415 FORMAT_NOT_SUPPORTED, 422 PRODUCTION_ORDER_NUMBER_MISSING.
 */
export async function renderJob(stores: Stores, printer: PrinterRecord, input: PrintJobInput): Promise<RenderedJob> {
  const document = assertDocument(input.document)
  const format = assertFormat(document, printerLanguage(printer.language).format)
  const recordIds = input.recordIds ?? [input.recordId!]
  const media = input.media ?? printer.media?.stock
  const dpi = printer.media?.dpi
  const options: Record<string, unknown> = { ...(media ? { media } : {}), ...(dpi ? { dpi } : {}), ...(input.startPosition ? { startPosition: input.startPosition } : {}) }
  const [prefs, studio, resolved] = await Promise.all([stores.settings.barcoding(), stores.settings.studio(), resolveTemplate(stores, document, {})])
  const template = resolved.template
  // The studio template version the labels were made with (null: built-in).
  options.templateVersion = resolved.version
  const isLabel = (LABEL_DOCUMENTS as readonly string[]).includes(document)
  if (recordIds.length > MAX_RECORDS_PER_JOB) {
    throw new JobTooLargeError('records', MAX_RECORDS_PER_JOB, `A job may print at most ${MAX_RECORDS_PER_JOB} records; this one names ${recordIds.length}.`)
  }
  // Every subject is loaded (and checked) before anything renders, so one bad id refuses the job.
  // A record named twice is loaded once (a sheet of one client's labels).
  const loaded = new Map<number, LabelItem>()
  const items: LabelItem[] = []
  for (const recordId of recordIds) {
    let item = loaded.get(recordId)
    if (!item) {
      const subject = await loadSubject(stores, document, recordId)
      item = { subject, barcode: barcodeFor(subject, prefs) }
      loaded.set(recordId, item)
    }
    items.push(item)
  }
  // What the queue shows for the job: the record number and its client (the first of a batch).
  options.subject = items.length === 1 ? subjectCaption(items[0].subject) : `${items.length} records from ${subjectCaption(items[0].subject)}`
  // Rendered in worker threads, a slice at a time, counted against the per-job limits as it goes.
  const units: Uint8Array[] = []
  const tally = jobTally()
  if (isLabel && isLabelLanguage(format)) {
    for (let at = 0; at < items.length; at += LABELS_PER_TASK) {
      const batch = await renderInPool({ kind: 'labels', items: items.slice(at, at + LABELS_PER_TASK), format, studio, media, dpi, template })
      for (const u of batch) units.push(tally.add(u, 0))
    }
  } else if (isLabel && format === 'pdf' && media === 'avery-5160') {
    const sheet = await renderInPool({ kind: 'sheet', items, studio, template, startPosition: input.startPosition })
    units.push(tally.add(sheet.bytes, sheet.pages))
  } else {
    for (let at = 0; at < items.length; at += DOCUMENTS_PER_TASK) {
      const rendered = await renderInPool({ kind: 'documents', items: items.slice(at, at + DOCUMENTS_PER_TASK), format, studio, media, dpi, template, startPosition: input.startPosition })
      for (const r of rendered) units.push(tally.add(r.bytes, format === 'pdf' ? r.units : 0))
    }
  }
  const contentType = jobContentType(printer.language)
  return { document, recordIds, format, contentType, units, options }
}

/** Counts a job's pages and bytes as its units arrive; 413 JOB_TOO_LARGE past a limit. */
function jobTally(): { add(unit: Uint8Array, pages: number): Uint8Array } {
  let pages = 0
  let bytes = 0
  return {
    add(unit, unitPages) {
      pages += unitPages
      bytes += unit.byteLength
      if (pages > MAX_PAGES_PER_JOB) throw new JobTooLargeError('pages', MAX_PAGES_PER_JOB, `A job may hold at most ${MAX_PAGES_PER_JOB} pages; this one has more.`)
      if (bytes > MAX_BYTES_PER_JOB) throw new JobTooLargeError('bytes', MAX_BYTES_PER_JOB, `A job may hold at most ${MAX_BYTES_PER_JOB / 1048576} MB of printer data; this one has more.`)
      return unit
    },
  }
}

/**
 * IPP printers get `copies` as a job attribute (one Print-Job per document), so an IPP job's
 * units — progress, total, resume points — are its documents; raw printers are sent every copy
 * as units (collated), so theirs are documents × copies.
 */
export function copiesAsAttribute(printer: Pick<PrinterRecord, 'uri'>): boolean {
  return printer.uri.startsWith('ipp')
}

export function totalUnitsFor(printer: Pick<PrinterRecord, 'uri'>, documents: number, copies: number): number {
  return copiesAsAttribute(printer) ? documents : documents * copies
}

/** The request as a hash: the same Idempotency-Key with another body is refused. */
export function requestHash(input: PrintJobInput): string {
  const canonical = {
    document: input.document,
    recordIds: input.recordIds ?? [input.recordId],
    printer: input.printer,
    copies: input.copies,
    media: input.media ?? null,
    startPosition: input.startPosition ?? null,
  }
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex')
}

function replay(existing: PrintJobRow, hash: string): PrintJobRow {
  if (existing.requestHash !== hash) throw new IdempotencyKeyReusedError(existing.idempotencyKey ?? '', existing.id)
  return existing
}

/** The request of a reprint as a hash (only the job reprinted counts). */
export function reprintRequestHash(id: number): string {
  return createHash('sha256').update(JSON.stringify({ reprintOf: id })).digest('hex')
}

/** The job this Idempotency-Key made already (null: none yet); 422 when it was made for another request. */
export async function jobOfKey(jobs: PrintJobStore, key: string | null, hash: string): Promise<PrintJobRow | null> {
  if (!key) return null
  const existing = await jobs.findByKey(key)
  return existing ? replay(existing, hash) : null
}

/** The job of the request that won a race for an Idempotency-Key (the insert hit the unique key). */
export async function jobOfRaceWinner(jobs: PrintJobStore, err: IdempotencyKeyTakenError, hash: string): Promise<PrintJobRow> {
  const winner = await jobs.findByKey(err.key)
  if (!winner) throw new ConflictError('IDEMPOTENCY_KEY_CONFLICT', 'Another request with this Idempotency-Key is being processed; retry.')
  return replay(winner, hash)
}

/** What the answer to an accepted print request shows, and which printer's worker to wake. */
export type AcceptedJob = Pick<PrintJobRow, 'id' | 'state' | 'printer'>

/**
 * Accepts a print request: validated, rendered, queued. With an Idempotency-Key the same key
 * always gives the same job — also when requests race (the unique key decides the winner).
 */
export async function acceptPrintJob(
  stores: Stores,
  printers: PrinterStore,
  jobs: PrintJobStore,
  body: unknown,
  key: string | null,
  createdBy: string,
): Promise<{ job: AcceptedJob; replayed: boolean }> {
  const input = parseInput(printJobInput, body)
  const hash = requestHash(input)
  const existing = await jobOfKey(jobs, key, hash)
  if (existing) return { job: existing, replayed: true }
  const printer = await printers.get(input.printer)
  const rendered = await renderJob(stores, printer, input)
  if (rendered.units.length * input.copies > MAX_UNITS_PER_JOB) {
    throw new JobTooLargeError('units', MAX_UNITS_PER_JOB, `A job may send at most ${MAX_UNITS_PER_JOB} labels or documents (copies included).`)
  }
  let jobId: number
  try {
    jobId = await jobs.insert({
      printer: printer.name,
      document: rendered.document,
      recordIds: rendered.recordIds,
      format: rendered.format,
      options: rendered.options,
      copies: input.copies,
      contentType: rendered.contentType,
      payload: rendered.units,
      unitLengths: rendered.units.map((u) => u.byteLength),
      totalUnits: totalUnitsFor(printer, rendered.units.length, input.copies),
      idempotencyKey: key,
      requestHash: key ? hash : null,
      reprintOf: null,
      createdBy,
    })
  } catch (err) {
    if (!(err instanceof IdempotencyKeyTakenError)) throw err
    return { job: await jobOfRaceWinner(jobs, err, hash), replayed: true }
  }
  // Queued just now, in one transaction: pending (nothing else could have changed it yet that
  // the answer must show — a worker that claimed it meanwhile is seen at the next GET).
  return { job: { id: jobId, state: 'pending', printer: printer.name }, replayed: false }
}

/** Splits a stored payload back into its units. */
export function splitUnits(payload: Uint8Array, lengths: number[]): Uint8Array[] {
  const out: Uint8Array[] = []
  let at = 0
  for (const len of lengths) {
    out.push(payload.subarray(at, at + len))
    at += len
  }
  return out
}

/** The units of a stored payload; null when it is missing or damaged (no units, or lengths that don't add up to it). */
export function unitsOf(payload: Uint8Array, lengths: number[]): Uint8Array[] | null {
  if (lengths.length === 0 || lengths.reduce((a, b) => a + b, 0) !== payload.byteLength) return null
  return splitUnits(payload, lengths)
}

/** The job as the API shows it. */
export function jobView(j: PrintJobRow): Record<string, unknown> {
  return {
    id: j.id,
    state: j.state,
    reasons: j.reasons,
    message: j.message,
    attempts: j.attempts,
    createdAt: new Date(j.createdAt).toISOString(),
    completedAt: j.completedAt === null ? null : new Date(j.completedAt).toISOString(),
    // Labels 1..sent confirmed; sent+1..uncertainUpTo may have printed (not shown while a
    // worker holds the job: its write-ahead record runs ahead of the bytes).
    progress: { sent: j.sentUnits, total: j.totalUnits, ...(j.state !== 'processing' && j.writtenUnits > j.sentUnits ? { uncertainUpTo: j.writtenUnits } : {}) },
    ...(j.state === 'held' ? { release: resumeChoices({ total: j.totalUnits, confirmed: j.sentUnits, uncertainUpTo: Math.max(j.sentUnits, j.writtenUnits) }) } : {}),
    confirmed: j.state === 'completed' ? j.confirmed : null,
    printer: j.printer,
    document: j.document,
    recordId: j.recordIds[0],
    ...(j.recordIds.length > 1 ? { recordIds: j.recordIds } : {}),
    format: j.format,
    copies: j.copies,
    options: j.options,
    reprintOf: j.reprintOf,
    createdBy: j.createdBy,
  }
}
