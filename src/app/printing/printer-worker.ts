import type { Logger } from 'pino'
import type { PrinterDriver } from '../../drivers/printers/printer-driver.ts'
import { DocumentFormatNotSupportedError, printErrorDisposition } from '../../drivers/printers/printer-errors.ts'
import { isReady, blockingReasons, type PrinterStatus } from '../../drivers/printers/printer-status.ts'
import type { PrintJobRow, PrintJobStore } from '../../store/print-job-store.ts'
import type { PrinterRecord } from '../../store/printer-store.ts'
import type { PrintingConfig } from './printing-config.ts'
import { copiesAsAttribute, unitsOf } from './print-jobs.ts'

/** The claim was taken from this worker (lease expired and another server recovered the job). */
class ClaimLostError extends Error {}

/** How often progress is written while units stream (the last value is always written). */
const PROGRESS_EVERY_MS = 50

/**
 * Sends the jobs of one printer, one at a time, oldest first.
 * - claim: PrintJobStore.claim (atomic; a lease that is renewed while the job runs);
 * - before the first byte of an attempt: `sending_started` is recorded;
 * - unreachable: the job goes back to pending (reason printer-unreachable), the worker waits
 *   with exponential backoff; no other job of the printer overtakes it;
 * - the printer reports an error (paper out, head open …): the job is held (printer-stopped +
 *   the printer's reasons) with its resume point; the worker probes with backoff and releases
 *   it by itself once the printer is ready;
 * - the connection broke and a unit may have printed (uncertain): held job-sent-unconfirmed
 *   for a person — never resent by itself; not uncertain: retried from the confirmed unit;
 * - refused (format, permanent errors): aborted with a reason.
 */
export class PrinterWorker {
  private stopped = false
  private wakeUp: (() => void) | null = null
  private woken = false
  private failures = 0
  private retryAt = 0
  private current: { job: PrintJobRow; abort: AbortController } | null = null
  private loop: Promise<void> | null = null

  constructor(
    readonly printer: PrinterRecord,
    readonly driver: PrinterDriver,
    private readonly jobs: PrintJobStore,
    private readonly config: PrintingConfig,
    private readonly log: Logger,
    private readonly onStatus: (status: PrinterStatus) => void = () => {},
  ) {}

  private device: Promise<unknown> = Promise.resolve()
  private printing = false
  private probing: Promise<PrinterStatus> | null = null

  /** One thing at a time on the device: a probe or a job. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.device.then(fn, fn)
    this.device = run.catch(() => {})
    return run
  }

  /** The printer's status; while a job prints, 'processing' without touching the device. Concurrent callers share one probe. */
  probe(): Promise<PrinterStatus> {
    if (this.printing) return Promise.resolve({ state: 'processing', reasons: [], source: 'queue', details: [`printing job ${this.current?.job.id ?? ''}`] })
    return (this.probing ??= this.exclusive(() => this.driver.probe()).finally(() => {
      this.probing = null
    }))
  }

  start(): void {
    this.loop ??= this.run()
  }

  /** A job was queued (or released): look now instead of at the next poll. */
  wake(): void {
    this.woken = true
    this.wakeUp?.()
  }

  get busyWith(): number | null {
    return this.current?.job.id ?? null
  }

  /** Cancels the running job if it is `id` (the driver stops between units). */
  cancel(id: number): boolean {
    if (this.current?.job.id !== id) return false
    this.current.abort.abort(new Error('job-canceled-by-user'))
    return true
  }

  /**
   * Stops: no new claims; the job in flight gets `graceMs` to finish, then its driver is aborted
   * (the job ends held job-sent-unconfirmed or pending, per what was sent) and the lease released.
   */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true
    this.wakeUp?.()
    if (this.loop) {
      const timer = setTimeout(() => this.current?.abort.abort(new Error('server-stopping')), graceMs)
      await this.loop.catch(() => {})
      clearTimeout(timer)
    }
    await this.driver.close().catch(() => {})
  }

  /** Waits `ms`; a wake() (new job) ends a wakeable wait early, and one that came before it skips it. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (this.stopped || (wakeable && this.woken)) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer)
        this.wakeUp = null
        resolve()
      }
      const timer = setTimeout(finish, ms)
      this.wakeUp = () => {
        if (this.stopped || wakeable) finish()
      }
    })
  }

  private backoff(): number {
    this.failures++
    const ms = Math.min(this.config.retryMaxMs, this.config.retryMs * 2 ** Math.min(16, this.failures - 1))
    return Math.round(ms * (0.85 + Math.random() * 0.3))
  }

  private async run(): Promise<void> {
    const name = this.printer.name
    while (!this.stopped) {
      try {
        const waiting = await this.jobs.heldForPrinter(name)
        if (waiting.length > 0) {
          const status = await this.probe()
          this.onStatus(status)
          if (isReady(status)) {
            for (const id of waiting) await this.jobs.release(id)
            this.failures = 0
            this.log.info({ jobs: waiting }, 'printer ready again: held jobs resume')
            continue
          }
          await this.sleep(this.backoff(), false)
          continue
        }
        const wait = this.retryAt - Date.now()
        if (wait > 0) {
          await this.sleep(wait, false)
          continue
        }
        // Cleared before the claim: a job queued during the claim wakes the next wait.
        this.woken = false
        const job = await this.jobs.claim(name, this.config.instance, this.config.leaseMs)
        if (!job) {
          await this.sleep(this.config.pollMs, true)
          continue
        }
        await this.runJob(job)
      } catch (err) {
        this.log.error({ err }, 'print worker error')
        await this.sleep(this.config.retryMs, false)
      }
    }
  }

  private async runJob(job: PrintJobRow): Promise<void> {
    const { instance, leaseMs } = this.config
    const log = this.log.child({ jobId: job.id })
    const abort = new AbortController()
    this.current = { job, abort }
    let stored: Uint8Array[] | null
    try {
      const body = await this.jobs.payload(job.id)
      stored = body ? unitsOf(body.payload, body.unitLengths) : null
    } catch (err) {
      // Not read (database trouble): back to the queue now, not processing until the lease lapses.
      this.current = null
      await this.jobs.settle(job.id, instance, 'pending', { reasons: ['job-queued'] }).catch(() => false)
      throw err
    }
    if (!stored) {
      // Missing or damaged: it can never print. Ended now, so the printer's next job goes.
      this.current = null
      const ok = await this.jobs.settle(job.id, instance, 'aborted', {
        reasons: ['aborted-by-system', 'document-unprintable-error'],
        message: 'the document stored with this job is missing or damaged, so it cannot be printed; submit the job again',
      })
      log.error({ settled: ok }, 'print job aborted: its stored document is missing or damaged')
      return
    }
    const units = stored
    const startAt = job.sentUnits
    let sent = startAt
    let written = startAt
    let lost = false
    let lastWrite = 0
    let writing: Promise<void> = Promise.resolve()
    // Until when the lease surely holds (measured from before the write that set it). Past it,
    // another server may have recovered the job: nothing more may be sent.
    let leaseUntil = job.leaseUntil ?? Date.now() + leaseMs
    const leaseLapsed = () => Date.now() >= leaseUntil
    const persist = (): Promise<void> =>
      (writing = writing.then(async () => {
        const asked = Date.now()
        const r = await this.jobs.progress(job.id, instance, sent, written, leaseMs).catch((err: unknown) => {
          log.warn({ err }, 'progress not saved')
          return undefined
        })
        if (r === undefined) {
          if (leaseLapsed()) {
            lost = true
            abort.abort(new ClaimLostError('lease not renewed in time'))
          }
          return
        }
        leaseUntil = asked + leaseMs
        if (r === null) {
          lost = true
          abort.abort(new ClaimLostError('claim lost'))
        } else if (r.cancelRequested) abort.abort(new Error('job-canceled-by-user'))
      }))
    const renew = setInterval(() => void persist(), Math.max(50, Math.floor(leaseMs / 3)))
    const jobs = this.jobs
    let marked = false
    async function* stream(): AsyncGenerator<Uint8Array> {
      let index = 0
      for (let c = 0; c < job.copies; c++) {
        for (const unit of units) {
          if (index >= startAt && !marked) {
            // The marker crash recovery reads: from here on, bytes may reach the printer.
            const asked = Date.now()
            if (!(await jobs.markSending(job.id, instance, leaseMs))) throw new ClaimLostError('claim lost')
            leaseUntil = asked + leaseMs
            marked = true
          }
          if (index >= startAt && leaseLapsed()) throw new ClaimLostError('lease not renewed in time')
          index++
          yield unit
        }
      }
    }
    try {
      const ipp = copiesAsAttribute(this.printer)
      this.printing = true
      if (ipp) {
        // One IPP request carries the whole document: mark before it goes.
        const asked = Date.now()
        if (!(await jobs.markSending(job.id, instance, leaseMs))) throw new ClaimLostError('claim lost')
        leaseUntil = asked + leaseMs
        marked = true
      }
      const outcome = await this.exclusive(() => this.driver.print(
        { id: String(job.id), units: ipp ? units : stream(), startAt, copies: ipp ? job.copies : 1, documentFormat: job.contentType },
        {
          signal: abort.signal,
          onProgress: (n) => {
            sent = n
            written = Math.max(written, n)
            const now = Date.now()
            if (now - lastWrite >= PROGRESS_EVERY_MS) {
              lastWrite = now
              void persist()
            }
          },
        },
      ))
      clearInterval(renew)
      await writing
      this.failures = 0
      if (outcome.status) this.onStatus(outcome.status)
      const ok = await this.jobs.settle(job.id, instance, 'completed', {
        reasons: ['job-completed-successfully'],
        message: outcome.confirmed ? null : 'sent; this printer cannot confirm that it printed',
        sentUnits: job.totalUnits,
        writtenUnits: job.totalUnits,
        confirmed: outcome.confirmed,
      })
      log.info({ units: outcome.sentUnits - startAt, ms: Math.round(outcome.ms), confirmed: outcome.confirmed, settled: ok }, 'print job completed')
    } catch (err) {
      clearInterval(renew)
      await writing
      if (lost || err instanceof ClaimLostError || abort.signal.reason instanceof ClaimLostError) {
        log.warn('claim lost while printing: another server recovered this job')
        return
      }
      await this.settleFailure(job, err, abort.signal, log)
    } finally {
      clearInterval(renew)
      this.printing = false
      this.current = null
    }
  }

  private async settleFailure(job: PrintJobRow, err: unknown, signal: AbortSignal, log: Logger): Promise<void> {
    const { instance } = this.config
    const d = (err as { details?: { nextUnit?: number; writtenUnits?: number; uncertain?: boolean } }).details ?? {}
    const next = d.nextUnit ?? job.sentUnits
    const writtenUnits = Math.max(d.writtenUnits ?? next, next)
    const action = printErrorDisposition(err)
    const stopping = signal.aborted && (signal.reason as Error | undefined)?.message === 'server-stopping'
    if (action.action === 'abort' && action.canceled && stopping) {
      // Our own shutdown: what went out is uncertain only when the driver says so.
      const uncertain = d.uncertain === true || writtenUnits > next
      await this.jobs.settle(job.id, instance, uncertain ? 'held' : 'pending', {
        reasons: uncertain ? ['job-sent-unconfirmed'] : ['job-queued'],
        message: uncertain ? `the server stopped while sending; units ${next + 1}–${writtenUnits} may have printed` : null,
        sentUnits: next,
        writtenUnits,
      })
      log.info({ nextUnit: next, uncertain }, 'print job interrupted by shutdown')
      return
    }
    switch (action.action) {
      case 'retry': {
        const ms = this.backoff()
        this.retryAt = Date.now() + ms
        await this.jobs.settle(job.id, instance, 'pending', { reasons: ['printer-unreachable', 'offline-report'], message: action.reason, sentUnits: action.resumeAt, writtenUnits: action.resumeAt })
        this.onStatus({ state: 'offline', reasons: ['offline-report'], details: [action.reason], source: 'print' })
        log.warn({ retryInMs: ms, nextUnit: action.resumeAt, err }, 'printer unreachable: job waits')
        return
      }
      case 'hold-until-ready':
        await this.jobs.settle(job.id, instance, 'held', {
          reasons: ['printer-stopped', ...action.reasons.filter((r) => r !== 'printer-stopped')],
          message: action.reason,
          sentUnits: action.resumeAt,
          writtenUnits: action.resumeAt,
        })
        this.onStatus({ state: 'stopped', reasons: action.reasons, source: 'print' })
        log.warn({ reasons: action.reasons, nextUnit: action.resumeAt }, 'printer stopped: job held until it is ready')
        return
      case 'hold-for-operator':
        await this.jobs.settle(job.id, instance, 'held', {
          reasons: ['job-sent-unconfirmed'],
          message: `${action.reason} — units ${action.resumeAt + 1}–${action.uncertainUpTo} may have printed: release to resume from unit ${action.resumeAt + 1}, or cancel`,
          sentUnits: action.resumeAt,
          writtenUnits: action.uncertainUpTo,
        })
        log.warn({ nextUnit: action.resumeAt, uncertainUpTo: action.uncertainUpTo }, 'connection lost mid-job: held for an operator')
        return
      case 'abort': {
        if (action.canceled) {
          await this.jobs.settle(job.id, instance, 'canceled', { reasons: ['job-canceled-by-user'], message: action.reason, sentUnits: next, writtenUnits })
          log.info({ nextUnit: next }, 'print job canceled')
          return
        }
        const reason = err instanceof DocumentFormatNotSupportedError || /FORMAT/.test(String((err as { code?: string }).code)) ? 'document-format-error' : 'aborted-by-system'
        await this.jobs.settle(job.id, instance, 'aborted', { reasons: [reason], message: action.reason, sentUnits: next, writtenUnits })
        log.error({ err, reason }, 'print job aborted')
        return
      }
    }
  }
}

export { blockingReasons }
