import { MOD_LEFT_CTRL, MOD_LEFT_SHIFT, MOD_RIGHT_ALT, MOD_RIGHT_SHIFT } from '../../src/drivers/scanners/boot-keyboard-decoder.ts'
import { DEFAULT_HID_POS_DATA_BYTES, DEFAULT_HID_POS_LAYOUT, type HidPosReportLayout } from '../../src/drivers/scanners/hid-pos-decoder.ts'
import { KEY_ENTER, KEY_SPACE, KEY_TAB, LAYOUTS, type KeyboardLayout, type KeyboardLayoutName } from '../../src/drivers/scanners/keyboard-layouts.ts'
import type { UsbDeviceSource, UsbInterfaceLike, UsbScannerDevice } from '../../src/drivers/scanners/usb-device.ts'

const RELEASE = () => new Uint8Array(8)

function keyReport(modifiers: number, key: number): Uint8Array {
  return Uint8Array.of(modifiers, 0, key, 0, 0, 0, 0, 0)
}

/** char → [modifiers, key code] the way a scanner set to this layout types it. */
function keyFor(layout: KeyboardLayout, char: string, rightShift: boolean): [number, number] | null {
  const shift = rightShift ? MOD_RIGHT_SHIFT : MOD_LEFT_SHIFT
  for (const [code, chars] of layout.keys) {
    if (chars[0] === char) return [0, code]
    if (chars[1] === char) return [shift, code]
    if (chars[2] === char) return [MOD_RIGHT_ALT, code]
  }
  const c = char.charCodeAt(0)
  if (c < 0x20) {
    // Control characters as Ctrl + the key whose character is c + 0x40 (Ctrl+] = GS).
    const target = String.fromCharCode(c | 0x40)
    for (const [code, chars] of layout.keys) if (chars[0].toUpperCase() === target) return [MOD_LEFT_CTRL, code]
  }
  return null
}

export interface KeyboardScanOptions {
  /** 'enter' (default), 'tab' or 'none'. */
  terminator?: 'enter' | 'tab' | 'none'
  /** Use right Shift (0x20) instead of left (0x02). */
  rightShift?: boolean
}

/**
 * The 8-byte boot-keyboard reports a keyboard-emulation scanner set to `layout` sends for
 * `text`: a press (modifiers, 0, key code, 0…) and an all-zero release per character, dead keys
 * followed by space, then Enter or Tab.
 */
export function keyboardReports(text: string, layout: KeyboardLayoutName | KeyboardLayout, options: KeyboardScanOptions = {}): Uint8Array[] {
  const l = typeof layout === 'string' ? LAYOUTS[layout] : layout
  const reports: Uint8Array[] = []
  for (const char of text) {
    const key = keyFor(l, char, options.rightShift ?? false)
    if (!key) throw new Error(`a scanner set to the ${l.name} layout cannot type ${JSON.stringify(char)}`)
    reports.push(keyReport(key[0], key[1]), RELEASE())
    if (l.dead.has(char)) reports.push(keyReport(0, KEY_SPACE), RELEASE())
  }
  const terminator = options.terminator ?? 'enter'
  if (terminator !== 'none') reports.push(keyReport(0, terminator === 'enter' ? KEY_ENTER : KEY_TAB), RELEASE())
  return reports
}

export interface HidPosScanOptions {
  /** AIM identifier in the symbology field (`]C0`), '' for none. */
  aimId?: string
  layout?: Partial<HidPosReportLayout>
  /** Data bytes per report (default 56, the common layout's capacity). */
  dataBytes?: number
  reportLength?: number
}

/** HID-POS input reports for one read: data cut into `dataBytes` pieces, continuation flag set on
 * every report but the last. */
export function hidPosReports(data: string | Uint8Array, options: HidPosScanOptions = {}): Uint8Array[] {
  const l = { ...DEFAULT_HID_POS_LAYOUT, ...options.layout }
  const capacity = options.dataBytes ?? DEFAULT_HID_POS_DATA_BYTES
  const length = options.reportLength ?? 64
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data)
  const aim = Buffer.from(options.aimId ?? ']C0', 'latin1').subarray(0, l.symbologyLength)
  const reports: Uint8Array[] = []
  let offset = 0
  do {
    const piece = bytes.subarray(offset, offset + capacity)
    offset += piece.length
    const r = new Uint8Array(length)
    if (l.reportId !== null) r[0] = l.reportId
    r[l.lengthOffset] = piece.length
    r.set(aim, l.symbologyOffset)
    r.set(piece, l.dataOffset)
    if (offset < bytes.length) r[l.continuationOffset] |= l.continuationMask
    reports.push(r)
  } while (offset < bytes.length)
  return reports
}

export interface SimUsbScannerOptions {
  vendorId: number
  productId: number
  serialNumber?: string
  mode?: 'keyboard' | 'hidpos'
  /** Keyboard mode: the layout the simulated scanner is set to (default 'us'). */
  layout?: KeyboardLayoutName
}

/**
 * A USB scanner as `usb` 3 presents it (WebUSB `UsbDevice` slice): one HID interface with an
 * interrupt IN endpoint; `transferIn` resolves with the next queued report, and rejects with
 * LIBUSB_ERROR_NO_DEVICE when unplugged (as the real device does).
 */
export class SimUsbScannerDevice implements UsbScannerDevice {
  readonly vendorId: number
  readonly productId: number
  readonly serialNumber: string | null
  readonly mode: 'keyboard' | 'hidpos'
  readonly layout: KeyboardLayoutName
  readonly configuration: { interfaces: UsbInterfaceLike[] }
  opened = false
  plugged = true
  readonly claimed = new Set<number>()
  kernelDriverDetached = false
  private queue: Uint8Array[] = []
  private waiter: { resolve: (r: Uint8Array) => void; reject: (e: Error) => void } | null = null

  constructor(options: SimUsbScannerOptions) {
    this.vendorId = options.vendorId
    this.productId = options.productId
    this.serialNumber = options.serialNumber ?? null
    this.mode = options.mode ?? 'keyboard'
    this.layout = options.layout ?? 'us'
    const packetSize = this.mode === 'keyboard' ? 8 : 64
    this.configuration = {
      interfaces: [{ interfaceNumber: 0, alternate: { interfaceClass: 3, endpoints: [{ endpointNumber: 1, direction: 'in', type: 'interrupt', packetSize }] } }],
    }
  }

  async open(): Promise<void> {
    if (!this.plugged) throw new Error('LIBUSB_ERROR_NO_DEVICE')
    this.opened = true
  }
  async close(): Promise<void> {
    this.opened = false
    this.claimed.clear()
    this.fail(new Error('LIBUSB_ERROR_INTERRUPTED: device closed'))
  }
  async detachKernelDriver(): Promise<void> {
    this.kernelDriverDetached = true
  }
  async claimInterface(n: number): Promise<void> {
    if (!this.opened) throw new Error('InvalidStateError: the device must be opened first')
    if (n !== 0) throw new Error(`NotFoundError: no interface ${n}`)
    this.claimed.add(n)
  }
  async releaseInterface(n: number): Promise<void> {
    this.claimed.delete(n)
  }
  transferIn(endpointNumber: number, length: number): Promise<{ status: 'ok'; data: DataView }> {
    if (!this.plugged) return Promise.reject(new Error('LIBUSB_ERROR_NO_DEVICE'))
    if (!this.opened || !this.claimed.has(0)) return Promise.reject(new Error('InvalidStateError: interface not claimed'))
    if (endpointNumber !== 1) return Promise.reject(new Error(`NotFoundError: no endpoint ${endpointNumber}`))
    if (this.waiter) return Promise.reject(new Error('a transfer is already pending'))
    const toResult = (r: Uint8Array) => {
      const bytes = r.slice(0, length)
      return { status: 'ok' as const, data: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) }
    }
    const queued = this.queue.shift()
    if (queued) return Promise.resolve(toResult(queued))
    return new Promise((resolve, reject) => {
      this.waiter = { resolve: (r) => resolve(toResult(r)), reject }
    })
  }

  /** Queue raw input reports. */
  send(reports: Uint8Array[]): void {
    for (const r of reports) {
      const waiter = this.waiter
      if (waiter) {
        this.waiter = null
        waiter.resolve(r)
      } else this.queue.push(r)
    }
  }

  /** One read of `text` as this scanner sends it (keyboard reports in its layout, or HID-POS). */
  scan(text: string, options: KeyboardScanOptions & HidPosScanOptions = {}): void {
    this.send(this.mode === 'keyboard' ? keyboardReports(text, this.layout, options) : hidPosReports(text, options))
  }

  doubleRead(text: string, options: KeyboardScanOptions & HidPosScanOptions = {}): void {
    this.scan(text, options)
    this.scan(text, options)
  }

  /** Reports no real scanner sends: unknown key codes (keyboard) or control bytes (HID-POS). */
  garbage(): void {
    if (this.mode === 'keyboard') this.send([keyReport(0, 0x04), RELEASE(), keyReport(0, 0xa5), RELEASE(), keyReport(0, KEY_ENTER), RELEASE()])
    else this.send(hidPosReports(Uint8Array.of(0x41, 0x00, 0x1b, 0x42), { aimId: '' }))
  }

  /** @internal used by SimUsbBus */
  detach(): void {
    this.plugged = false
    this.opened = false
    this.claimed.clear()
    this.queue = []
    this.fail(new Error('LIBUSB_ERROR_NO_DEVICE'))
  }

  /** @internal used by SimUsbBus */
  attach(): void {
    this.plugged = true
  }

  private fail(err: Error): void {
    const waiter = this.waiter
    this.waiter = null
    waiter?.reject(err)
  }
}

/**
 * The USB bus, as `usb` 3's `usb.getDevices()` shows it. `noBus: true` makes `getDevices()`
 * reject like the real one on a machine without /sys/bus/usb.
 */
export class SimUsbBus implements UsbDeviceSource {
  private readonly devices = new Set<SimUsbScannerDevice>()

  constructor(readonly options: { noBus?: boolean } = {}) {}

  async getDevices(): Promise<SimUsbScannerDevice[]> {
    if (this.options.noBus) throw new Error('getDevices error: /sys/bus/usb/devices/ not found (errno 2)')
    return [...this.devices]
  }

  plug(device: SimUsbScannerDevice): SimUsbScannerDevice {
    device.attach()
    this.devices.add(device)
    return device
  }

  unplug(device: SimUsbScannerDevice): void {
    this.devices.delete(device)
    device.detach()
  }
}
