import { EventEmitter } from 'node:events'
import type { Logger } from 'pino'
import { AppError, ConflictError } from '../../domain/errors.ts'
import type { DecodeOptions } from './scan-decoder.ts'
import type { Backoff, Clock, RejectedScanEvent, ScanEvent, Scanner, ScannerState, Timers } from './scanner.ts'
import { parseScannerUri } from './scanner-uri.ts'
import type { SerialBinding } from './serial-scanner.ts'
import type { SimScannerDirectory } from './sim-scanner.ts'
import type { UsbDeviceSource } from './usb-device.ts'

export interface ScannerHubOptions {
  /** The scanning component's logger; each scanner logs through `log.child({ scanner: name })` (one `component` per line, the caller's). */
  log: Logger
  /** In-process simulated scanners for `sim:NAME` (hw-sim's `SimScannerRegistry`). Without it,
   * `sim:` URIs are refused. */
  sim?: SimScannerDirectory
  /** serialport binding for `serial:` (default: the real one). */
  serialBinding?: SerialBinding
  /** USB device source for `usb://` (default: `usb` 3's WebUSB object, loaded on first use). */
  usb?: UsbDeviceSource
  timers?: Timers
  clock?: Clock
  /** Reconnect backoff (default 200 ms doubling to 5 s). */
  backoff?: Backoff
  decode?: DecodeOptions
}

export interface ScannerConfig {
  /** Unique name, e.g. "front-desk-1"; events carry it as `scanner`. */
  name: string
  uri: string
  /** The station the scanner feeds; events carry it as `station`. */
  station?: string
}

export interface ScannerInfo {
  name: string
  uri: string
  station?: string
  state: ScannerState
}

export interface ScannerStateEvent extends ScannerState {
  scanner: string
  station?: string
}

export interface ScannerHubEvents {
  scan: [ScanEvent]
  rejected: [RejectedScanEvent]
  state: [ScannerStateEvent]
}

/**
 * Opens scanners by URI and merges their events: `scan` for good reads, `rejected` for frames
 * that were refused (so a station can alert), `state` when a scanner connects or is lost.
 * Each scanner reconnects on its own after an unplug. Family drivers load lazily (a switch).
 */
export class ScannerHub extends EventEmitter<ScannerHubEvents> {
  private readonly scanners = new Map<string, { config: ScannerConfig; scanner: Scanner }>()
  private readonly log: Logger
  private usbSource: UsbDeviceSource | undefined

  constructor(private readonly options: ScannerHubOptions) {
    super()
    this.log = options.log
    this.usbSource = options.usb
  }

  /** Opens a scanner. Resolves with its state after the first connection attempt (a scanner not
   * plugged in yet resolves disconnected and keeps retrying). Throws SCANNER_URI_INVALID for a bad
   * URI, SCANNER_EXISTS for a name in use. */
  async add(config: ScannerConfig): Promise<ScannerState> {
    if (this.scanners.has(config.name)) throw new ConflictError('SCANNER_EXISTS', `A scanner named "${config.name}" is already open.`, { name: config.name })
    const scanner = await this.create(config)
    if (this.scanners.has(config.name)) throw new ConflictError('SCANNER_EXISTS', `A scanner named "${config.name}" is already open.`, { name: config.name })
    this.scanners.set(config.name, { config, scanner })
    scanner.on('scan', (event) => this.emit('scan', event))
    scanner.on('rejected', (event) => this.emit('rejected', event))
    scanner.on('state', (state) => this.emit('state', { scanner: config.name, ...(config.station === undefined ? {} : { station: config.station }), ...state }))
    await scanner.open()
    return scanner.state()
  }

  /** Closes and forgets a scanner; false when there was none of that name. */
  async remove(name: string): Promise<boolean> {
    const entry = this.scanners.get(name)
    if (!entry) return false
    this.scanners.delete(name)
    await entry.scanner.close()
    entry.scanner.removeAllListeners()
    return true
  }

  state(name: string): ScannerState | undefined {
    return this.scanners.get(name)?.scanner.state()
  }

  list(): ScannerInfo[] {
    return [...this.scanners.values()].map(({ config, scanner }) => ({
      name: config.name,
      uri: config.uri,
      ...(config.station === undefined ? {} : { station: config.station }),
      state: scanner.state(),
    }))
  }

  has(name: string): boolean {
    return this.scanners.has(name)
  }

  async close(): Promise<void> {
    await Promise.all([...this.scanners.keys()].map((name) => this.remove(name)))
  }

  private async create(config: ScannerConfig): Promise<Scanner> {
    const parsed = parseScannerUri(config.uri)
    const o = this.options
    const common = {
      // The hub's defaults, then what the scanner's URI says (encoding, aim).
      decode: { ...o.decode, ...parsed.decode },
      name: config.name,
      station: config.station,
      log: this.log.child({ scanner: config.name }),
      timers: o.timers,
      clock: o.clock,
      backoff: o.backoff,
    }
    switch (parsed.kind) {
      case 'serial': {
        const { SerialScanner } = await import('./serial-scanner.ts')
        return new SerialScanner({ ...common, uri: parsed.uri, path: parsed.path, baudRate: parsed.baudRate, framing: parsed.framing, binding: o.serialBinding })
      }
      case 'usb': {
        const { UsbScanner } = await import('./usb-scanner.ts')
        const source = await this.usb()
        return new UsbScanner({
          ...common,
          uri: parsed.uri,
          vendorId: parsed.vendorId,
          productId: parsed.productId,
          serialNumber: parsed.serialNumber,
          ...(parsed.reportId !== undefined ? { reportId: parsed.reportId } : {}),
          mode: parsed.mode,
          layout: parsed.layout,
          framing: parsed.framing,
          interfaceNumber: parsed.interfaceNumber,
          endpointNumber: parsed.endpointNumber,
          source,
        })
      }
      case 'sim': {
        if (!o.sim) throw new AppError('SCANNER_UNSUPPORTED', 'invalid', `"${config.uri}": this server runs no simulated scanners.`, { uri: config.uri })
        const { SimScanner } = await import('./sim-scanner.ts')
        return new SimScanner({ ...common, uri: parsed.uri, simName: parsed.name, directory: o.sim, framing: parsed.framing })
      }
    }
  }

  private async usb(): Promise<UsbDeviceSource> {
    if (!this.usbSource) {
      try {
        const { systemUsbSource } = await import('./usb-device.ts')
        this.usbSource = await systemUsbSource()
      } catch (err) {
        // libusb missing: a source with no devices; the scanner waits (state shows why).
        this.log.warn({ err }, 'usb unavailable')
        this.usbSource = { getDevices: () => Promise.reject(new Error(`usb unavailable: ${(err as Error).message}`)) }
      }
    }
    return this.usbSource
  }
}
