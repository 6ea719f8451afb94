/**
 * The slice of WebUSB (`usb` 3: `usb.getDevices()`, `UsbDevice`) the USB scanner drivers use.
 * The real objects satisfy these structurally; hw-sim implements them with real report bytes.
 */
export interface UsbEndpointLike {
  readonly endpointNumber: number
  readonly direction: 'in' | 'out'
  readonly type: 'bulk' | 'interrupt' | 'isochronous'
  readonly packetSize: number
}

export interface UsbInterfaceLike {
  readonly interfaceNumber: number
  readonly alternate: { readonly interfaceClass: number; readonly endpoints: readonly UsbEndpointLike[] }
}

export interface UsbScannerDevice {
  readonly vendorId: number
  readonly productId: number
  readonly serialNumber?: string | null
  readonly opened: boolean
  readonly configuration?: { readonly interfaces: readonly UsbInterfaceLike[] } | null
  open(): Promise<void>
  close(): Promise<void>
  claimInterface(interfaceNumber: number): Promise<void>
  releaseInterface(interfaceNumber: number): Promise<void>
  /** Resolves with the next input report; rejects when the device goes away or is closed. */
  transferIn(endpointNumber: number, length: number): Promise<{ readonly status?: string; readonly data?: DataView }>
  /** Linux: the kernel's usbhid holds HID interfaces until detached (usb 3 only). */
  detachKernelDriver?(interfaceNumber: number): Promise<void>
  /** A control transfer (HID class requests such as SET_PROTOCOL). */
  controlTransferOut?(setup: UsbControlSetup, data?: ArrayBuffer | ArrayBufferView): Promise<{ readonly status?: string }>
}

export interface UsbControlSetup {
  requestType: 'standard' | 'class' | 'vendor'
  recipient: 'device' | 'interface' | 'endpoint' | 'other'
  request: number
  value: number
  index: number
}

/** A `connect` / `disconnect` event of WebUSB (`usb` 3's `USBConnectionEvent`). */
export interface UsbConnectionEventLike {
  readonly type: string
  readonly device: UsbScannerDevice
}

/** `usb` 3's `usb` (WebUSB) object, or hw-sim's `SimUsbBus`. */
export interface UsbDeviceSource {
  getDevices(): Promise<readonly UsbScannerDevice[]>
  /** Hot-plug (WebUSB `connect` / `disconnect` events); a source without them is polled. */
  addEventListener?(type: 'connect' | 'disconnect', listener: (event: UsbConnectionEventLike) => void): void
  removeEventListener?(type: 'connect' | 'disconnect', listener: (event: UsbConnectionEventLike) => void): void
}

/** HID class request SET_PROTOCOL (HID 1.11 §7.2.6); value 0 selects the boot protocol. */
export const HID_SET_PROTOCOL = 0x0b
export const HID_BOOT_PROTOCOL = 0

export const HID_CLASS = 0x03

/**
 * All devices of a source; a source that cannot enumerate (here: `/sys/bus/usb` missing, so
 * usb 3's `getDevices()` rejects) has no devices — it is not an error for the caller.
 */
export async function listUsbDevices(source: UsbDeviceSource, onError?: (err: unknown) => void): Promise<readonly UsbScannerDevice[]> {
  try {
    return await source.getDevices()
  } catch (err) {
    onError?.(err)
    return []
  }
}

export function formatUsbId(vendorId: number, productId: number): string {
  return `${hex4(vendorId)}:${hex4(productId)}`
}

/** `usb://VID:PID` URIs of the HID devices a source has (for a settings page's "detected" list). */
export async function discoverUsbScanners(source: UsbDeviceSource): Promise<Array<{ uri: string; vendorId: number; productId: number; serialNumber: string | null }>> {
  const devices = await listUsbDevices(source)
  return devices
    .filter((d) => !d.configuration || d.configuration.interfaces.some((i) => i.alternate.interfaceClass === HID_CLASS))
    .map((d) => ({ uri: `usb://${formatUsbId(d.vendorId, d.productId)}`, vendorId: d.vendorId, productId: d.productId, serialNumber: d.serialNumber ?? null }))
}

/** The real bus: `usb` 3 loaded lazily, so that a machine without libusb use never loads it. */
export async function systemUsbSource(): Promise<UsbDeviceSource> {
  const { usb } = await import('usb')
  return usb
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0')
}
