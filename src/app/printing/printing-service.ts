import type { Logger } from 'pino'
import type { Stores } from '../stores.ts'
import { ConflictError, NotFoundError, ValidationError, PrinterGoneError } from '../../domain/errors.ts'
import { createPrinterDriver } from '../../drivers/printers/create-printer-driver.ts'
import { isPrinterLanguage, languageUriProblem, PRINTER_LANGUAGES, type PrinterLanguage } from '../../domain/printer-language.ts'
import { PrinterLanguageUnknownError } from '../../drivers/printers/printer-errors.ts'
import type { PrinterStatus } from '../../drivers/printers/printer-status.ts'
import { parsePrinterUri } from '../../drivers/transports/parse-printer-uri.ts'
import type { SimRegistry } from '../../drivers/transports/sim-transport.ts'
import { PrinterUriInvalidError } from '../../drivers/transports/transport-errors.ts'
import { PrinterUriForbiddenError, checkPrinterUriPolicy, type PrinterUriPolicy } from '../../drivers/transports/printer-uri-policy.ts'
import { IdempotencyKeyTakenError, PrintJobStore, type JobState, type PrintJobRow } from '../../store/print-job-store.ts'
import { PrinterStore, type PrinterInput, type PrinterMedia, type PrinterRecord } from '../../store/printer-store.ts'
import { acceptPrintJob, type AcceptedJob, jobOfKey, jobOfRaceWinner, reprintRequestHash, totalUnitsFor } from './print-jobs.ts'
import type { PrintingConfig } from './printing-config.ts'
import { validResumeAt } from '../../domain/print-job.ts'
import { PrinterWorker } from './printer-worker.ts'

/** Checks a printer's language and URI the way the driver registry will (400 with clear codes). */
export function validatePrinterConfig(language: string, uri: string, policy: PrinterUriPolicy = { fileSpoolDir: null }): PrinterLanguage {
  if (!isPrinterLanguage(language)) throw new PrinterLanguageUnknownError(language, PRINTER_LANGUAGES)
  const parsed = parsePrinterUri(uri)
  checkPrinterUriPolicy(parsed, policy)
  const problem = languageUriProblem(language, parsed.kind)
  if (problem) throw new PrinterUriInvalidError(uri, problem)
  return language
}

export interface PrintingServiceOptions {
  /** In-process hw-sim devices for `sim:NAME` printers (demo, tests). */
  simRegistry?: SimRegistry
  /** STUDIO_FILE_PRINTER_DIR: the spool folder file: printers write in; null: file: printers are off. */
  fileSpoolDir?: string | null
}

/**
 * The printing use cases: printers, the queue, and the workers of the printers this server
 * owns (printers.location = config.serverId).
 */
export class PrintingService {
  readonly printers: PrinterStore
  readonly jobs: PrintJobStore
  private readonly workers = new Map<string, PrinterWorker>()
  private readonly statusCache = new Map<string, { at: number; status: PrinterStatus }>()
  private timer: NodeJS.Timeout | null = null
  private syncing: Promise<void> = Promise.resolve()
  private stopped = false

  constructor(
    private readonly stores: Stores,
    readonly config: PrintingConfig,
    private readonly log: Logger,
    private readonly options: PrintingServiceOptions = {},
  ) {
    this.printers = new PrinterStore(stores.database.db)
    this.jobs = new PrintJobStore(stores.database.db, stores.database.dialect)
  }

  async start(): Promise<void> {
    await this.recover()
    await this.sync()
    this.timer = setInterval(() => {
      void this.recover()
        .then(() => this.sync())
        .catch((err: unknown) => this.log.error({ err }, 'printing housekeeping failed'))
    }, this.config.pollMs)
    this.timer.unref()
  }

  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    await this.syncing.catch(() => {})
    await Promise.all([...this.workers.values()].map((w) => w.stop(graceMs)))
    this.workers.clear()
  }

  /**
   * Jobs left processing by a server whose lease lapsed (a dead server, or a dead earlier run of
   * this one). Liveness is the lease alone: a process id says nothing across machines or
   * containers, so a live server that renews its lease never loses its job.
   */
  async recover(): Promise<void> {
    const mine = (await this.printers.list(this.config.serverId)).map((p) => p.name)
    const recovered = await this.jobs.recover(mine, () => false)
    for (const r of recovered) this.log.warn({ jobId: r.id, to: r.to }, r.to === 'held' ? 'job was in flight when its server died: held job-sent-unconfirmed' : r.to === 'canceled' ? 'job was being canceled when its server died: canceled' : 'job was claimed but nothing sent when its server died: pending again')
  }

  /** Starts, restarts and stops workers to match the printers of this location. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.doSync()).catch((err: unknown) => this.log.error({ err }, 'printer sync failed'))
    return this.syncing
  }

  private async doSync(): Promise<void> {
    if (this.stopped) return
    const mine = await this.printers.list(this.config.serverId)
    const names = new Set(mine.map((p) => p.name))
    for (const [name, w] of this.workers) {
      const now = mine.find((p) => p.name === name)
      // Only a change of how the printer is reached restarts its worker; media or other details
      // don't (the job in flight goes on).
      if (!now || now.uri !== w.printer.uri || now.language !== w.printer.language) {
        this.workers.delete(name)
        this.statusCache.delete(name)
        await w.stop()
      } else w.printer = now
    }
    for (const p of mine) {
      if (this.workers.has(p.name) || !names.has(p.name)) continue
      try {
        const driver = await createPrinterDriver(
          { name: p.name, language: p.language, uri: p.uri },
          {
            log: this.log,
            simRegistry: this.options.simRegistry,
            fileSpoolDir: this.options.fileSpoolDir ?? null,
            raw: { statusTimeoutMs: this.config.statusTimeoutMs },
            connectTimeoutMs: this.config.connectTimeoutMs,
            writeTimeoutMs: this.config.writeTimeoutMs,
          },
        )
        // A worker being stopped (printer edited, moved elsewhere) no longer speaks for the printer.
        const w: PrinterWorker = new PrinterWorker(p, driver, this.jobs, this.config, this.log.child({ printer: p.name }), (status) => {
          if (this.workers.get(p.name) === w) this.statusCache.set(p.name, { at: Date.now(), status })
        })
        this.workers.set(p.name, w)
        if (!this.stopped) w.start()
      } catch (err) {
        this.log.error({ err, printer: p.name }, 'cannot make a driver for this printer')
        // A URI that reaches outside printing is held for good (never sent to), saying why.
        const held = err instanceof PrinterUriForbiddenError
        this.statusCache.set(p.name, { at: Number.MAX_SAFE_INTEGER, status: { state: held ? 'stopped' : 'offline', reasons: [held ? 'printer-uri-refused-error' : 'offline-report'], details: [(err as Error).message], source: 'driver' } })
      }
    }
  }

  /** The spool folder file: printers write in (STUDIO_FILE_PRINTER_DIR, or the demo's); null: file: printers are off. */
  get fileSpoolDir(): string | null {
    return this.options.fileSpoolDir ?? null
  }

  private uriPolicy(): PrinterUriPolicy {
    return { fileSpoolDir: this.fileSpoolDir }
  }

  wake(printer: string): void {
    this.workers.get(printer)?.wake()
  }

  /**
   * The status of a printer this server owns, from its last background probe (never waits for
   * the device), with when it was seen; null for other locations' printers. A status older than
   * the probe interval asks for a fresh probe in the background.
   */
  status(p: PrinterRecord): (PrinterStatus & { probedAt: string | null; ageMs: number | null }) | (Omit<PrinterStatus, 'state'> & { state: 'unknown'; probedAt: null; ageMs: null }) | null {
    const w = this.workers.get(p.name)
    const cached = this.statusCache.get(p.name)
    if (w && (!cached || Date.now() - cached.at >= this.config.statusProbeMs)) w.refreshStatus()
    if (!cached) return w ? { state: 'unknown', reasons: [], details: ['not probed yet'], probedAt: null, ageMs: null } : null
    const fixed = cached.at === Number.MAX_SAFE_INTEGER
    return { ...cached.status, probedAt: fixed ? null : new Date(cached.at).toISOString(), ageMs: fixed ? null : Math.max(0, Date.now() - cached.at) }
  }

  async createPrinter(input: { name: string; language: string; uri: string; location?: string; media?: PrinterMedia | null }): Promise<PrinterRecord> {
    const language = validatePrinterConfig(input.language, input.uri, this.uriPolicy())
    const p = await this.printers.create({ name: input.name, language, uri: input.uri, location: input.location ?? this.config.serverId, media: input.media ?? null })
    await this.sync()
    return p
  }

  async updatePrinter(name: string, change: Partial<Omit<PrinterInput, 'name' | 'language'>> & { language?: string }): Promise<PrinterRecord> {
    const before = await this.printers.get(name)
    const language = change.language !== undefined || change.uri !== undefined ? validatePrinterConfig(change.language ?? before.language, change.uri ?? before.uri, this.uriPolicy()) : undefined
    const p = await this.printers.update(name, { ...change, language })
    await this.sync()
    return p
  }

  async deletePrinter(name: string): Promise<void> {
    const r = await this.jobs.deletePrinterIfIdle(name)
    if (r === 'missing') throw new NotFoundError(`Printer "${name.slice(0, 80)}"`, { printer: name }, 'PRINTER_NOT_FOUND')
    if (r === 'busy') throw new ConflictError('PRINTER_HAS_ACTIVE_JOBS', `Printer "${name}" has pending, held or processing jobs; cancel them or let them finish first.`, { printer: name })
    await this.sync()
  }

  async submit(body: unknown, key: string | null, createdBy: string): Promise<{ job: AcceptedJob; replayed: boolean }> {
    const r = await acceptPrintJob(this.stores, this.printers, this.jobs, body, key, createdBy)
    if (!r.replayed) this.wake(r.job.printer)
    return r
  }

  async job(id: number): Promise<PrintJobRow> {
    const j = await this.jobs.get(id)
    if (!j) throw new NotFoundError(`Print job ${id}`, { id }, 'PRINT_JOB_NOT_FOUND')
    return j
  }

  async cancel(id: number): Promise<PrintJobRow> {
    const r = await this.jobs.cancel(id)
    if (r === 'missing') throw new NotFoundError(`Print job ${id}`, { id }, 'PRINT_JOB_NOT_FOUND')
    const job = await this.job(id)
    if (r === 'requested') {
      this.workers.get(job.printer)?.cancel(id)
    } else if (r === 'final' && job.state !== 'canceled') {
      throw new ConflictError('PRINT_JOB_FINISHED', `Job ${id} is ${job.state} already; it can't be canceled.`, { id, state: job.state })
    }
    return job
  }

  /** `resumeAt`: the first label to print, counted from 1 (total + 1: nothing more); default: after the last confirmed one. */
  async release(id: number, resumeAt?: number): Promise<PrintJobRow> {
    const job = await this.job(id)
    if (resumeAt !== undefined && !validResumeAt(resumeAt, job.totalUnits)) {
      throw new ValidationError(`resumeAt is the first label to print, from 1 to ${job.totalUnits + 1} (${job.totalUnits + 1}: nothing more).`, { resumeAt }, 'RESUME_AT_INVALID')
    }
    if (!(await this.jobs.release(id, resumeAt))) {
      throw new ConflictError('PRINT_JOB_NOT_HELD', `Job ${id} is ${job.state}, not held; only a held job can be released.`, { id, state: job.state })
    }
    this.wake(job.printer)
    return this.job(id)
  }

  /** With an Idempotency-Key as submit(): the same key gives the same job; another request with it is 422. */
  async reprint(id: number, createdBy: string, key: string | null = null): Promise<{ job: PrintJobRow; replayed: boolean }> {
    const hash = reprintRequestHash(id)
    const existing = await jobOfKey(this.jobs, key, hash)
    if (existing) return { job: existing, replayed: true }
    const original = await this.job(id)
    const printer = await this.printers.find(original.printer)
    const gone = () => new ConflictError('PRINTER_GONE', `Printer "${original.printer}" no longer exists.`, { printer: original.printer })
    if (!printer) throw gone()
    let newId: number | null
    try {
      newId = await this.jobs.reprint(id, { createdBy, totalUnits: (documents, copies) => totalUnitsFor(printer, documents, copies), idempotencyKey: key, requestHash: hash })
    } catch (err) {
      // Deleted since it was read: as if it had been gone before.
      if (err instanceof PrinterGoneError) throw gone()
      if (!(err instanceof IdempotencyKeyTakenError)) throw err
      return { job: await jobOfRaceWinner(this.jobs, err, hash), replayed: true }
    }
    if (newId === null) throw new NotFoundError(`Print job ${id}`, { id }, 'PRINT_JOB_NOT_FOUND')
    this.wake(original.printer)
    return { job: await this.job(newId), replayed: false }
  }

  list(filter: { state?: JobState; printer?: string; limit: number; after: number; newestFirst?: boolean }): Promise<PrintJobRow[]> {
    return this.jobs.list(filter)
  }
}
