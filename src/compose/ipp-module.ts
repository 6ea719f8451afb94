/**
 * The IPP printers: every Studio Print printer at /ipp/print/NAME, and the route-by-content
 * queue at /ipp/print/_auto. Jobs go into the print queue (IppPrinting); the state a client
 * reads is the printer's live status and the queue's job states.
 */
import type { ModuleContext, ServerModule } from './module.ts'
import type { PrintingService } from '../app/printing/printing-service.ts'
import { IppPrinting, loadedStock } from '../app/printing/ipp-printing.ts'
import { chooseByContent, pageSizeOf } from '../app/printing/route-by-content.ts'
import { formatsFor, CONVERTIBLE_FORMATS } from '../app/printing/convert-document.ts'
import type { PrinterRecord } from '../store/printer-store.ts'
import { printerLanguage } from '../domain/printer-language.ts'
import type { PrintJobRow } from '../store/print-job-store.ts'
import { LABEL_MEDIA, type LabelMedia } from '../templates/media.ts'
import { authDepsOf } from '../server/auth.ts'
import { AUTO_QUEUE, ippRoutes } from '../server/ipp/ipp-routes.ts'
import type { IppQueue } from '../server/ipp/ipp-operations.ts'
import { MULTIPLE_OPERATION_TIMEOUT_S, type IppPrinterView } from '../server/ipp/printer-attributes.ts'
import { ALL_LABEL_MEDIA, PAPER_MEDIA, RECEIPT_ROLL, labelMedia } from '../server/ipp/ipp-media.ts'
import type { IppConfig } from '../server/ipp/ipp-config.ts'
import { startDnsSd, type DnsSdAdvert } from '../server/ipp/dns-sd.ts'
import { AppError } from '../domain/errors.ts'

const ACTIVE = new Set(['pending', 'held', 'processing'])
const FINAL = new Set(['completed', 'canceled', 'aborted'])

function whichFilter(which: 'completed' | 'not-completed' | 'all'): (j: PrintJobRow) => boolean {
  return which === 'all' ? () => true : which === 'completed' ? (j) => FINAL.has(j.state) : (j) => ACTIVE.has(j.state)
}

export interface IppModule extends ServerModule {
  ipp: IppPrinting
  config: IppConfig
  /** Starts the DNS-SD adverts (when configured) once the server listens on `port`. */
  advertise(port: number): Promise<void>
}

export async function createIppModule(ctx: ModuleContext, service: PrintingService, overrides: Partial<IppConfig> = {}): Promise<IppModule> {
  const config: IppConfig = { ...ctx.config.ipp, ...overrides }
  const log = ctx.log.child({ component: 'ipp' })
  const ipp = new IppPrinting(service, ctx.stores, log)
  let advert: DnsSdAdvert | null = null
  let sweeper: NodeJS.Timeout | null = null
  const sweep = () =>
    service.jobs.abortStaleIncoming(MULTIPLE_OPERATION_TIMEOUT_S * 1000).then(
      (n) => n > 0 && log.warn({ jobs: n }, 'IPP jobs aborted: Create-Job without Send-Document in time'),
      (err: unknown) => log.error({ err }, 'IPP incoming-job sweep failed'),
    )

  const statusView = (p: PrinterRecord): Pick<IppPrinterView, 'state' | 'reasons' | 'stateMessage'> => {
    const s = service.status(p)
    if (!s) return { state: 'idle', reasons: [], stateMessage: `printed by the server at ${p.location}` }
    if (s.state === 'unknown') return { state: 'idle', reasons: [], stateMessage: 'not probed yet' }
    if (s.state === 'offline') return { state: 'stopped', reasons: [...new Set([...s.reasons, 'offline-report'])], stateMessage: (s.details ?? ['unreachable']).join('; ') }
    return { state: s.state, reasons: s.reasons, stateMessage: (s.details ?? []).join('; ') || s.state }
  }

  const viewOf = async (p: PrinterRecord, base: { ipp: string; http: string }): Promise<IppPrinterView> => {
    const printout = printerLanguage(p.language).printout
    const label = printout !== 'document'
    const studio = await ctx.stores.settings.studio()
    const paper = studio.paper
    const receipt = printout === 'receipt'
    const ready = receipt ? RECEIPT_ROLL : label ? labelMedia(loadedStock(p).name) : PAPER_MEDIA[paper]
    return {
      name: p.name,
      language: p.language,
      info: `${p.name} (${p.language.toUpperCase()})`,
      location: p.location,
      uri: `${base.ipp}/ipp/print/${encodeURIComponent(p.name)}`,
      httpBase: base.http,
      mediaReady: ready,
      mediaSupported: receipt ? [RECEIPT_ROLL] : label ? [ready, ...ALL_LABEL_MEDIA.filter((m) => m.name !== ready.name)] : [ready, ...Object.values(PAPER_MEDIA).filter((m) => m.name !== ready.name)],
      dpi: label ? (p.media?.dpi ?? 203) : 300,
      pwgDpi: label ? (p.media?.dpi ?? 203) : 150,
      formats: formatsFor(p.language),
      ...statusView(p),
      queuedJobs: await service.jobs.countActive(p.name),
      upSince: 0,
      acceptingJobs: true,
      createJob: true,
      organization: studio.name,
    }
  }

  const printerQueue = async (p: PrinterRecord, base: { ipp: string; http: string }): Promise<IppQueue> => {
    const view = await viewOf(p, base)
    const createdBy = (user: string) => `ipp:${user}`.slice(0, 80)
    return {
      view,
      jobs: async (which, limit) => (await service.list({ printer: p.name, limit: 1000, after: 0, newestFirst: true })).filter(whichFilter(which)).slice(0, limit),
      job: async (id) => {
        const j = await service.jobs.get(id)
        return j && j.printer === p.name ? j : null
      },
      print: (doc) => ipp.submit({ printer: p, format: doc.format, data: doc.data, jobName: doc.jobName, user: doc.user, copies: doc.copies, pageRanges: doc.pageRanges, createdBy: createdBy(doc.user) }),
      create: (input) => ipp.create({ printer: p, jobName: input.jobName, user: input.user, copies: input.copies, createdBy: createdBy(input.user) }),
      send: (job, doc) => ipp.attach(job, { printer: p, format: doc.format, data: doc.data }),
      cancel: (job) => service.cancel(job.id),
      identify: () => log.info({ printer: p.name }, 'identify-printer requested'),
    }
  }

  /** The route-by-content queue: a job goes to the printer its page size suits. */
  const autoQueue = async (base: { ipp: string; http: string }): Promise<IppQueue | null> => {
    const printers = await service.printers.list()
    if (printers.length === 0) return null
    const views = await Promise.all(printers.map((p) => viewOf(p, base)))
    const anyReady = views.some((v) => v.state !== 'stopped')
    const paper = (await ctx.stores.settings.studio()).paper
    const labels = (LABEL_MEDIA as readonly LabelMedia[]).map(labelMedia)
    const view: IppPrinterView = {
      ...views[0],
      name: AUTO_QUEUE,
      language: 'pdf',
      info: 'Route by content: label-sized pages to a label printer, pages to a PDF printer',
      location: views[0].location,
      uri: `${base.ipp}/ipp/print/${AUTO_QUEUE}`,
      mediaReady: PAPER_MEDIA[paper],
      mediaSupported: [PAPER_MEDIA[paper], ...labels, ...Object.values(PAPER_MEDIA).filter((m) => m.name !== PAPER_MEDIA[paper].name)],
      formats: [...CONVERTIBLE_FORMATS],
      state: anyReady ? 'idle' : 'stopped',
      reasons: anyReady ? [] : ['other-error'],
      stateMessage: anyReady ? 'ready' : 'no printer is ready',
      queuedJobs: views.reduce((n, v) => n + v.queuedJobs, 0),
      createJob: false,
    }
    const mine = (j: PrintJobRow | null) => (j && j.options.ippQueue === AUTO_QUEUE ? j : null)
    return {
      view,
      jobs: async (which, limit) => (await service.list({ limit: 1000, after: 0, newestFirst: true })).filter((j) => j.options.ippQueue === AUTO_QUEUE).filter(whichFilter(which)).slice(0, limit),
      job: async (id) => mine(await service.jobs.get(id)),
      print: async (doc) => {
        const target = chooseByContent(printers, pageSizeOf(doc.format, doc.data), doc.format)
        if (!target) throw new AppError('PRINTER_NOT_FOUND', 'not-found', 'no printer takes this document')
        log.info({ printer: target.name, format: doc.format }, 'routed by content')
        const job = await ipp.submit({ printer: target, format: doc.format, data: doc.data, jobName: doc.jobName, user: doc.user, copies: doc.copies, pageRanges: doc.pageRanges, createdBy: `ipp:${doc.user}`.slice(0, 80), queue: AUTO_QUEUE })
        return job
      },
      // Not offered (createJob: false): the operations answer server-error-operation-not-supported first.
      create: () => Promise.reject(new Error('the route-by-content queue takes Print-Job only')),
      send: () => Promise.resolve(false),
      cancel: (job) => service.cancel(job.id),
      identify: () => log.info({ printer: AUTO_QUEUE }, 'identify-printer requested'),
    }
  }

  return {
    name: 'ipp',
    ipp,
    config,
    pageRouters: config.enabled
      ? [
          ippRoutes({
            auth: authDepsOf(ctx.stores),
            log,
            maxRequestBytes: config.maxRequestBytes,
            publicAttributes: config.publicAttributes,
            queueOf: async (name, base) => {
              if (name === AUTO_QUEUE) return autoQueue(base)
              const p = await service.printers.find(name)
              return p ? printerQueue(p, base) : null
            },
          }),
        ]
      : [],
    async start() {
      if (!config.enabled) return
      await sweep()
      sweeper = setInterval(() => void sweep(), 30_000)
      sweeper.unref()
    },
    async advertise(port) {
      if (!config.enabled) return
      log.info({ uri: `ipp://HOST:${port}/ipp/print/NAME`, auto: `ipp://HOST:${port}/ipp/print/${AUTO_QUEUE}`, publicAttributes: config.publicAttributes }, 'IPP printers served')
      if (!config.dnssd) return
      advert = await startDnsSd({ port, location: ctx.config.serverId, printers: async () => (await service.printers.list()).map((p) => ({ name: p.name, language: p.language })), log })
    },
    async stop() {
      if (sweeper) clearInterval(sweeper)
      await advert?.stop()
    },
  }
}
