import { AppError } from '../../domain/errors.ts'
import { BootKeyboardDecoder } from './boot-keyboard-decoder.ts'
import { HidPosDecoder, type HidPosReportLayout } from './hid-pos-decoder.ts'
import type { KeyboardLayoutName } from './keyboard-layouts.ts'
import { ReconnectingScanner, type ScannerCommonOptions } from './reconnecting-scanner.ts'
import { ScanFramer, type FramingOptions, type RawFrame } from './scan-framer.ts'
import { formatUsbId, HID_BOOT_PROTOCOL, HID_CLASS, HID_SET_PROTOCOL, listUsbDevices, type UsbConnectionEventLike, type UsbDeviceSource, type UsbScannerDevice } from './usb-device.ts'

export const USB_SCANNER_MODES = ['keyboard', 'hidpos'] as const
export type UsbScannerMode = (typeof USB_SCANNER_MODES)[number]

export interface UsbScannerOptions extends ScannerCommonOptions {
  vendorId: number
  productId: number
  /** Pick one of several identical scanners. */
  serialNumber?: string
  mode?: UsbScannerMode
  /** Keyboard mode: the layout the scanner is set to (default 'us'). */
  layout?: KeyboardLayoutName
  /** Keyboard mode: prefix, suffix, inter-byte timeout (Enter and Tab always end a scan), and
   * `idleDropMs` (default 1000): a partial line left that long without Enter is dropped and reported. */
  framing?: Omit<FramingOptions, 'timers'>
  /** Keyboard mode: the report ID when the interface numbers its reports and does not take the
   * boot protocol (the driver asks for it with SET_PROTOCOL first). */
  reportId?: number
  /** HID-POS mode: report field offsets (default: the common 64-byte layout). */
  hidPosLayout?: Partial<HidPosReportLayout>
  /** Interface and IN endpoint; found from the configuration (first HID interface with an
   * interrupt IN endpoint) when not given. */
  interfaceNumber?: number
  endpointNumber?: number
  /** Bytes asked per transferIn (default: the endpoint's packet size, else 8 or 64). */
  reportLength?: number
  source: UsbDeviceSource
  uri?: string
}

/**
 * A USB scanner: keyboard emulation (boot-keyboard reports, read with the scanner's layout, then
 * framed like serial bytes) or HID-POS (usage page 0x8C reports joined on the continuation flag).
 * Finds its device among `source.getDevices()` by VID:PID (and serial number), opens it, detaches
 * the kernel driver where there is one, claims the interface and loops on `transferIn`. A failing
 * transfer means the device went away: release it and look for it again with backoff.
 */
/** Keyboard mode: a partial line this long without Enter is dropped and reported. */
export const KEYBOARD_IDLE_DROP_MS = 1000

export class UsbScanner extends ReconnectingScanner {
  readonly uri: string
  readonly mode: UsbScannerMode
  private readonly options: UsbScannerOptions
  private device: UsbScannerDevice | null = null
  private claimed: number | null = null
  private framer: ScanFramer | null = null
  private hotPlug: ((event: UsbConnectionEventLike) => void) | null = null

  constructor(options: UsbScannerOptions) {
    super(options)
    this.options = options
    this.mode = options.mode ?? 'keyboard'
    const id = formatUsbId(options.vendorId, options.productId)
    this.uri = options.uri ?? `usb://${id}?mode=${this.mode}${this.mode === 'keyboard' ? `&layout=${options.layout ?? 'us'}` : ''}`
  }

  /** Also listens for hot-plug: our device plugged in is opened at once (not at the next
   * backoff retry), our device unplugged is released at once. */
  override async open(): Promise<void> {
    const source = this.options.source
    if (source.addEventListener && !this.hotPlug) {
      const listener = (event: UsbConnectionEventLike) => this.onHotPlug(event)
      this.hotPlug = listener
      source.addEventListener('connect', listener)
      source.addEventListener('disconnect', listener)
    }
    await super.open()
  }

  override async close(): Promise<void> {
    const listener = this.hotPlug
    this.hotPlug = null
    if (listener) {
      this.options.source.removeEventListener?.('connect', listener)
      this.options.source.removeEventListener?.('disconnect', listener)
    }
    await super.close()
  }

  private matches(device: UsbScannerDevice): boolean {
    const o = this.options
    return device.vendorId === o.vendorId && device.productId === o.productId && (o.serialNumber === undefined || device.serialNumber === o.serialNumber)
  }

  /** `disconnect` needs nothing here: the pending transfer fails and the scanner is lost at once. */
  private onHotPlug(event: UsbConnectionEventLike): void {
    if (event.type === 'connect' && this.device === null && this.matches(event.device)) this.retryNow()
  }

  protected async connect(): Promise<void> {
    await this.disconnect()
    const o = this.options
    const id = formatUsbId(o.vendorId, o.productId)
    const devices = await listUsbDevices(o.source, (err) => this.log.debug({ err }, 'USB enumeration failed: no devices'))
    const device = devices.find((d) => this.matches(d))
    if (!device) throw new AppError('SCANNER_UNAVAILABLE', 'unavailable', `No USB device ${id}${o.serialNumber ? ` with serial ${o.serialNumber}` : ''} is connected.`, { usb: id })
    const found = this.findEndpoint(device)
    try {
      if (!device.opened) await device.open()
      await device.detachKernelDriver?.(found.interfaceNumber).catch(() => undefined)
      await device.claimInterface(found.interfaceNumber)
      if (this.mode === 'keyboard') await this.selectBootProtocol(device, found.interfaceNumber)
    } catch (err) {
      await device.close().catch(() => undefined)
      throw new AppError('SCANNER_UNAVAILABLE', 'unavailable', `Cannot open USB scanner ${id}: ${(err as Error).message}`, { usb: id }, { cause: err })
    }
    this.device = device
    this.claimed = found.interfaceNumber
    void this.readLoop(device, found.endpointNumber, found.reportLength)
  }

  protected async disconnect(): Promise<void> {
    const device = this.device
    const claimed = this.claimed
    this.device = null
    this.claimed = null
    this.framer?.destroy()
    this.framer = null
    if (!device) return
    if (claimed !== null) await device.releaseInterface(claimed).catch(() => undefined)
    await device.close().catch(() => undefined)
  }

  /** A keyboard interface may start in report protocol (numbered reports): ask for the boot
   * protocol, whose reports are the 8 bytes the decoder reads. A device that refuses (a stall)
   * is read as it is; `reportId` covers one that numbers its reports anyway. */
  private async selectBootProtocol(device: UsbScannerDevice, interfaceNumber: number): Promise<void> {
    if (!device.controlTransferOut) return
    try {
      const result = await device.controlTransferOut({ requestType: 'class', recipient: 'interface', request: HID_SET_PROTOCOL, value: HID_BOOT_PROTOCOL, index: interfaceNumber })
      if (result.status && result.status !== 'ok') this.log.info({ status: result.status }, 'SET_PROTOCOL (boot) refused; reading reports as they come')
    } catch (err) {
      this.log.info({ err }, 'SET_PROTOCOL (boot) failed; reading reports as they come')
    }
  }

  private findEndpoint(device: UsbScannerDevice): { interfaceNumber: number; endpointNumber: number; reportLength: number } {
    const o = this.options
    const fallbackLength = this.mode === 'keyboard' ? 8 : 64
    const interfaces = device.configuration?.interfaces ?? []
    const candidates = interfaces.filter((i) => (o.interfaceNumber === undefined ? i.alternate.interfaceClass === HID_CLASS : i.interfaceNumber === o.interfaceNumber))
    for (const i of candidates) {
      const ep = i.alternate.endpoints.find((e) => e.direction === 'in' && e.type === 'interrupt' && (o.endpointNumber === undefined || e.endpointNumber === o.endpointNumber))
      if (ep) return { interfaceNumber: i.interfaceNumber, endpointNumber: ep.endpointNumber, reportLength: o.reportLength ?? ep.packetSize ?? fallbackLength }
    }
    return { interfaceNumber: o.interfaceNumber ?? 0, endpointNumber: o.endpointNumber ?? 1, reportLength: o.reportLength ?? fallbackLength }
  }

  private async readLoop(device: UsbScannerDevice, endpointNumber: number, length: number): Promise<void> {
    const o = this.options
    const keyboard = this.mode === 'keyboard' ? new BootKeyboardDecoder({ layout: o.layout ?? 'us', ...(o.reportId !== undefined ? { reportId: o.reportId } : {}) }) : null
    const hidPos = this.mode === 'hidpos' ? new HidPosDecoder(o.hidPosLayout) : null
    let framer: ScanFramer | null = null
    if (keyboard) {
      framer = new ScanFramer({ idleDropMs: KEYBOARD_IDLE_DROP_MS, ...o.framing, timers: this.timers })
      framer.on('data', (frame: RawFrame) => {
        if (frame.endedBy !== 'terminator' && frame.endedBy !== 'suffix' && frame.endedBy !== 'timeout') keyboard.dropPending()
        this.frame(frame)
      })
      this.framer = framer
    }
    while (this.device === device) {
      let result: { status?: string; data?: DataView }
      try {
        result = await device.transferIn(endpointNumber, length)
      } catch (err) {
        if (this.device !== device) return // closed by us
        if (framer && this.framer === framer) this.framer = null // so that disconnect() does not destroy it before it flushes
        framer?.end() // a scan cut by the unplug is reported as incomplete
        const cut = hidPos?.abort()
        if (cut) this.frame(cut)
        this.lost(new AppError('SCANNER_DISCONNECTED', 'unavailable', `USB scanner ${formatUsbId(device.vendorId, device.productId)} was disconnected: ${(err as Error).message}`, {}, { cause: err }))
        return
      }
      if (this.device !== device) return
      const data = result.data
      if (result.status && result.status !== 'ok') {
        // A lost or garbled report (stall, babble): the read under way can't be trusted.
        this.log.warn({ status: result.status }, 'USB transfer failed; the scan under way is dropped')
        framer?.cut()
        const cut = hidPos?.abort()
        if (cut) this.frame({ ...cut, endedBy: 'broken' })
        continue
      }
      if (!data || data.byteLength === 0) continue
      const report = new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
      if (this.log.isLevelEnabled('trace')) this.log.trace({ hex: Buffer.from(report).toString('hex') }, 'usb report')
      if (keyboard && framer) {
        const text = keyboard.push(report)
        if (text) framer.write(Buffer.from(text, 'utf8'))
      } else if (hidPos) {
        const frame = hidPos.push(report)
        if (frame) this.frame(frame)
      }
    }
  }
}
