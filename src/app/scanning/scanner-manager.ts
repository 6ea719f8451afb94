import type { Readable } from 'node:stream'
import type { Logger } from 'pino'
import { AppError } from '../../domain/errors.ts'
import { ScannerHub, type ScannerHubOptions } from '../../drivers/scanners/scanner-hub.ts'
import { parseScannerUri } from '../../drivers/scanners/scanner-uri.ts'
import type { RejectedScanEvent, ScanEvent, ScannerState } from '../../drivers/scanners/scanner.ts'
import type { ScannerRow } from '../../store/station-store.ts'
import type { ScannerStateView } from './scan-result.ts'

/** A simulated scanner's controls (hw-sim's `InProcessScannerSim` has them). */
export interface SimScannerControl {
  readonly connected: boolean
  readonly plugged: boolean
  scan(text: string, format?: { aimId?: string; prefix?: string; suffix?: string; terminator?: string }, chunkSizes?: number[]): boolean
  doubleRead(text: string): boolean
  garbage(length?: number): boolean
  unplug(): void
  replug(): void
}

/** In-process simulated scanners by name (hw-sim's `SimScannerRegistry` is one). */
export interface SimScanners {
  connect(name: string): Readable | null
  create(name: string): SimScannerControl
  get(name: string): SimScannerControl | undefined
}

export interface ScannerManagerOptions extends Omit<ScannerHubOptions, 'sim' | 'log'> {
  log: Logger
  sim?: SimScanners
  /** Delay before opening a scanner again whose open threw (default 5 s). */
  retryMs?: number
  onScan(event: ScanEvent): void
  onRejected(event: RejectedScanEvent): void
  onState(scanner: string, station: string | undefined, state: ScannerStateView): void
}

export function stateView(state: ScannerState): ScannerStateView {
  return {
    connected: state.connected,
    lastScanAt: state.lastScanAt === null ? null : new Date(state.lastScanAt).toISOString(),
    lastError: state.lastError && { code: state.lastError.code, message: state.lastError.message, at: new Date(state.lastError.at).toISOString() },
    reconnects: state.reconnects,
  }
}

/**
 * The scanners the database lists, opened through one `ScannerHub`. A scanner that can't be
 * opened at all (its driver throws) is kept with its error and tried again every `retryMs`; one
 * that is merely unplugged is retried by its driver. Nothing here is fatal to the server.
 */
export class ScannerManager {
  readonly hub: ScannerHub
  private readonly failures = new Map<string, { row: ScannerRow; error: { code: string; message: string; at: number }; timer: ReturnType<typeof setTimeout> | null }>()
  private readonly log: Logger
  private stopped = false
  /** Bumped by every close(): a sync that read the database before a close must not reopen. */
  private closes = 0

  constructor(private readonly options: ScannerManagerOptions) {
    this.log = options.log
    const { onScan: _s, onRejected: _r, onState: _st, retryMs: _rm, sim, ...hubOptions } = options
    this.hub = new ScannerHub({ ...hubOptions, log: options.log, ...(sim ? { sim } : {}) })
    this.hub.on('scan', (e) => options.onScan(e))
    this.hub.on('rejected', (e) => options.onRejected(e))
    this.hub.on('state', (e) => {
      const { scanner, station, ...state } = e
      options.onState(scanner, station, stateView(state))
    })
  }

  get sim(): SimScanners | undefined {
    return this.options.sim
  }

  /** Checks a URI (SCANNER_URI_INVALID, 400) before anything is stored. */
  static checkUri(uri: unknown): string {
    if (typeof uri !== 'string') throw new AppError('SCANNER_URI_INVALID', 'invalid', 'uri must be a string such as serial:/dev/ttyACM0?baud=9600, usb://05e0:1200 or sim:NAME.', { uri })
    return parseScannerUri(uri).uri
  }

  /** Opens a stored scanner; never throws (a failure is shown in its state and retried). */
  async open(row: ScannerRow): Promise<ScannerStateView> {
    if (this.stopped) return this.state(row.name)
    try {
      const parsed = parseScannerUri(row.uri)
      if (parsed.kind === 'sim') this.options.sim?.create(parsed.name)
      const state = await this.hub.add({ name: row.name, uri: row.uri, station: row.station })
      this.clearFailure(row.name)
      return stateView(state)
    } catch (err) {
      if (err instanceof AppError && err.code === 'SCANNER_EXISTS') return this.state(row.name)
      const error = { code: err instanceof AppError ? err.code : 'SCANNER_UNAVAILABLE', message: (err as Error).message, at: Date.now() }
      this.log.warn({ err, scanner: row.name }, 'scanner could not be opened; retrying')
      this.clearFailure(row.name)
      const retry = err instanceof AppError && err.kind === 'invalid' ? null : setTimeout(() => void this.open(row), this.options.retryMs ?? 5_000)
      retry?.unref?.()
      this.failures.set(row.name, { row, error, timer: retry })
      this.options.onState(row.name, row.station, this.state(row.name))
      return this.state(row.name)
    }
  }

  async close(name: string): Promise<void> {
    this.closes++
    this.clearFailure(name)
    await this.hub.remove(name)
  }

  /** The scanners this manager holds: open ones and ones waiting to be opened again. */
  names(): string[] {
    return [...new Set([...this.hub.list().map((s) => s.name), ...this.failures.keys()])]
  }

  /**
   * Brings the open scanners in line with `read()` (this server's rows from the database): opens
   * those added elsewhere (another server, for this location), closes those deleted or given to
   * another location. A close() meanwhile (a DELETE) ends this round early: the next catches up.
   */
  async sync(read: () => Promise<ScannerRow[]>): Promise<void> {
    if (this.stopped) return
    const closes = this.closes
    const rows = await read()
    if (this.stopped || closes !== this.closes) return
    const wanted = new Set(rows.map((r) => r.name))
    let own = 0
    for (const name of this.names()) {
      if (wanted.has(name)) continue
      await this.close(name)
      own++
    }
    for (const row of rows) {
      if (this.stopped || this.closes !== closes + own) return
      if (!this.hub.has(row.name) && !this.failures.has(row.name)) await this.open(row)
    }
  }

  state(name: string): ScannerStateView {
    const live = this.hub.state(name)
    if (live) return stateView(live)
    const failure = this.failures.get(name)
    return { connected: false, lastScanAt: null, lastError: failure ? { ...failure.error, at: new Date(failure.error.at).toISOString() } : null, reconnects: 0 }
  }

  /** The sim controls behind a `sim:` scanner, or SCANNER_NOT_SIMULATED. */
  simOf(row: ScannerRow): SimScannerControl {
    const parsed = parseScannerUri(row.uri)
    const sim = this.options.sim
    if (parsed.kind !== 'sim' || !sim) throw new AppError('SCANNER_NOT_SIMULATED', 'conflict', `Scanner "${row.name}" (${row.uri}) is not a simulated scanner.`, { scanner: row.name })
    return sim.get(parsed.name) ?? sim.create(parsed.name)
  }

  async stop(): Promise<void> {
    this.stopped = true
    for (const name of [...this.failures.keys()]) this.clearFailure(name)
    await this.hub.close()
  }

  private clearFailure(name: string): void {
    const failure = this.failures.get(name)
    if (failure?.timer) clearTimeout(failure.timer)
    this.failures.delete(name)
  }
}
