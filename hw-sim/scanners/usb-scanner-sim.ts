import { MOD_LEFT_CTRL, MOD_LEFT_SHIFT, MOD_RIGHT_ALT, MOD_RIGHT_SHIFT } from '../../src/drivers/scanners/boot-keyboard-decoder.ts'
import { DEFAULT_HID_POS_DATA_BYTES, DEFAULT_HID_POS_LAYOUT, type HidPosReportLayout } from '../../src/drivers/scanners/hid-pos-decoder.ts'
import { CTRL_BY_POSITION, KEY_CAPS_LOCK, KEY_ENTER, KEY_SPACE, KEY_TAB, LAYOUTS, type KeyboardLayout, type KeyboardLayoutName } from '../../src/drivers/scanners/keyboard-layouts.ts'
import type { UsbConnectionEventLike, UsbControlSetup, UsbDeviceSource, UsbInterfaceLike, UsbScannerDevice } from '../../src/drivers/scanners/usb-device.ts'

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
    // Control characters as a host reads them: Ctrl + a letter, or Ctrl + the key at the
    // position that gives it (Ctrl + US "]" = GS, on every layout).
    for (const [code, ctrl] of CTRL_BY_POSITION) if (ctrl === char) return [MOD_LEFT_CTRL, code]
    const target = String.fromCharCode(c | 0x40)
    for (const [code, chars] of layout.keys) if (chars[0].length === 1 && chars[0].toUpperCase() === target && chars[1] === target) return [MOD_LEFT_CTRL, code]
  }
  return null
}

export interface KeyboardScanOptions {
  /** 'enter' (default), 'tab' or 'none'. */
  terminator?: 'enter' | 'tab' | 'none'
  /** Use right Shift (0x20) instead of left (0x02). */
  rightShift?: boolean
  /** A scanner set to Caps Lock: it taps Caps Lock before and after the scan and sends letters
   * with Shift inverted; 'repeat' keeps Caps Lock in every report of the scan (a firmware bug). */
  capsLock?: 'tap' | 'repeat'
  /** Characters outside printable ASCII (and GS) sent as left Alt + keypad digits, Alt+0nnn. */
  altCodes?: boolean
}

const KEYPAD = [0x62, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60, 0x61] // 0…9
const CP1252: Record<string, number> = { '€': 0x80 }

function altCodeReports(char: string): Uint8Array[] {
  const code = CP1252[char] ?? char.charCodeAt(0)
  if (code > 0xff) throw new Error(`no Alt code for ${JSON.stringify(char)}`)
  const reports = [keyReport(0x04, 0)]
  for (const d of `0${String(code).padStart(3, '0')}`) reports.push(keyReport(0x04, KEYPAD[Number(d)]), keyReport(0x04, 0))
  reports.push(RELEASE())
  return reports
}

/**
 * The 8-byte boot-keyboard reports a keyboard-emulation scanner set to `layout` sends for
 * `text`: a press (modifiers, 0, key code, 0…) and an all-zero release per character, dead keys
 * followed by space, then Enter or Tab.
 */
export function keyboardReports(text: string, layout: KeyboardLayoutName | KeyboardLayout, options: KeyboardScanOptions = {}): Uint8Array[] {
  const l = typeof layout === 'string' ? LAYOUTS[layout] : layout
  let reports: Uint8Array[] = []
  const caps = options.capsLock
  for (const char of text) {
    if (options.altCodes && (char.charCodeAt(0) < 0x20 || char.charCodeAt(0) > 0x7e)) {
      reports.push(...altCodeReports(char))
      continue
    }
    const key = keyFor(l, char, options.rightShift ?? false)
    if (!key) throw new Error(`a scanner set to the ${l.name} layout cannot type ${JSON.stringify(char)}`)
    let [modifiers, code] = key
    const chars = l.keys.get(code)
    if (caps && chars && chars[0] !== chars[1] && chars[1] === chars[0].toUpperCase() && (modifiers & ~(MOD_LEFT_SHIFT | MOD_RIGHT_SHIFT)) === 0) {
      modifiers = modifiers === 0 ? MOD_LEFT_SHIFT : 0
    }
    reports.push(keyReport(modifiers, code), RELEASE())
    if (l.dead.has(char)) reports.push(keyReport(0, KEY_SPACE), RELEASE())
  }
  const terminator = options.terminator ?? 'enter'
  if (terminator !== 'none') reports.push(keyReport(0, terminator === 'enter' ? KEY_ENTER : KEY_TAB), RELEASE())
  // 'repeat': Caps Lock is pressed with the first key and stays in every report (one press);
  // either way a last tap turns it off again.
  if (caps === 'repeat') reports = [...reports.map((r) => Uint8Array.of(r[0], 0, KEY_CAPS_LOCK, ...r.subarray(2, 7))), RELEASE()]
  else if (caps) reports = [keyReport(0, KEY_CAPS_LOCK), RELEASE(), ...reports]
  if (caps) reports.push(keyReport(0, KEY_CAPS_LOCK), RELEASE())
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
  /** Keyboard mode: the interface numbers its reports with this id while in report protocol
   * (the state after enumeration) and sends plain 8-byte boot reports after SET_PROTOCOL(0). */
  reportId?: number
  /** SET_PROTOCOL is stalled (a keyboard interface that is not boot-capable). */
  refuseSetProtocol?: boolean
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
  /** HID protocol: 'report' after enumeration, 'boot' after SET_PROTOCOL(0). */
  protocol: 'report' | 'boot' = 'report'
  readonly reportId: number | undefined
  private readonly refuseSetProtocol: boolean
  private queue: Array<Uint8Array | { status: 'stall' | 'babble' }> = []
  private waiter: { resolve: (r: Uint8Array | { status: 'stall' | 'babble' }) => void; reject: (e: Error) => void } | null = null

  constructor(options: SimUsbScannerOptions) {
    this.vendorId = options.vendorId
    this.productId = options.productId
    this.serialNumber = options.serialNumber ?? null
    this.mode = options.mode ?? 'keyboard'
    this.layout = options.layout ?? 'us'
    this.reportId = options.reportId
    this.refuseSetProtocol = options.refuseSetProtocol ?? false
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
  /** HID SET_PROTOCOL (class request 0x0B to the interface); anything else stalls. */
  async controlTransferOut(setup: UsbControlSetup): Promise<{ status: 'ok' | 'stall' }> {
    if (!this.plugged) throw new Error('LIBUSB_ERROR_NO_DEVICE')
    if (setup.requestType !== 'class' || setup.recipient !== 'interface' || setup.request !== 0x0b || setup.index !== 0 || this.refuseSetProtocol) return { status: 'stall' }
    this.protocol = setup.value === 0 ? 'boot' : 'report'
    return { status: 'ok' }
  }

  transferIn(endpointNumber: number, length: number): Promise<{ status: 'ok' | 'stall' | 'babble'; data?: DataView }> {
    if (!this.plugged) return Promise.reject(new Error('LIBUSB_ERROR_NO_DEVICE'))
    if (!this.opened || !this.claimed.has(0)) return Promise.reject(new Error('InvalidStateError: interface not claimed'))
    if (endpointNumber !== 1) return Promise.reject(new Error(`NotFoundError: no endpoint ${endpointNumber}`))
    if (this.waiter) return Promise.reject(new Error('a transfer is already pending'))
    const toResult = (r: Uint8Array | { status: 'stall' | 'babble' }) => {
      if (!(r instanceof Uint8Array)) return { status: r.status }
      // A keyboard interface in report protocol numbers its reports.
      const numbered = this.mode === 'keyboard' && this.reportId !== undefined && this.protocol === 'report'
      const bytes = (numbered ? Uint8Array.of(this.reportId!, ...r) : r).slice(0, numbered ? length + 1 : length)
      return { status: 'ok' as const, data: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) }
    }
    const queued = this.queue.shift()
    if (queued) return Promise.resolve(toResult(queued))
    return new Promise((resolve, reject) => {
      this.waiter = { resolve: (r) => resolve(toResult(r)), reject }
    })
  }

  /** Whether a transfer is waiting for the next report (the driver has read all sent so far). */
  get transferPending(): boolean {
    return this.waiter !== null
  }

  /** The next transfer ends with this status and no data (a lost report). */
  failTransfer(status: 'stall' | 'babble'): void {
    this.send([{ status }])
  }

  /** Queue raw input reports (boot-format for keyboards: the report id is added in report protocol). */
  send(reports: Array<Uint8Array | { status: 'stall' | 'babble' }>): void {
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
    this.protocol = 'report'
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
export class SimUsbBus extends EventTarget implements UsbDeviceSource {
  private readonly devices = new Set<SimUsbScannerDevice>()

  constructor(readonly options: { noBus?: boolean } = {}) {
    super()
  }

  // Typed like usb 3's WebUSB.addEventListener('connect' | 'disconnect', (ev: USBConnectionEvent) => …).
  override addEventListener(type: 'connect' | 'disconnect', listener: (event: UsbConnectionEventLike) => void): void
  override addEventListener(...args: Parameters<EventTarget['addEventListener']>): void
  override addEventListener(type: string, listener: unknown, options?: Parameters<EventTarget['addEventListener']>[2]): void {
    super.addEventListener(type, listener as Parameters<EventTarget['addEventListener']>[1], options)
  }

  override removeEventListener(type: 'connect' | 'disconnect', listener: (event: UsbConnectionEventLike) => void): void
  override removeEventListener(...args: Parameters<EventTarget['removeEventListener']>): void
  override removeEventListener(type: string, listener: unknown, options?: Parameters<EventTarget['removeEventListener']>[2]): void {
    super.removeEventListener(type, listener as Parameters<EventTarget['removeEventListener']>[1], options)
  }

  async getDevices(): Promise<SimUsbScannerDevice[]> {
    if (this.options.noBus) throw new Error('getDevices error: /sys/bus/usb/devices/ not found (errno 2)')
    return [...this.devices]
  }

  /** Plugs a device in and, like `usb` 3's WebUSB object, dispatches a `connect` event with it. */
  plug(device: SimUsbScannerDevice): SimUsbScannerDevice {
    device.attach()
    this.devices.add(device)
    this.dispatchEvent(connectionEvent('connect', device))
    return device
  }

  /** Unplugs a device: its transfers fail, and a `disconnect` event is dispatched. */
  unplug(device: SimUsbScannerDevice): void {
    this.devices.delete(device)
    device.detach()
    this.dispatchEvent(connectionEvent('disconnect', device))
  }
}

/** WebUSB's USBConnectionEvent: an Event with the device. */
function connectionEvent(type: 'connect' | 'disconnect', device: SimUsbScannerDevice): Event & { device: SimUsbScannerDevice } {
  return Object.assign(new Event(type), { device })
}
