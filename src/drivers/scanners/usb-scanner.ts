import { AppError } from '../../domain/errors.ts'
import { BootKeyboardDecoder } from './boot-keyboard-decoder.ts'
import { HidPosDecoder, type HidPosReportLayout } from './hid-pos-decoder.ts'
import type { KeyboardLayoutName } from './keyboard-layouts.ts'
import { ReconnectingScanner, type ScannerCommonOptions } from './reconnecting-scanner.ts'
import { ScanFramer, type FramingOptions, type RawFrame } from './scan-framer.ts'
import { formatUsbId, HID_CLASS, listUsbDevices, type UsbDeviceSource, type UsbScannerDevice } from './usb-device.ts'

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
  /** Keyboard mode: prefix, suffix, inter-byte timeout (Enter and Tab always end a scan). */
  framing?: Omit<FramingOptions, 'timers'>
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
export class UsbScanner extends ReconnectingScanner {
  readonly uri: string
  readonly mode: UsbScannerMode
  private readonly options: UsbScannerOptions
  private device: UsbScannerDevice | null = null
  private claimed: number | null = null
  private framer: ScanFramer | null = null

  constructor(options: UsbScannerOptions) {
    super(options)
    this.options = options
    this.mode = options.mode ?? 'keyboard'
    const id = formatUsbId(options.vendorId, options.productId)
    this.uri = options.uri ?? `usb://${id}?mode=${this.mode}${this.mode === 'keyboard' ? `&layout=${options.layout ?? 'us'}` : ''}`
  }

  protected async connect(): Promise<void> {
    await this.disconnect()
    const o = this.options
    const id = formatUsbId(o.vendorId, o.productId)
    const devices = await listUsbDevices(o.source, (err) => this.log.debug({ err }, 'USB enumeration failed: no devices'))
    const device = devices.find((d) => d.vendorId === o.vendorId && d.productId === o.productId && (o.serialNumber === undefined || d.serialNumber === o.serialNumber))
    if (!device) throw new AppError('SCANNER_UNAVAILABLE', 'unavailable', `No USB device ${id}${o.serialNumber ? ` with serial ${o.serialNumber}` : ''} is connected.`, { usb: id })
    const found = this.findEndpoint(device)
    try {
      if (!device.opened) await device.open()
      await device.detachKernelDriver?.(found.interfaceNumber).catch(() => undefined)
      await device.claimInterface(found.interfaceNumber)
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
    const keyboard = this.mode === 'keyboard' ? new BootKeyboardDecoder({ layout: this.options.layout ?? 'us' }) : null
    const hidPos = this.mode === 'hidpos' ? new HidPosDecoder(this.options.hidPosLayout) : null
    let framer: ScanFramer | null = null
    if (keyboard) {
      framer = new ScanFramer({ ...this.options.framing, timers: this.timers })
      framer.on('data', (frame: RawFrame) => this.frame(frame))
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
        this.lost(new AppError('SCANNER_DISCONNECTED', 'unavailable', `USB scanner ${formatUsbId(device.vendorId, device.productId)} was disconnected: ${(err as Error).message}`, {}, { cause: err }))
        return
      }
      if (this.device !== device) return
      const data = result.data
      if (result.status && result.status !== 'ok') {
        this.log.debug({ status: result.status }, 'USB transfer status')
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
