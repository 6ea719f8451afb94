import type { Logger } from 'pino'
import type { Transport } from '../transports/transport.ts'
import { TransportError } from '../transports/transport-errors.ts'
import type { PrinterDriver, PrinterLanguage, PrintJob, PrintOptions, PrintOutcome } from './printer-driver.ts'
import {
  PrintCanceledError,
  PrinterBusyError,
  PrinterNotReadyError,
  PrinterUnreachableError,
  PrintInterruptedError,
  type PrintProgress,
} from './printer-errors.ts'
import { isReady, type PrinterStatus } from './printer-status.ts'

export interface RawPrinterDriverOptions {
  /** Wait for one status answer. Default 2000 ms. */
  statusTimeoutMs?: number
  /**
   * When to confirm reception with a status round trip (drivers that have one):
   * 'each' unit (exact resume point, one round trip per unit — default) or only at the 'end'.
   */
  confirm?: 'each' | 'end'
  /**
   * Drivers with a status channel: how long a connection is kept after a job whose every unit was
   * confirmed, for the printer's next job (no connect, no second status check: the last
   * confirmation is the check between the two). 0: a connection per job. Default 250 ms.
   */
  keepAliveMs?: number
}

/** How long a confirmed job's connection waits for the next job (see RawPrinterDriverOptions.keepAliveMs). */
export const KEEP_ALIVE_MS = 250

export const OFFLINE_REASON = 'offline-report'

/**
 * What ZPL, EPL and ESC/POS drivers share: per-job connection, a status check before sending,
 * units written in order with progress, errors that say what reached the device.
 */
export abstract class RawPrinterDriver implements PrinterDriver {
  abstract readonly language: PrinterLanguage
  protected readonly statusTimeoutMs: number
  protected readonly confirmMode: 'each' | 'end'
  private readonly keepAliveMs: number
  private busy = false
  /** The connection kept after the last job, and when its last status answer (ready) came. */
  private kept: { at: number; idle: NodeJS.Timeout } | null = null

  constructor(
    readonly name: string,
    protected readonly transport: Transport,
    protected readonly log: Logger,
    opts: RawPrinterDriverOptions = {},
  ) {
    this.statusTimeoutMs = opts.statusTimeoutMs ?? 2_000
    this.confirmMode = opts.confirm ?? 'each'
    this.keepAliveMs = opts.keepAliveMs ?? KEEP_ALIVE_MS
  }

  /** Connections opened for jobs and probes (a kept connection's next job opens none). */
  opened = 0

  /** Takes the kept connection for this job when it is still fresh and the device kept its side; false: open a new one. */
  private async takeKept(): Promise<boolean> {
    const kept = this.kept
    if (!kept) return false
    clearTimeout(kept.idle)
    this.kept = null
    if (performance.now() - kept.at <= this.keepAliveMs && this.transport.reusable === true) return true
    await this.transport.close({ peerTimeoutMs: this.statusTimeoutMs }).catch(() => {})
    return false
  }

  /** Keeps the connection of a job that ended confirmed and ready, for keepAliveMs. */
  private keep(): void {
    const idle = setTimeout(() => {
      if (this.kept?.idle !== idle) return
      this.kept = null
      void this.transport.close({ peerTimeoutMs: this.statusTimeoutMs }).catch(() => {})
    }, this.keepAliveMs)
    idle.unref()
    this.kept = { at: performance.now(), idle }
  }

  /** Ends a kept connection now (a probe, close()). */
  private async dropKept(): Promise<void> {
    if (!this.kept) return
    clearTimeout(this.kept.idle)
    this.kept = null
    await this.transport.close({ peerTimeoutMs: this.statusTimeoutMs }).catch(() => {})
  }

  get uri(): string {
    return this.transport.uri
  }

  /** Whether this driver can read status at all (bidirectional transport and a status command). */
  protected get hasStatus(): boolean {
    return this.transport.bidirectional
  }

  /**
   * Reads status over the open transport. May reconnect (ZPL: a fresh connection before
   * declaring offline). Returns state 'offline' when the device does not answer.
   */
  protected abstract queryStatus(signal?: AbortSignal, purpose?: 'probe' | 'job'): Promise<PrinterStatus>

  async probe(signal?: AbortSignal): Promise<PrinterStatus> {
    if (this.busy) return { state: 'processing', reasons: [], source: 'none', details: ['printing a job'] }
    await this.dropKept()
    try {
      this.opened++
      await this.transport.open(signal)
    } catch (err) {
      signal?.throwIfAborted()
      this.log.debug({ err }, 'probe: cannot connect')
      return offlineStatus('connect', (err as Error).message)
    }
    try {
      if (!this.hasStatus) return { state: 'idle', reasons: [], source: this.transport.bidirectional ? 'connect' : 'none' }
      return await this.queryStatus(signal)
    } catch (err) {
      signal?.throwIfAborted()
      if (!(err instanceof TransportError)) throw err
      return offlineStatus('query', err.message)
    } finally {
      // A probe leaves nothing behind (file: no empty job file).
      await (this.transport.discard?.() ?? this.transport.close()).catch(() => {})
    }
  }

  async print(job: PrintJob, opts: PrintOptions = {}): Promise<PrintOutcome> {
    if (this.busy) throw new PrinterBusyError(this.name)
    this.busy = true
    try {
      return await this.run(job, opts)
    } finally {
      this.busy = false
    }
  }

  private async run(job: PrintJob, opts: PrintOptions): Promise<PrintOutcome> {
    const { signal, onProgress } = opts
    const startAt = job.startAt ?? 0
    const started = performance.now()
    const log = this.log.child({ jobId: job.id })
    const p: PrintProgress = { jobId: job.id, printer: this.name, nextUnit: startAt, writtenUnits: startAt, uncertain: false }
    let bytes = 0
    let lastStatus: PrinterStatus | undefined
    const canceled = (cause?: unknown) => new PrintCanceledError({ ...p }, cause)

    if (signal?.aborted) {
      await this.dropKept()
      throw canceled(signal.reason)
    }
    const reused = await this.takeKept()
    if (!reused) {
      try {
        this.opened++
        await this.transport.open(signal)
      } catch (err) {
        if (signal?.aborted) throw canceled(signal.reason)
        throw new PrinterUnreachableError({ ...p }, `printer ${this.name} unreachable: ${(err as Error).message}`, err)
      }
    }

    let ok = false
    let keepIt = false
    try {
      // A kept connection: the last job's final status answer (ready, moments ago) is the check.
      if (this.hasStatus && !reused) {
        let status: PrinterStatus
        try {
          status = await this.queryStatus(signal, 'job')
        } catch (err) {
          if (signal?.aborted) throw canceled(signal.reason)
          throw new PrinterUnreachableError({ ...p }, `printer ${this.name} does not answer: ${(err as Error).message}`, err)
        }
        if (status.state === 'offline') throw new PrinterUnreachableError({ ...p }, `printer ${this.name} is offline: ${status.details?.join('; ') ?? ''}`)
        if (!isReady(status)) throw new PrinterNotReadyError({ ...p }, status)
      }

      const confirmEach = this.hasStatus && this.confirmMode === 'each'
      let index = 0
      for await (const unit of expand(job.units, job.copies ?? 1)) {
        if (index++ < startAt) continue
        if (signal?.aborted) throw canceled(signal.reason)
        try {
          p.uncertain = true
          await this.transport.write(unit, signal)
          bytes += unit.length
          p.writtenUnits++
          if (confirmEach) lastStatus = await this.confirm(signal)
        } catch (err) {
          if (signal?.aborted) throw canceled(signal.reason)
          throw this.interrupted(p, err)
        }
        if (confirmEach) {
          p.nextUnit = p.writtenUnits
          p.uncertain = false
          onProgress?.(p.nextUnit)
        }
        // No status channel: units handed to the OS stay unconfirmed (nextUnit keeps its
        // value) until the printer closed the connection cleanly after taking every byte.
        if (confirmEach && lastStatus && !isReady(lastStatus) && !(lastStatus.state === 'offline')) {
          // Stop feeding a stopped printer; what it has waits in its buffer.
          log.warn({ reasons: lastStatus.reasons, nextUnit: p.nextUnit }, 'printer stopped mid-job')
          ok = true
          throw new PrinterNotReadyError({ ...p }, lastStatus)
        }
      }
      if (this.hasStatus && !confirmEach) {
        try {
          lastStatus = await this.confirm(signal)
        } catch (err) {
          if (signal?.aborted) throw canceled(signal.reason)
          throw this.interrupted(p, err)
        }
        p.nextUnit = p.writtenUnits
        p.uncertain = false
        onProgress?.(p.nextUnit)
      }
      ok = true
      keepIt = this.keepAliveMs > 0 && this.hasStatus && p.nextUnit === p.writtenUnits && lastStatus !== undefined && isReady(lastStatus) && !signal?.aborted
    } finally {
      if (keepIt) {
        this.keep()
      } else if (ok || !signal?.aborted) {
        // Everything confirmed by a status round trip: the device's own close proves nothing more.
        const confirmedAll = this.hasStatus && p.nextUnit === p.writtenUnits
        await this.transport.close(confirmedAll ? { peerTimeoutMs: this.statusTimeoutMs } : {}).catch((err) => {
          // A reset before the clean close: what was not confirmed may not have arrived.
          if (ok && p.nextUnit < p.writtenUnits) throw this.interrupted(p, err)
        })
        if (ok && !this.hasStatus) {
          p.nextUnit = p.writtenUnits
          p.uncertain = false
          onProgress?.(p.nextUnit)
        }
      } else {
        await (this.transport.discard?.() ?? this.transport.close()).catch(() => {})
      }
    }
    const ms = performance.now() - started
    log.info({ units: p.nextUnit - startAt, bytes, ms: Math.round(ms), confirmed: this.hasStatus }, 'print job sent')
    return { jobId: job.id, sentUnits: p.nextUnit, confirmed: this.hasStatus, status: lastStatus, bytes, ms }
  }

  /**
   * A status round trip after a write: proves the device received everything before it.
   * Throws a TransportError when the device does not answer.
   */
  protected abstract confirm(signal?: AbortSignal): Promise<PrinterStatus>

  private interrupted(p: PrintProgress, err: unknown): PrintInterruptedError {
    const what = p.uncertain ? `unit ${p.nextUnit} may have reached the printer` : 'nothing unconfirmed was written'
    this.log.warn({ err, ...p }, 'print interrupted')
    return new PrintInterruptedError(
      { ...p },
      `print job ${p.jobId} interrupted on ${this.name} after ${p.nextUnit} confirmed unit(s); ${what}: ${(err as Error).message}`,
      err,
    )
  }

  async close(): Promise<void> {
    await this.dropKept()
    await this.transport.close()
  }
}

export function offlineStatus(source: string, detail: string): PrinterStatus {
  return { state: 'offline', reasons: [OFFLINE_REASON], details: [detail], source }
}

async function* expand(
  units: Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
  copies: number,
): AsyncGenerator<Uint8Array> {
  if (copies <= 1) {
    yield* units
    return
  }
  const all: Uint8Array[] = []
  for await (const u of units) all.push(u)
  for (let c = 0; c < copies; c++) yield* all
}

/**
 * A raw printer without a status channel (EPL over TCP, PDF to a 9100 port or a folder): probe
 * is a connection check, progress counts units handed to the OS, outcomes say `confirmed: false`.
 */
export abstract class StatuslessRawPrinter extends RawPrinterDriver {
  protected override get hasStatus(): boolean {
    return false
  }

  protected async queryStatus(): Promise<PrinterStatus> {
    return { state: 'idle', reasons: [], source: 'connect' }
  }

  protected async confirm(): Promise<PrinterStatus> {
    return { state: 'idle', reasons: [], source: 'none' }
  }
}
