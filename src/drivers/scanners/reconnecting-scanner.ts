import { EventEmitter } from 'node:events'
import type { Logger } from 'pino'
import { AppError } from '../../domain/errors.ts'
import { decodeScan, type DecodeOptions } from './scan-decoder.ts'
import type { RawFrame } from './scan-framer.ts'
import {
  DEFAULT_BACKOFF,
  nextDelay,
  systemClock,
  systemTimers,
  type Backoff,
  type Clock,
  type Scanner,
  type ScannerEvents,
  type ScannerState,
  type Timers,
} from './scanner.ts'

export interface ScannerCommonOptions {
  name: string
  /** The station this scanner feeds; copied into its events. */
  station?: string
  log: Logger
  timers?: Timers
  clock?: Clock
  backoff?: Backoff
  decode?: DecodeOptions
}

/**
 * What serial, USB and sim scanners share: decode frames into events, keep state, and connect
 * again with backoff whenever the device is lost (or was not there at open). A subclass provides
 * `connect()` (open the device and start delivering frames to `frame()`, calling `lost()` when
 * it goes away) and `disconnect()` (release it).
 */
export abstract class ReconnectingScanner extends EventEmitter<ScannerEvents> implements Scanner {
  readonly name: string
  abstract readonly uri: string
  protected readonly log: Logger
  protected readonly timers: Timers
  protected readonly clock: Clock
  private readonly backoff: Backoff
  private readonly station: string | undefined
  private readonly decodeOptions: DecodeOptions
  private current: ScannerState = { connected: false, lastScanAt: null, lastError: null, reconnects: 0 }
  private everConnected = false
  private closed = true
  private attempt = 0
  private retryTimer: unknown = null
  private connecting: Promise<void> | null = null

  constructor(options: ScannerCommonOptions) {
    super()
    this.name = options.name
    this.station = options.station
    this.log = options.log
    this.timers = options.timers ?? systemTimers
    this.clock = options.clock ?? systemClock
    this.backoff = options.backoff ?? DEFAULT_BACKOFF
    this.decodeOptions = options.decode ?? {}
  }

  protected abstract connect(): Promise<void>
  protected abstract disconnect(): Promise<void>

  state(): ScannerState {
    return { ...this.current, lastError: this.current.lastError && { ...this.current.lastError } }
  }

  async open(): Promise<void> {
    if (!this.closed) return
    this.closed = false
    await this.tryConnect()
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer)
    this.retryTimer = null
    await this.connecting?.catch(() => undefined)
    await this.disconnect().catch((err: unknown) => this.log.debug({ err }, 'scanner release failed'))
    if (this.current.connected) this.setState({ connected: false })
    this.log.info('scanner closed')
  }

  /** A subclass hands every completed frame (bytes from the framer, or text) here. */
  protected frame(frame: RawFrame | string): void {
    const at = this.clock.now()
    const station = this.station === undefined ? {} : { station: this.station }
    const result = decodeScan(frame, this.decodeOptions)
    if (result.ok) {
      this.current.lastScanAt = at
      this.log.debug({ symbology: result.symbology, length: result.data.length }, 'scan read')
      this.emit('scan', { scanner: this.name, ...station, data: result.data, symbology: result.symbology, aimId: result.aimId, at })
    } else {
      const { code, message } = result.error
      const reason = result.error.details?.reason as string | undefined
      this.log.warn({ code, reason, length: result.rawLength }, 'scan rejected')
      this.emit('rejected', { scanner: this.name, ...station, error: { code, message, reason }, raw: result.raw, rawLength: result.rawLength, at })
    }
  }

  /** A subclass calls this when the device went away (unplug, read error, stream end). */
  protected lost(err: unknown): void {
    if (this.closed) return
    const wasConnected = this.current.connected
    this.setState({ connected: false, lastError: this.errorOf(err, 'SCANNER_DISCONNECTED') })
    if (wasConnected) this.log.warn({ err }, 'scanner lost')
    void this.disconnect().catch(() => undefined)
    this.scheduleRetry()
  }

  private async tryConnect(): Promise<void> {
    if (this.closed || this.connecting) return
    const run = (async () => {
      try {
        await this.connect()
        if (this.closed) {
          await this.disconnect().catch(() => undefined)
          return
        }
        this.attempt = 0
        const reconnects = this.current.reconnects + (this.everConnected ? 1 : 0)
        this.everConnected = true
        this.setState({ connected: true, reconnects })
        this.log.info({ reconnects }, 'scanner connected')
      } catch (err) {
        this.log.debug({ err, attempt: this.attempt }, 'scanner connect failed')
        await this.disconnect().catch(() => undefined)
        this.setState({ lastError: this.errorOf(err, 'SCANNER_UNAVAILABLE') })
        this.scheduleRetry()
      }
    })()
    this.connecting = run
    try {
      await run
    } finally {
      this.connecting = null
    }
  }

  /** Tries to connect now instead of at the next backoff retry (the device was just plugged in). */
  protected retryNow(): void {
    if (this.closed || this.connecting || this.current.connected) return
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer)
    this.retryTimer = null
    this.attempt = 0
    void this.tryConnect()
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer !== null) return
    const delay = nextDelay(this.backoff, this.attempt++)
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null
      void this.tryConnect()
    }, delay)
  }

  private errorOf(err: unknown, fallbackCode: string): ScannerState['lastError'] {
    const code = err instanceof AppError ? err.code : fallbackCode
    const message = err instanceof Error ? err.message : String(err)
    return { code, message, at: this.clock.now() }
  }

  /** Emits 'state' only when something a station shows changes (not on every failed retry). */
  private setState(patch: Partial<ScannerState>): void {
    const before = this.current
    this.current = { ...this.current, ...patch }
    const after = this.current
    const changed =
      before.connected !== after.connected ||
      before.reconnects !== after.reconnects ||
      before.lastError?.code !== after.lastError?.code ||
      before.lastError?.message !== after.lastError?.message
    if (changed) this.emit('state', this.state())
  }
}
