import type { Logger } from 'pino'
import type { PrinterDriver } from '../../drivers/printers/printer-driver.ts'
import { DocumentFormatNotSupportedError, printErrorDisposition } from '../../drivers/printers/printer-errors.ts'
import { isReady, blockingReasons, type PrinterStatus } from '../../drivers/printers/printer-status.ts'
import { unconfirmedMessage } from '../../domain/print-job.ts'
import type { PrintJobRow, PrintJobStore } from '../../store/print-job-store.ts'
import type { PrinterRecord } from '../../store/printer-store.ts'
import type { PrintingConfig } from './printing-config.ts'
import { copiesAsAttribute, unitsOf } from './print-jobs.ts'

/** The claim was taken from this worker (lease expired and another server recovered the job). */
class ClaimLostError extends Error {}

/** How often confirmed progress is written while units stream (the end of an attempt always writes). */
const PROGRESS_EVERY_MS = 50
/** Units reserved ahead by one write-ahead record (raw printers); an IPP document is reserved alone. */
const WRITE_AHEAD_UNITS = 16

/** The last status seen of a printer and when. */
export interface ObservedStatus {
  status: PrinterStatus
  at: number
}

/**
 * Sends the jobs of one printer, one at a time, oldest first.
 * - claim: PrintJobStore.claim (atomic; a lease that is renewed while the job runs);
 * - write-ahead: before units go out, the store records that they may reach the printer
 *   (`written_units`), so a crash at any moment leaves exact bounds: confirmed ≤ printed ≤ written;
 * - unreachable: the job goes back to pending (reason printer-unreachable) and is not claimed
 *   again until a probe finds the printer ready (backoff between probes); no other job of the
 *   printer overtakes it;
 * - the printer reports an error (paper out, head open …): the job is held (printer-stopped +
 *   the printer's reasons) with its resume point; while the printer answers, it is probed every
 *   `retryMs` and the held jobs resume as soon as any probe (also one asked for by a status
 *   request) finds it ready;
 * - the connection broke and a unit may have printed (uncertain): held job-sent-unconfirmed
 *   for a person — never resent by itself; not uncertain: retried from the confirmed unit;
 * - refused (format, permanent errors): aborted with a reason;
 * - a database write that fails is retried; a database error never rewrites what the printer
 *   confirmed.
 */
export class PrinterWorker {
  private stopped = false
  /** Stop between units: the unit in flight finishes its confirmation, then the job goes back to the queue. */
  private stopping = false
  private wakeUp: ((why: 'job' | 'ready' | 'stop') => void) | null = null
  private woken = false
  private failures = 0
  /** Set when a job found the printer unreachable: no claim until a probe finds it ready. */
  private unreachable = false
  private current: { job: PrintJobRow; abort: AbortController; canceling: boolean } | null = null
  private loop: Promise<void> | null = null
  private prober: NodeJS.Timeout | null = null
  /**
   * When the printer's held jobs (printer-stopped) were last looked for and none found (0: look
   * now). This worker holds such jobs itself (it then looks again at once); jobs held by an earlier
   * owner are found at start and at least every pollMs — not once per label.
   */
  private noHeldSince = 0
  /**
   * What the claim made with the last completion found (SQLite: one transaction, see
   * PrintJobStore.settleCompletedAndClaim): the next job, already claimed by this worker, or
   * null when there was none. Undefined: no claim was made with it. It is taken at the top of
   * the next loop turn, with no await between (a stop can't come in between; were it to, the
   * job's lease would lapse and recovery would put it back, nothing having been sent).
   */
  private claimedWithCompletion: PrintJobRow | null | undefined = undefined
  private last: ObservedStatus | null = null

  constructor(
    public printer: PrinterRecord,
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

  /** The last status seen (a probe, or what a job met), or null before the first one. */
  get lastStatus(): ObservedStatus | null {
    return this.last
  }

  private observe(status: PrinterStatus): void {
    // Ready after not being ready: jobs held for its error (by this worker or an earlier owner) are looked for now.
    if (isReady(status) && this.last && !isReady(this.last.status)) this.noHeldSince = 0
    this.last = { status, at: Date.now() }
    this.onStatus(status)
    // Ready again: a wait for the printer (held jobs, unreachable) ends now.
    if (isReady(status) && status.source !== 'queue') this.wakeUp?.('ready')
  }

  /** The printer's status; while a job prints, 'processing' without touching the device. Concurrent callers share one probe. */
  probe(): Promise<PrinterStatus> {
    if (this.printing) return Promise.resolve({ state: 'processing', reasons: [], source: 'queue', details: [`printing job ${this.current?.job.id ?? ''}`] })
    return (this.probing ??= this.exclusive(() => this.driver.probe())
      .then(
        (status) => (this.observe(status), status),
        (err: unknown): PrinterStatus => {
          const status: PrinterStatus = { state: 'offline', reasons: ['offline-report'], details: [(err as Error).message], source: 'probe' }
          this.observe(status)
          return status
        },
      )
      .finally(() => {
        this.probing = null
      }))
  }

  /** Starts a probe in the background unless one runs (a status request asks for a fresh look without waiting for it). */
  refreshStatus(): void {
    if (!this.stopped) void this.probe()
  }

  start(): void {
    this.loop ??= this.run()
    this.refreshStatus()
    this.prober ??= setInterval(() => {
      if (!this.printing) this.refreshStatus()
    }, this.config.statusProbeMs)
    this.prober.unref()
  }

  /** A job was queued (or released): look now instead of at the next poll. */
  wake(): void {
    this.woken = true
    this.wakeUp?.('job')
  }

  get busyWith(): number | null {
    return this.current?.job.id ?? null
  }

  /**
   * Cancels the running job if it is `id`: it stops between units (the unit in flight finishes
   * its confirmation, so what printed is exact); a printer that doesn't take that unit within
   * `graceMs` is cut off.
   */
  cancel(id: number, graceMs = 5_000): boolean {
    const current = this.current
    if (current?.job.id !== id) return false
    current.canceling = true
    // An IPP document is one unit the printer works on: canceled there at once (Cancel-Job).
    setTimeout(() => {
      if (this.current === current) current.abort.abort(new Error('job-canceled-by-user'))
    }, copiesAsAttribute(this.printer) ? 0 : graceMs).unref()
    return true
  }

  /**
   * Stops: no new claims; the job in flight stops after the unit in flight is confirmed and goes
   * back to the queue at the next unit. Past `graceMs` its driver is aborted (the job ends held
   * job-sent-unconfirmed or pending, per what was sent).
   */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true
    this.stopping = true
    if (this.prober) clearInterval(this.prober)
    this.wakeUp?.('stop')
    if (this.loop) {
      const timer = setTimeout(() => this.current?.abort.abort(new Error('server-stopping')), graceMs)
      await this.loop.catch(() => {})
      clearTimeout(timer)
    }
    await this.driver.close().catch(() => {})
  }

  /** Waits `ms`; wake() ends a wakeable wait early (and one that came before it skips it); a ready status ends any wait. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (this.stopped || (wakeable && this.woken)) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const finish = () => {
        clearTimeout(timer)
        this.wakeUp = null
        resolve()
      }
      const timer = setTimeout(finish, ms)
      this.wakeUp = (why) => {
        if (why !== 'job' || wakeable) finish()
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
        const claimed = this.claimedWithCompletion
        this.claimedWithCompletion = undefined
        if (claimed) {
          await this.runJob(claimed)
          continue
        }
        if (claimed === null) {
          // That claim found none: wait as after an empty claim (a job queued since it woke us).
          await this.sleep(this.config.pollMs, true)
          continue
        }
        const look = Date.now() - this.noHeldSince >= this.config.pollMs
        const waiting = look ? await this.jobs.heldForPrinter(name) : []
        if (look) this.noHeldSince = waiting.length === 0 ? Date.now() : 0
        if (waiting.length > 0 || this.unreachable) {
          const status = await this.probe()
          if (isReady(status)) {
            for (const id of waiting) await this.jobs.release(id)
            this.failures = 0
            this.unreachable = false
            if (waiting.length) this.log.info({ jobs: waiting }, 'printer ready again: held jobs resume')
            continue
          }
          // Reachable again though stopped: a job may be claimed (and held for the printer's reason).
          if (status.state !== 'offline' && this.unreachable) {
            this.unreachable = false
            if (waiting.length === 0) continue
          }
          // A printer that answers (paper out, head open) is looked at every retryMs; one that
          // doesn't, with backoff. Either way a ready status seen elsewhere ends the wait.
          await this.sleep(status.state === 'offline' ? this.backoff() : this.config.retryMs, false)
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

  /**
   * A database write that must happen: retried (50 ms doubling to 1 s) until it answers or
   * `giveUp()` says it is too late. Returns what the write returned.
   */
  private async persistently<T>(what: string, write: () => Promise<T>, giveUp: () => boolean, log: Logger): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write()
      } catch (err) {
        if (giveUp()) throw err
        log.warn({ err, attempt }, `${what} not saved: retrying`)
        await new Promise((r) => setTimeout(r, Math.min(1_000, 50 * 2 ** attempt)))
      }
    }
  }

  private async runJob(job: PrintJobRow): Promise<void> {
    const { instance, leaseMs } = this.config
    const log = this.log.child({ jobId: job.id })
    const abort = new AbortController()
    const current = { job, abort, canceling: false }
    this.current = current
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
        const r = await this.jobs.progress(job.id, instance, sent, sent, leaseMs).catch((err: unknown) => {
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
        } else if (r.cancelRequested && !current.canceling) this.cancel(job.id)
      }))
    const renew = setInterval(() => void persist(), Math.max(50, Math.floor(leaseMs / 3)))
    const ipp = copiesAsAttribute(this.printer)
    const window = ipp ? 1 : WRITE_AHEAD_UNITS
    let reserved = job.sentUnits
    const reserve = async (upTo: number) => {
      const asked = Date.now()
      // A database that stays down until the lease lapsed: nothing more may go out, and the job
      // is left to recovery (held from its write-ahead record), never aborted for it.
      const ok = await this.persistently('write-ahead', () => this.jobs.markSending(job.id, instance, leaseMs, upTo), leaseLapsed, log).catch((err: unknown) => {
        throw new ClaimLostError(`write-ahead not saved before the lease lapsed: ${(err as Error).message}`)
      })
      if (!ok) throw new ClaimLostError('claim lost')
      leaseUntil = asked + leaseMs
      reserved = upTo
    }
    const total = job.totalUnits
    const stopping = () => this.stopping || current.canceling
    async function* stream(): AsyncGenerator<Uint8Array> {
      let index = 0
      for (let c = 0; c < (ipp ? 1 : job.copies); c++) {
        for (const unit of units) {
          if (index >= startAt) {
            // Between units: a stopping server lets the units before this one finish, sends no more.
            if (stopping()) return
            // Write-ahead: the record that this unit may reach the printer comes before its bytes.
            if (index + 1 > reserved) await reserve(Math.min(total, index + window))
            if (leaseLapsed()) throw new ClaimLostError('lease not renewed in time')
          }
          index++
          yield unit
        }
      }
    }
    let outcome
    try {
      this.printing = true
      outcome = await this.exclusive(() => this.driver.print(
        { id: String(job.id), units: stream(), startAt, copies: ipp ? job.copies : 1, documentFormat: job.contentType },
        {
          signal: abort.signal,
          onProgress: (n) => {
            sent = n
            const now = Date.now()
            // The last label is recorded by the completion itself (one write, not two).
            if (n < total && now - lastWrite >= PROGRESS_EVERY_MS) {
              lastWrite = now
              void persist()
            }
          },
        },
      ))
    } catch (err) {
      clearInterval(renew)
      await writing
      this.printing = false
      this.current = null
      if (lost || err instanceof ClaimLostError || abort.signal.reason instanceof ClaimLostError) {
        log.warn('claim lost while printing: another server recovered this job')
        return
      }
      await this.settleFailure(job, err, abort.signal, log)
      return
    } finally {
      clearInterval(renew)
      this.printing = false
    }
    await writing
    this.current = null
    this.failures = 0
    if (outcome.status) this.observe(outcome.status)
    const done = outcome.sentUnits >= total
    const completion = {
      reasons: ['job-completed-successfully'],
      message: outcome.confirmed ? null : 'sent; this printer cannot confirm that it printed',
      sentUnits: total,
      writtenUnits: total,
      confirmed: outcome.confirmed,
    }
    // The loop would claim next at once (nothing held is due a look, the printer answered, no
    // stop): completion and that claim in one commit where the database can (SQLite).
    if (done && !this.stopped && !this.unreachable && Date.now() - this.noHeldSince < this.config.pollMs) {
      // Cleared before the claim, as the loop does: a job queued after it wakes the next wait.
      this.woken = false
      let together: ReturnType<PrintJobStore['settleCompletedAndClaim']>
      try {
        together = this.jobs.settleCompletedAndClaim(job.id, instance, completion, this.printer.name, leaseMs)
      } catch (err) {
        // Nothing was written: the completion is written the ordinary way below.
        log.warn({ err }, 'completion with the next claim failed; writing the completion alone')
      }
      if (together) {
        this.claimedWithCompletion = together.next
        log.info({ units: outcome.sentUnits - startAt, ms: Math.round(outcome.ms), confirmed: outcome.confirmed, settled: together.settled }, 'print job completed')
        return
      }
    }
    // What the printer confirmed is written whatever the database does meanwhile; past the
    // lease another server may have recovered the job (it then reads our write-ahead record).
    const ok = await this.persistently(
      'completion',
      () =>
        done
          ? this.jobs.settle(job.id, instance, 'completed', completion)
          : current.canceling
            ? this.jobs.settle(job.id, instance, 'canceled', { reasons: ['job-canceled-by-user'], sentUnits: outcome.sentUnits, writtenUnits: outcome.sentUnits })
            : this.jobs.settle(job.id, instance, 'pending', { reasons: ['job-queued'], sentUnits: outcome.sentUnits, writtenUnits: outcome.sentUnits }),
      () => Date.now() >= leaseUntil + leaseMs,
      log,
    ).catch((err: unknown) => {
      log.error({ err }, 'print job outcome not saved: the job is recovered from its write-ahead record when its lease lapses')
      return false
    })
    if (done) log.info({ units: outcome.sentUnits - startAt, ms: Math.round(outcome.ms), confirmed: outcome.confirmed, settled: ok }, 'print job completed')
    else if (current.canceling) log.info({ nextUnit: outcome.sentUnits, settled: ok }, 'print job canceled between units')
    else log.info({ nextUnit: outcome.sentUnits, settled: ok }, 'print job paused between units: back in the queue')
  }

  private async settleFailure(job: PrintJobRow, err: unknown, signal: AbortSignal, log: Logger): Promise<void> {
    const { instance, leaseMs } = this.config
    const giveUp = (() => {
      const until = Date.now() + leaseMs
      return () => Date.now() >= until
    })()
    const settle = (state: Parameters<PrintJobStore['settle']>[2], change: Parameters<PrintJobStore['settle']>[3]) =>
      this.persistently('job state', () => this.jobs.settle(job.id, instance, state, change), giveUp, log).catch((e: unknown) => {
        log.error({ err: e }, 'job state not saved: the job is recovered from its write-ahead record when its lease lapses')
        return false
      })
    const d = (err as { details?: { nextUnit?: number; writtenUnits?: number; uncertain?: boolean } }).details ?? {}
    const next = d.nextUnit ?? job.sentUnits
    const writtenUnits = Math.max(d.writtenUnits ?? next, next)
    const action = printErrorDisposition(err)
    const progress = (confirmed: number, uncertainUpTo: number) => ({ total: job.totalUnits, confirmed, uncertainUpTo })
    const stopping = signal.aborted && (signal.reason as Error | undefined)?.message === 'server-stopping'
    if (action.action === 'abort' && action.canceled && stopping) {
      // Our own shutdown: what went out is uncertain only when the driver says so.
      const uncertain = d.uncertain === true || writtenUnits > next
      await settle(uncertain ? 'held' : 'pending', {
        reasons: uncertain ? ['job-sent-unconfirmed'] : ['job-queued'],
        message: uncertain ? unconfirmedMessage('the server stopped while sending', progress(next, Math.max(writtenUnits, next + 1))) : null,
        sentUnits: next,
        writtenUnits: uncertain ? Math.max(writtenUnits, next + 1) : next,
      })
      log.info({ nextUnit: next, uncertain }, 'print job interrupted by shutdown')
      return
    }
    switch (action.action) {
      case 'retry': {
        this.unreachable = true
        await settle('pending', { reasons: ['printer-unreachable', 'offline-report'], message: action.reason, sentUnits: action.resumeAt, writtenUnits: action.resumeAt })
        this.observe({ state: 'offline', reasons: ['offline-report'], details: [action.reason], source: 'print' })
        log.warn({ nextUnit: action.resumeAt, err }, 'printer unreachable: job waits until a probe finds it ready')
        return
      }
      case 'hold-until-ready':
        this.noHeldSince = 0
        await settle('held', {
          reasons: ['printer-stopped', ...action.reasons.filter((r) => r !== 'printer-stopped')],
          message: action.reason,
          sentUnits: action.resumeAt,
          writtenUnits: action.resumeAt,
        })
        this.observe({ state: 'stopped', reasons: action.reasons, source: 'print' })
        log.warn({ reasons: action.reasons, nextUnit: action.resumeAt }, 'printer stopped: job held until it is ready')
        return
      case 'hold-for-operator':
        await settle('held', {
          reasons: ['job-sent-unconfirmed'],
          message: unconfirmedMessage(action.reason, progress(action.resumeAt, action.uncertainUpTo)),
          sentUnits: action.resumeAt,
          writtenUnits: action.uncertainUpTo,
        })
        log.warn({ nextUnit: action.resumeAt, uncertainUpTo: action.uncertainUpTo }, 'connection lost mid-job: held for an operator')
        return
      case 'abort': {
        if (action.canceled) {
          await settle('canceled', { reasons: ['job-canceled-by-user'], message: action.reason, sentUnits: next, writtenUnits })
          log.info({ nextUnit: next }, 'print job canceled')
          return
        }
        const reason = err instanceof DocumentFormatNotSupportedError || /FORMAT/.test(String((err as { code?: string }).code)) ? 'document-format-error' : 'aborted-by-system'
        await settle('aborted', { reasons: [reason], message: action.reason, sentUnits: next, writtenUnits })
        log.error({ err, reason }, 'print job aborted')
        return
      }
    }
  }
}

export { blockingReasons }
