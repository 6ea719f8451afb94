import { open, type FileHandle } from 'node:fs/promises'
import { Duplex, Readable } from 'node:stream'
import { StreamTransport, type StreamTransportOptions } from './stream-transport.ts'
import type { Transport } from './transport.ts'
import {
  TransportClosedError,
  TransportUnavailableError,
  TransportUnsupportedError,
  TransportWriteError,
} from './transport-errors.ts'

/** USB printer class (USB.org class code 0x07). */
export const USB_PRINTER_CLASS = 0x07

/**
 * The slice of a WebUSB device this transport uses. usb 3's devices (`webusb.getDevices()`)
 * satisfy it; hw-sim / tests implement it in-process.
 */
export interface UsbDeviceLike {
  readonly vendorId: number
  readonly productId: number
  readonly opened: boolean
  readonly configuration: USBConfiguration | null | undefined
  open(): Promise<void>
  close(): Promise<void>
  selectConfiguration(configurationValue: number): Promise<void>
  claimInterface(interfaceNumber: number): Promise<void>
  releaseInterface(interfaceNumber: number): Promise<void>
  transferOut(endpointNumber: number, data: Uint8Array): Promise<{ bytesWritten: number; status: USBTransferStatus }>
  transferIn(endpointNumber: number, length: number): Promise<{ data?: DataView; status: USBTransferStatus }>
  /** Linux: usblp holds the interface until detached (usb 3 offers it). */
  detachKernelDriver?(interfaceNumber: number): Promise<void>
}

export interface UsbDeviceSource {
  getDevices(): Promise<UsbDeviceLike[]>
}

export interface UsbTransportOptions extends StreamTransportOptions {
  /** Where devices come from. Default: usb 3's `webusb`. A rejecting getDevices() means "no devices". */
  source?: UsbDeviceSource
  /** Largest bulk OUT transfer. Default 16 KiB. */
  chunkSize?: number
}

interface PrinterInterface {
  interfaceNumber: number
  out: number
  in: number | undefined
}

/** Finds the printer-class interface with a bulk OUT endpoint (and bulk IN, if bidirectional). */
export function findPrinterInterface(config: USBConfiguration | null | undefined): PrinterInterface | undefined {
  for (const iface of config?.interfaces ?? []) {
    for (const alt of iface.alternates ?? [iface.alternate]) {
      if (!alt || alt.interfaceClass !== USB_PRINTER_CLASS) continue
      const out = alt.endpoints.find((e) => e.direction === 'out' && e.type === 'bulk')
      if (!out) continue
      const inn = alt.endpoints.find((e) => e.direction === 'in' && e.type === 'bulk')
      return { interfaceNumber: iface.interfaceNumber, out: out.endpointNumber, in: inn?.endpointNumber }
    }
  }
  return undefined
}

/**
 * `usb://VID:PID` through WebUSB (usb 3): claims the printer-class interface (detaching the
 * kernel's usblp first), writes on its bulk OUT endpoint and reads replies on bulk IN.
 */
export class UsbTransport extends StreamTransport {
  private readonly chunkSize: number
  private device: UsbDeviceLike | undefined
  private iface: PrinterInterface | undefined

  constructor(
    uri: string,
    readonly vendorId: number,
    readonly productId: number,
    private readonly opts: UsbTransportOptions = {},
  ) {
    super(uri, opts)
    this.chunkSize = opts.chunkSize ?? 16 * 1024
  }

  protected async connect(signal?: AbortSignal): Promise<Duplex> {
    const source = this.opts.source ?? (await defaultSource(this.uri))
    let devices: UsbDeviceLike[]
    try {
      devices = await source.getDevices()
    } catch {
      devices = [] // no /sys/bus/usb, no permission: no devices
    }
    signal?.throwIfAborted()
    const device = devices.find((d) => d.vendorId === this.vendorId && d.productId === this.productId)
    if (!device) throw new TransportUnavailableError(this.uri, `no USB device ${hex4(this.vendorId)}:${hex4(this.productId)} connected`)
    try {
      if (!device.opened) await device.open()
      if (!device.configuration) await device.selectConfiguration(1)
      const iface = findPrinterInterface(device.configuration)
      if (!iface) throw new Error('no printer-class interface with a bulk OUT endpoint')
      await device.detachKernelDriver?.(iface.interfaceNumber).catch(() => {}) // not attached: fine
      await device.claimInterface(iface.interfaceNumber)
      this.device = device
      this.iface = iface
      return new UsbDuplex(device, iface, this.chunkSize)
    } catch (err) {
      await device.close().catch(() => {})
      throw new TransportUnavailableError(this.uri, `cannot claim USB printer ${this.uri}: ${(err as Error).message}`, err)
    }
  }

  protected override async disconnect(stream: Duplex): Promise<void> {
    await new Promise<void>((resolve) => stream.end(resolve))
    stream.destroy()
    const device = this.device
    const iface = this.iface
    this.device = undefined
    if (device && iface) {
      await device.releaseInterface(iface.interfaceNumber).catch(() => {})
      await device.close().catch(() => {})
    }
  }
}

class UsbDuplex extends Duplex {
  private reading = false

  constructor(
    private readonly device: UsbDeviceLike,
    private readonly iface: PrinterInterface,
    private readonly chunkSize: number,
  ) {
    super({ allowHalfOpen: true })
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    void (async () => {
      for (let off = 0; off < chunk.length; off += this.chunkSize) {
        const part = chunk.subarray(off, off + this.chunkSize)
        const r = await this.device.transferOut(this.iface.out, part)
        if (r.status !== 'ok' || r.bytesWritten !== part.length) throw new Error(`bulk OUT ${r.status}, ${r.bytesWritten}/${part.length} bytes`)
      }
    })().then(() => cb(), (err: Error) => cb(err))
  }

  override _read(): void {
    if (this.reading || this.iface.in === undefined) return
    this.reading = true
    void (async () => {
      while (!this.destroyed) {
        try {
          const r = await this.device.transferIn(this.iface.in!, 512)
          if (r.status === 'ok' && r.data && r.data.byteLength > 0) {
            this.push(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength))
          }
        } catch (err) {
          if (!this.destroyed) this.destroy(err as Error)
          return
        }
      }
    })()
  }
}

async function defaultSource(uri: string): Promise<UsbDeviceSource> {
  try {
    const { webusb } = await import('usb')
    return webusb as unknown as UsbDeviceSource
  } catch (err) {
    throw new TransportUnavailableError(uri, `USB support unavailable: ${(err as Error).message}`, err)
  }
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0')
}

/**
 * `usb:/dev/usb/lp0`: the kernel's usblp character device. Write-only here (the kernel's
 * read side is not used); a missing or busy device is TransportUnavailableError.
 */
export class UsbLpTransport implements Transport {
  readonly bidirectional = false
  readonly incoming: Readable = new Readable({ read() {} })
  private handle: FileHandle | undefined

  constructor(
    readonly uri: string,
    readonly path: string,
  ) {}

  async open(signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted()
    if (this.handle) return
    try {
      this.handle = await open(this.path, 'r+')
    } catch (err) {
      throw new TransportUnavailableError(this.uri, `cannot open ${this.path}: ${(err as Error).message}`, err)
    }
  }

  async write(data: Uint8Array): Promise<void> {
    if (!this.handle) throw new TransportClosedError(this.uri, `transport not open (${this.uri})`)
    try {
      let off = 0
      while (off < data.length) off += (await this.handle.write(data, off)).bytesWritten
    } catch (err) {
      throw new TransportWriteError(this.uri, `write failed: ${(err as Error).message}`, err)
    }
  }

  async request(): Promise<Uint8Array> {
    throw new TransportUnsupportedError(this.uri, 'request()')
  }

  async close(): Promise<void> {
    const h = this.handle
    this.handle = undefined
    await h?.close()
  }
}
