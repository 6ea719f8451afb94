/**
 * The IPP operations of a Studio Print printer: request checks (RFC 8011 §4.1), then
 * Print-Job, Validate-Job, Create-Job, Send-Document, Close-Job, Cancel-Job, Get-Job-Attributes,
 * Get-Jobs, Get-Printer-Attributes and Identify-Printer. Every failure is an IPP status code in
 * an answer; nothing here throws past `handleIpp`.
 */
import type { Logger } from 'pino'
import { GROUP_TAGS, VALUE_TAGS, type IppAttribute, type IppGroup, type IppMessage } from './ipp-codec.ts'
import { attributeOf, charset, naturalLanguage, numberValue, stringValue, text } from './ipp-values.ts'
import { OPERATIONS, STATUS, type IppStatus } from './ipp-constants.ts'
import { printerAttributes, MAX_COPIES_IPP, type IppPrinterView } from './printer-attributes.ts'
import { jobAttributes, jobUser } from './job-attributes.ts'
import { labelStockOfMedia } from './ipp-media.ts'
import { AppError } from '../../domain/errors.ts'
import { FINAL_STATES, type PrintJobRow } from '../../store/print-job-store.ts'
import type { DocumentFormat } from '../../app/printing/convert-document.ts'
import { sniffFormat } from '../../app/printing/convert-document.ts'
import { printerLanguage } from '../../domain/printer-language.ts'

/** One IPP queue as the operations see it: its description, and how jobs reach the queue. */
export interface IppQueue {
  view: IppPrinterView
  /** The queue's jobs, newest first. */
  jobs(which: 'completed' | 'not-completed' | 'all', limit: number): Promise<PrintJobRow[]>
  job(id: number): Promise<PrintJobRow | null>
  /** Converts and queues; resolves with the job. */
  print(doc: { format: DocumentFormat; data: Uint8Array; jobName: string; user: string; copies: number; media: string | null; pageRanges: Array<[number, number]> | null }): Promise<PrintJobRow>
  create(input: { jobName: string; user: string; copies: number }): Promise<PrintJobRow>
  send(job: PrintJobRow, doc: { format: DocumentFormat; data: Uint8Array }): Promise<boolean>
  cancel(job: PrintJobRow): Promise<PrintJobRow>
  identify(): void
}

export interface IppRequestContext {
  queue: IppQueue
  /** The authenticated user (Basic user name), used over requesting-user-name. */
  user: string
  log: Logger
}

class IppFailure extends Error {
  constructor(
    readonly status: IppStatus,
    message: string,
    readonly unsupported: IppAttribute[] = [],
  ) {
    super(message)
  }
}

const fail = (status: IppStatus, message: string, unsupported: IppAttribute[] = []) => new IppFailure(status, message, unsupported)

const PRINTER_GROUPS = new Set(['all', 'printer-description', 'job-template', 'media-col-database'])
const JOB_GROUPS = new Set(['all', 'job-description', 'job-template', 'job-status'])
const JOB_DEFAULT = new Set(['job-id', 'job-uri'])

function filtered(attrs: IppAttribute[], requested: string[] | null, groups: Set<string>, fallback: Set<string> | null): IppAttribute[] {
  if (requested === null) return fallback ? attrs.filter((a) => fallback.has(a.name)) : attrs.filter((a) => a.name !== 'media-col-database')
  if (requested.includes('all') || requested.some((r) => groups.has(r) && r !== 'media-col-database')) {
    return attrs.filter((a) => a.name !== 'media-col-database' || requested.includes('media-col-database'))
  }
  return attrs.filter((a) => requested.includes(a.name))
}

function requestedOf(op: IppGroup): string[] | null {
  const a = attributeOf(op, 'requested-attributes')
  return a ? a.values.map((v) => stringValue(v) ?? '').filter((s) => s !== '') : null
}

/** Checks of RFC 8011 §4.1.4–4.1.8 every request passes first. */
function checkRequest(req: IppMessage): IppGroup {
  if (req.requestId === 0) throw fail(STATUS.badRequest, 'request-id must not be 0')
  const op = req.groups[0]
  if (!op || op.tag !== GROUP_TAGS.operation) throw fail(STATUS.badRequest, 'the operation attributes group must come first')
  if (req.groups.filter((g) => g.tag === GROUP_TAGS.operation).length > 1) throw fail(STATUS.badRequest, 'more than one operation attributes group')
  const [first, second] = op.attributes
  if (first?.name !== 'attributes-charset' || second?.name !== 'attributes-natural-language') {
    throw fail(STATUS.badRequest, 'attributes-charset and attributes-natural-language must be the first two operation attributes')
  }
  if (first.values[0]?.tag !== VALUE_TAGS.charset || second.values[0]?.tag !== VALUE_TAGS.naturalLanguage) throw fail(STATUS.badRequest, 'attributes-charset or attributes-natural-language has the wrong syntax')
  const cs = (stringValue(first.values[0]) ?? '').toLowerCase()
  if (cs !== 'utf-8' && cs !== 'us-ascii') throw fail(0x040d as IppStatus, `charset ${cs} is not supported`, [charset('attributes-charset', cs)])
  return op
}

function targetJobId(op: IppGroup): number {
  const id = numberValue(attributeOf(op, 'job-id')?.values[0])
  if (id !== undefined) {
    if (!attributeOf(op, 'printer-uri')) throw fail(STATUS.badRequest, 'job-id needs printer-uri')
    return id
  }
  const u = stringValue(attributeOf(op, 'job-uri')?.values[0])
  const m = u ? /\/jobs\/(\d{1,15})$/.exec(u) : null
  if (!m) throw fail(STATUS.badRequest, 'the request names no job (job-id with printer-uri, or job-uri)')
  return Number(m[1])
}

function requireTarget(op: IppGroup): void {
  if (!attributeOf(op, 'printer-uri') && !attributeOf(op, 'job-uri')) throw fail(STATUS.badRequest, 'printer-uri is missing')
}

interface JobTemplate {
  copies: number
  media: string | null
  pageRanges: Array<[number, number]> | null
  ignored: IppAttribute[]
}

/** The job template attributes of a create request: refused (fidelity) or ignored when unsupported. */
function jobTemplate(req: IppMessage, view: IppPrinterView, fidelity: boolean): JobTemplate {
  const job = req.groups.find((g) => g.tag === GROUP_TAGS.job)
  const ignored: IppAttribute[] = []
  let copies = 1
  let media: string | null = null
  let pageRanges: Array<[number, number]> | null = null
  for (const a of job?.attributes ?? []) {
    const v = a.values[0]
    let ok = true
    switch (a.name) {
      case 'copies':
        copies = numberValue(v) ?? 0
        ok = v?.tag === VALUE_TAGS.integer && copies >= 1 && copies <= MAX_COPIES_IPP
        if (!ok) copies = 1
        break
      case 'media':
        media = stringValue(v) ?? null
        ok = media !== null && view.mediaSupported.some((m) => m.name === media || labelStockOfMedia(media ?? '') !== null && m.name === media)
        if (!ok) media = null
        break
      case 'sides':
        ok = stringValue(v) === 'one-sided'
        break
      case 'page-ranges': {
        // Applied where pages are rasterised (label printers); a PDF printer gets the whole PDF.
        const ranges = a.values.map((x) => (x.tag === VALUE_TAGS.rangeOfInteger ? (x.value as { lower: number; upper: number }) : null))
        ok = printerLanguage(view.language).printout !== 'document' && ranges.every((r) => r !== null && r.lower >= 1 && r.upper >= r.lower)
        if (ok) pageRanges = ranges.map((r) => [r!.lower, r!.upper])
        break
      }
      case 'print-color-mode':
        ok = stringValue(v) === 'monochrome' || stringValue(v) === 'auto'
        break
      case 'print-content-optimize':
      case 'print-rendering-intent':
      case 'print-scaling':
        break
      case 'print-quality':
        ok = [3, 4, 5].includes(numberValue(v) ?? 0)
        break
      case 'orientation-requested':
        ok = [3, 4, 5, 6].includes(numberValue(v) ?? 0)
        break
      case 'media-col':
      case 'printer-resolution':
      case 'job-priority':
      case 'finishings':
      case 'output-bin':
      case 'multiple-document-handling':
        break
      case 'job-hold-until':
        ok = stringValue(v) === 'no-hold'
        break
      case 'job-sheets':
        ok = stringValue(v) === 'none'
        break
      default:
        ok = false
    }
    if (!ok) ignored.push({ name: a.name, values: a.values.length > 0 ? a.values : [{ tag: VALUE_TAGS.unsupported, value: '' }] })
  }
  if (fidelity && ignored.length > 0) throw fail(STATUS.attributesOrValuesNotSupported, `not supported: ${ignored.map((a) => a.name).join(', ')}`, ignored)
  return { copies, media, pageRanges, ignored }
}

function documentFormat(op: IppGroup, view: IppPrinterView, data: Uint8Array | null): DocumentFormat {
  const given = stringValue(attributeOf(op, 'document-format')?.values[0]) ?? 'application/octet-stream'
  const compression = stringValue(attributeOf(op, 'compression')?.values[0])
  if (compression !== undefined && compression !== 'none') throw fail(STATUS.compressionNotSupported, `compression ${compression} is not supported`, [{ name: 'compression', values: [{ tag: VALUE_TAGS.keyword, value: compression }] }])
  const unsupported = () => fail(STATUS.documentFormatNotSupported, `document-format ${given} is not supported here`, [{ name: 'document-format', values: [{ tag: VALUE_TAGS.mimeMediaType, value: given }] }])
  if (given === 'application/octet-stream') {
    if (data === null) return 'application/octet-stream' as DocumentFormat
    const sniffed = sniffFormat(data)
    if (!sniffed || !view.formats.includes(sniffed)) throw fail(STATUS.documentFormatNotSupported, 'the document is none of the formats this printer takes', [])
    return sniffed
  }
  if (!view.formats.includes(given)) throw unsupported()
  return given as DocumentFormat
}

function userOf(op: IppGroup, ctx: IppRequestContext): string {
  return ctx.user || stringValue(attributeOf(op, 'requesting-user-name')?.values[0]) || 'anonymous'
}

function fidelityOf(op: IppGroup): boolean {
  const v = attributeOf(op, 'ipp-attribute-fidelity')?.values[0]
  return v?.tag === VALUE_TAGS.boolean && v.value === true
}

/** An AppError from conversion or the queue, as an IPP status. */
function statusOfError(err: unknown): IppFailure {
  if (err instanceof IppFailure) return err
  if (err instanceof AppError) {
    if (err.code === 'DOCUMENT_UNREADABLE') return fail(STATUS.documentFormatError, err.message)
    if (err.kind === 'too-large') return fail(STATUS.requestEntityTooLarge, err.message)
    if (err.code === 'RENDER_BUSY') return fail(STATUS.busy, err.message)
    if (err.kind === 'not-found') return fail(STATUS.notFound, err.message)
    if (err.code.startsWith('RENDER_')) return fail(STATUS.documentFormatError, err.message)
  }
  return fail(STATUS.internalError, 'internal error')
}

/**
 * The checks a request must pass whoever sends it (version, request-id, the first attributes,
 * a target): answered before sign-in, so a malformed request is told so without credentials —
 * it learns nothing about printers or jobs. Null when the request passes.
 */
export function precheckIpp(req: IppMessage): { status: IppStatus; message: string } | null {
  try {
    if (req.version >> 8 < 1 || req.version >> 8 > 2) throw fail(STATUS.versionNotSupported, 'IPP versions 1.1 and 2.0 are supported')
    const op = checkRequest(req)
    if (!attributeOf(op, 'printer-uri') && !attributeOf(op, 'job-uri')) throw fail(STATUS.badRequest, 'printer-uri is missing')
    return null
  } catch (err) {
    const f = statusOfError(err)
    return { status: f.status, message: f.message }
  }
}

export async function handleIpp(req: IppMessage, ctx: IppRequestContext): Promise<{ status: IppStatus; groups: IppGroup[]; message: string }> {
  const upTime = Math.floor(Date.now() / 1000)
  const { queue } = ctx
  const view = queue.view
  const jobGroup = (j: PrintJobRow, requested: string[] | null, fallback: Set<string> | null): IppGroup => ({ tag: GROUP_TAGS.job, attributes: filtered(jobAttributes(j, view.uri, upTime), requested, JOB_GROUPS, fallback) })
  const createdAnswer = (j: PrintJobRow): IppGroup => ({ tag: GROUP_TAGS.job, attributes: jobAttributes(j, view.uri, upTime).filter((a) => ['job-id', 'job-uri', 'job-state', 'job-state-reasons', 'job-state-message'].includes(a.name)) })
  const findJob = async (op: IppGroup) => {
    const j = await queue.job(targetJobId(op))
    if (!j) throw fail(STATUS.notFound, 'no such job at this printer')
    return j
  }
  try {
    if (req.version >> 8 < 1 || req.version >> 8 > 2) throw fail(STATUS.versionNotSupported, 'IPP versions 1.1 and 2.0 are supported')
    const op = checkRequest(req)
    let status: IppStatus = STATUS.ok
    const withIgnored = (groups: IppGroup[], t: JobTemplate): IppGroup[] => {
      if (t.ignored.length === 0) return groups
      status = STATUS.okIgnoredOrSubstituted
      return [{ tag: GROUP_TAGS.unsupported, attributes: t.ignored }, ...groups]
    }
    switch (req.code) {
      case OPERATIONS['Get-Printer-Attributes']: {
        requireTarget(op)
        return { status, message: 'successful-ok', groups: [{ tag: GROUP_TAGS.printer, attributes: filtered(printerAttributes(view), requestedOf(op), PRINTER_GROUPS, null) }] }
      }
      case OPERATIONS['Validate-Job']: {
        requireTarget(op)
        documentFormat(op, view, null)
        const t = jobTemplate(req, view, fidelityOf(op))
        return { status, message: 'successful-ok', groups: withIgnored([], t) }
      }
      case OPERATIONS['Print-Job']: {
        requireTarget(op)
        if (!view.acceptingJobs) throw fail(STATUS.notPossible, 'the printer is not accepting jobs')
        const format = documentFormat(op, view, req.data)
        const t = jobTemplate(req, view, fidelityOf(op))
        const jobName = stringValue(attributeOf(op, 'job-name')?.values[0]) ?? stringValue(attributeOf(op, 'document-name')?.values[0]) ?? 'IPP job'
        const job = await queue.print({ format, data: req.data, jobName, user: userOf(op, ctx), copies: t.copies, media: t.media, pageRanges: t.pageRanges })
        return { status, message: 'successful-ok', groups: withIgnored([createdAnswer(job)], t) }
      }
      case OPERATIONS['Create-Job']: {
        requireTarget(op)
        if (!view.createJob) throw fail(STATUS.operationNotSupported, 'this queue takes Print-Job only')
        if (!view.acceptingJobs) throw fail(STATUS.notPossible, 'the printer is not accepting jobs')
        const t = jobTemplate(req, view, fidelityOf(op))
        const jobName = stringValue(attributeOf(op, 'job-name')?.values[0]) ?? 'IPP job'
        const job = await queue.create({ jobName, user: userOf(op, ctx), copies: t.copies })
        return { status, message: 'successful-ok', groups: withIgnored([createdAnswer(job)], t) }
      }
      case OPERATIONS['Send-Document']: {
        const job = await findJob(op)
        const last = attributeOf(op, 'last-document')?.values[0]
        if (!last || last.tag !== VALUE_TAGS.boolean) throw fail(STATUS.badRequest, 'last-document is missing')
        if (job.state !== 'held' || !job.reasons.includes('job-incoming')) throw fail(STATUS.notPossible, `job ${job.id} does not wait for a document (it is ${job.state})`)
        if (last.value !== true && req.data.byteLength === 0) throw fail(STATUS.multipleDocumentJobsNotSupported, 'one document per job')
        const format = documentFormat(op, view, req.data)
        if (!(await queue.send(job, { format, data: req.data }))) throw fail(STATUS.notPossible, `job ${job.id} no longer waits for a document`)
        return { status, message: 'successful-ok', groups: [createdAnswer((await queue.job(job.id)) ?? job)] }
      }
      case OPERATIONS['Close-Job']: {
        const job = await findJob(op)
        return { status, message: 'successful-ok', groups: [createdAnswer(job)] }
      }
      case OPERATIONS['Cancel-Job']: {
        const job = await findJob(op)
        if ((FINAL_STATES as readonly string[]).includes(job.state)) throw fail(STATUS.notPossible, `job ${job.id} is ${job.state} already`)
        await queue.cancel(job)
        return { status, message: 'successful-ok', groups: [] }
      }
      case OPERATIONS['Get-Job-Attributes']: {
        const job = await findJob(op)
        return { status, message: 'successful-ok', groups: [jobGroup(job, requestedOf(op), null)] }
      }
      case OPERATIONS['Get-Jobs']: {
        requireTarget(op)
        const which = stringValue(attributeOf(op, 'which-jobs')?.values[0]) ?? 'not-completed'
        if (!['completed', 'not-completed', 'all'].includes(which)) {
          throw fail(STATUS.attributesOrValuesNotSupported, `which-jobs ${which} is not supported`, [{ name: 'which-jobs', values: [{ tag: VALUE_TAGS.keyword, value: which }] }])
        }
        const limit = Math.min(Math.max(numberValue(attributeOf(op, 'limit')?.values[0]) ?? 500, 1), 500)
        const myJobs = attributeOf(op, 'my-jobs')?.values[0]?.value === true
        const user = userOf(op, ctx)
        const jobs = (await queue.jobs(which as 'completed' | 'not-completed' | 'all', limit)).filter((j) => !myJobs || jobUser(j) === user)
        const requested = requestedOf(op)
        return { status, message: 'successful-ok', groups: jobs.map((j) => jobGroup(j, requested, JOB_DEFAULT)) }
      }
      case OPERATIONS['Cancel-My-Jobs']: {
        requireTarget(op)
        const user = userOf(op, ctx)
        const ids = attributeOf(op, 'job-ids')?.values.map((v) => numberValue(v) ?? 0) ?? null
        const mine = (await queue.jobs('not-completed', 500)).filter((j) => jobUser(j) === user && (ids === null || ids.includes(j.id)))
        if (ids !== null && mine.length !== ids.length) throw fail(STATUS.notPossible, 'some job-ids are not yours, or not active')
        for (const j of mine) await queue.cancel(j)
        return { status, message: 'successful-ok', groups: [] }
      }
      case OPERATIONS['Identify-Printer']: {
        requireTarget(op)
        queue.identify()
        return { status, message: 'successful-ok', groups: [] }
      }
      default:
        throw fail(STATUS.operationNotSupported, `operation 0x${req.code.toString(16).padStart(4, '0')} is not supported`)
    }
  } catch (err) {
    const f = statusOfError(err)
    if (f.status === STATUS.internalError) ctx.log.error({ err }, 'ipp operation failed')
    return { status: f.status, message: f.message, groups: f.unsupported.length > 0 ? [{ tag: GROUP_TAGS.unsupported, attributes: f.unsupported }] : [] }
  }
}

/** The answer's operation attributes: charset, language, status message. */
export function responseOperationGroup(message: string): IppGroup {
  return { tag: GROUP_TAGS.operation, attributes: [charset('attributes-charset', 'utf-8'), naturalLanguage('attributes-natural-language', 'en'), text('status-message', message.slice(0, 255))] }
}
