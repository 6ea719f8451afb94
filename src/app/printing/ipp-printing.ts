/**
 * Printing a document received over IPP: converted for its printer (render worker), then a job
 * in the same durable queue as every other print (holds, resume, reprint, history, webhooks).
 * Create-Job queues a job held `job-incoming`; Send-Document gives it its document.
 */
import type { Logger } from 'pino'
import { LABEL_STOCK, labelStock, PAPER } from '../../templates/media.ts'
import type { PrinterRecord } from '../../store/printer-store.ts'
import type { PrintJobRow } from '../../store/print-job-store.ts'
import { renderInPool } from '../render/render-pool.ts'
import { totalUnitsFor, MAX_BYTES_PER_JOB, MAX_UNITS_PER_JOB } from './print-jobs.ts'
import type { PrintingService } from './printing-service.ts'
import type { ConversionTarget, DocumentFormat } from './convert-document.ts'
import type { Stores } from '../stores.ts'
import { jobContentType, printerLanguage } from '../../domain/printer-language.ts'
import { JobTooLargeError } from '../../domain/errors.ts'

/** Printable width of an 80 mm receipt roll at 203 dpi. */
export const RECEIPT_WIDTH_DOTS = 576

/** The `document` of jobs that came in over IPP (no record behind them). */
export const IPP_DOCUMENT = 'ipp-document'

export interface IppJobInput {
  printer: PrinterRecord
  format: DocumentFormat
  data: Uint8Array
  jobName: string
  /** The IPP user (requesting-user-name, else the Basic user name). */
  user: string
  copies: number
  /** Pages to print (1-based, inclusive), where pages are rasterised; null: all. */
  pageRanges?: Array<[number, number]> | null
  /** Who made it, as the JSON API records it. */
  createdBy: string
  /** The IPP queue it came through when that is not the printer's own (the route-by-content queue). */
  queue?: string
}

export class IppPrinting {
  constructor(
    readonly service: PrintingService,
    private readonly stores: Stores,
    private readonly log: Logger,
  ) {}

  /** What a printer's documents are converted to: its loaded stock at its resolution, or the studio's paper. */
  async target(p: PrinterRecord): Promise<ConversionTarget> {
    const printout = printerLanguage(p.language).printout
    if (printout === 'document') {
      const paper = PAPER[(await this.stores.settings.studio()).paper] ?? PAPER.letter
      return { kind: 'paper', language: p.language, widthPt: paper.width, heightPt: paper.height }
    }
    // A receipt roll: 72 mm printable across (576 dots at 203 dpi), as long as each page needs.
    if (printout === 'receipt') return { kind: 'dots', language: p.language, widthDots: RECEIPT_WIDTH_DOTS, heightDots: 0, dpi: 203 }
    const stock = loadedStock(p)
    const dpi = p.media?.dpi ?? 203
    return { kind: 'dots', language: p.language, widthDots: Math.round(stock.widthIn * dpi), heightDots: Math.round(stock.heightIn * dpi), dpi }
  }

  private async convert(input: Omit<IppJobInput, 'createdBy'>): Promise<{ units: Uint8Array[]; pages: number; options: Record<string, unknown> }> {
    const started = performance.now()
    const { units, pages } = await renderInPool({ kind: 'ipp-document', req: { format: input.format, bytes: input.data, target: await this.target(input.printer), pageRanges: input.pageRanges ?? null } })
    const bytes = units.reduce((n, u) => n + u.byteLength, 0)
    if (bytes > MAX_BYTES_PER_JOB) throw new JobTooLargeError('bytes', MAX_BYTES_PER_JOB, `A job may hold at most ${MAX_BYTES_PER_JOB / 1048576} MB of printer data; this one has more.`)
    if (units.length * input.copies > MAX_UNITS_PER_JOB) throw new JobTooLargeError('units', MAX_UNITS_PER_JOB, `A job may send at most ${MAX_UNITS_PER_JOB} labels or documents (copies included).`)
    this.log.info({ printer: input.printer.name, format: input.format, pages, bytes, ms: Math.round(performance.now() - started) }, 'ipp document converted')
    return { units, pages, options: { subject: input.jobName, ippUser: input.user, ippFormat: input.format, ippPages: pages, ...(input.queue ? { ippQueue: input.queue } : {}), ...(input.printer.media ? { media: input.printer.media.stock, dpi: input.printer.media.dpi } : {}) } }
  }

  /** Converts the document and queues the job (Print-Job). */
  async submit(input: IppJobInput): Promise<PrintJobRow> {
    const { units, options } = await this.convert(input)
    const id = await this.service.jobs.insert({
      printer: input.printer.name,
      document: IPP_DOCUMENT,
      recordIds: [],
      format: input.printer.language,
      options,
      copies: input.copies,
      contentType: jobContentType(input.printer.language),
      payload: Buffer.concat(units),
      unitLengths: units.map((u) => u.byteLength),
      totalUnits: totalUnitsFor(input.printer, units.length, input.copies),
      idempotencyKey: null,
      requestHash: null,
      reprintOf: null,
      createdBy: input.createdBy,
    })
    this.service.wake(input.printer.name)
    return this.service.job(id)
  }

  /** Create-Job: a job held `job-incoming` until its document comes (Send-Document). */
  async create(input: Omit<IppJobInput, 'data' | 'format'>): Promise<PrintJobRow> {
    const id = await this.service.jobs.insert({
      printer: input.printer.name,
      document: IPP_DOCUMENT,
      recordIds: [],
      format: input.printer.language,
      options: { subject: input.jobName, ippUser: input.user },
      copies: input.copies,
      contentType: jobContentType(input.printer.language),
      payload: new Uint8Array(0),
      unitLengths: [],
      totalUnits: 0,
      idempotencyKey: null,
      requestHash: null,
      reprintOf: null,
      createdBy: input.createdBy,
      heldFor: 'job-incoming',
    })
    return this.service.job(id)
  }

  /** Send-Document: converts and attaches the document; false when the job no longer waits for one. */
  async attach(job: PrintJobRow, input: Omit<IppJobInput, 'createdBy' | 'copies' | 'jobName' | 'user'>): Promise<boolean> {
    const user = typeof job.options.ippUser === 'string' ? job.options.ippUser : ''
    const { units, options } = await this.convert({ ...input, copies: job.copies, jobName: String(job.options.subject ?? ''), user })
    const ok = await this.service.jobs.attachDocument(job.id, {
      contentType: jobContentType(input.printer.language),
      options,
      payload: Buffer.concat(units),
      unitLengths: units.map((u) => u.byteLength),
      totalUnits: totalUnitsFor(input.printer, units.length, job.copies),
    })
    if (ok) this.service.wake(input.printer.name)
    return ok
  }
}

/** The stock a label printer has loaded (its media, else 4x6). */
export function loadedStock(p: PrinterRecord): (typeof LABEL_STOCK)[keyof typeof LABEL_STOCK] {
  try {
    return labelStock(p.media?.stock)
  } catch {
    return LABEL_STOCK['4x6']
  }
}
