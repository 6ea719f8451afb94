import { Router } from 'express'
import { z } from 'zod'
import { allow } from '../auth.ts'
import { bodyOf, idParam, pageParams } from './params.ts'
import { actorOf } from './actor.ts'
import { parseInput } from '../../domain/inputs.ts'
import { ValidationError } from '../../domain/errors.ts'
import { JOB_REASONS, JOB_STATES, type JobState } from '../../domain/print-job.ts'
import type { PrinterRecord } from '../../store/printer-store.ts'
import { PRINTER_LANGUAGES } from '../../domain/printer-language.ts'
import type { PrintingService } from '../../app/printing/printing-service.ts'
import { checkIdempotencyKey, jobView, printerMediaInput } from '../../app/printing/print-jobs.ts'

const printerName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, 'letters, digits, . _ - (up to 80)')
export const printerCreate = z.strictObject({
  name: printerName,
  // Checked against the language table by validatePrinterConfig (400 PRINTER_LANGUAGE_UNKNOWN, listing them); the OpenAPI schema lists them.
  language: z.string().min(1).max(20).meta({ enum: [...PRINTER_LANGUAGES] }),
  uri: z.string().min(1).max(500),
  location: z.string().min(1).max(80).optional(),
  media: printerMediaInput.nullable().optional(),
})
export const printerPatch = printerCreate.omit({ name: true }).partial()
/** resumeAt: the first label to print, counted from 1 like every label number the API and pages show. */
export const releaseBody = z.strictObject({ resumeAt: z.number().int().min(1).optional() })

/** Printers and the print queue (CONTRACT.md "Printers and print jobs"). */
export function printingRoutes(service: PrintingService): Router {
  const r = Router()

  const printerView = async (p: PrinterRecord, withStatus: boolean) => ({
    name: p.name,
    language: p.language,
    uri: p.uri,
    location: p.location,
    owned: p.location === service.config.serverId,
    media: p.media,
    ...(withStatus ? { status: service.status(p) } : {}),
    createdAt: new Date(p.createdAt).toISOString(),
    updatedAt: new Date(p.updatedAt).toISOString(),
  })

  r.post('/printers', allow(), async (req, res) => {
    const input = parseInput(printerCreate, bodyOf(req))
    const p = await service.createPrinter(input)
    res.status(201).location(`/api/printers/${encodeURIComponent(p.name)}`).json(await printerView(p, false))
  })
  r.get('/printers', allow('client'), async (_req, res) => {
    const printers = await service.printers.list()
    res.json({ items: await Promise.all(printers.map((p) => printerView(p, true))) })
  })
  r.get('/printers/:name', allow('client'), async (req, res) => {
    res.json(await printerView(await service.printers.get(String(req.params.name)), true))
  })
  r.patch('/printers/:name', allow(), async (req, res) => {
    const change = parseInput(printerPatch, bodyOf(req))
    const p = await service.updatePrinter(String(req.params.name), change)
    res.json(await printerView(p, false))
  })
  r.delete('/printers/:name', allow(), async (req, res) => {
    await service.deletePrinter(String(req.params.name))
    res.status(204).end()
  })

  r.post('/print-jobs', allow('client'), async (req, res) => {
    const key = checkIdempotencyKey(req.get('idempotency-key'))
    const { job, replayed } = await service.submit(bodyOf(req), key, actorOf(req).by)
    if (replayed) res.setHeader('idempotent-replayed', 'true')
    res.status(202).location(`/api/print-jobs/${job.id}`).json({ id: job.id, state: job.state })
  })
  r.get('/print-jobs', allow('client'), async (req, res) => {
    const { limit, after } = pageParams(req)
    const state = typeof req.query.state === 'string' && req.query.state !== '' ? req.query.state : undefined
    if (state !== undefined && !(JOB_STATES as readonly string[]).includes(state)) {
      throw new ValidationError(`state must be one of ${JOB_STATES.join(', ')}`, { state }, 'QUERY_INVALID')
    }
    const printer = typeof req.query.printer === 'string' && req.query.printer !== '' ? req.query.printer : undefined
    const order = req.query.order ?? 'oldest'
    if (order !== 'oldest' && order !== 'newest') throw new ValidationError('order must be oldest or newest', { order }, 'QUERY_INVALID')
    const rows = await service.list({ state: state as JobState | undefined, printer, limit, after, newestFirst: order === 'newest' })
    const items = rows.slice(0, limit)
    res.json({ items: items.map(jobView), nextAfter: rows.length > limit ? items[items.length - 1].id : null })
  })
  /** The words the pages show for job states' reasons. */
  r.get('/print-job-reasons', allow('client'), (_req, res) => {
    res.json(JOB_REASONS)
  })
  r.get('/print-jobs/:id', allow('client'), async (req, res) => {
    res.json(jobView(await service.job(idParam(req))))
  })
  /** The bytes the job prints (rendered when it was accepted), for a look or a byte-exact check. */
  r.get('/print-jobs/:id/document', allow('client'), async (req, res) => {
    const job = await service.job(idParam(req))
    const body = await service.jobs.payload(job.id)
    res.setHeader('content-type', job.contentType)
    res.setHeader('x-units', String(body?.unitLengths.length ?? 0))
    res.send(body?.payload ?? Buffer.alloc(0))
  })
  r.post('/print-jobs/:id/cancel', allow('client'), async (req, res) => {
    res.json(jobView(await service.cancel(idParam(req))))
  })
  r.post('/print-jobs/:id/release', allow('client'), async (req, res) => {
    const id = idParam(req)
    const body = req.body === undefined ? {} : parseInput(releaseBody, req.body)
    res.json(jobView(await service.release(id, body.resumeAt)))
  })
  r.post('/print-jobs/:id/reprint', allow('client'), async (req, res) => {
    const id = idParam(req)
    const key = checkIdempotencyKey(req.get('idempotency-key'))
    const { job, replayed } = await service.reprint(id, actorOf(req).by, key)
    if (replayed) res.setHeader('idempotent-replayed', 'true')
    res.status(202).location(`/api/print-jobs/${job.id}`).json({ id: job.id, state: job.state })
  })
  return r
}
