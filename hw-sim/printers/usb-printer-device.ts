import type { Duplex } from 'node:stream'
import type { UsbDeviceLike, UsbDeviceSource } from '../../src/drivers/transports/usb-transport.ts'
import type { PrinterSim } from './printer-sim.ts'

/**
 * A USB printer-class device (class 0x07, bulk OUT 1 / bulk IN 2) in front of a hw-sim printer:
 * satisfies the structural `UsbDeviceLike` the UsbTransport uses, so the USB path is tested
 * without /dev/bus/usb. Claiming the interface opens an in-process connection to the simulator.
 */
export class SimUsbPrinterDevice implements UsbDeviceLike {
  opened = false
  claimed = false
  kernelDriverDetached = false
  private conn: Duplex | undefined
  private readonly inbox: Buffer[] = []
  private waiter: (() => void) | undefined

  constructor(
    readonly sim: PrinterSim,
    readonly vendorId = 0x0a5f,
    readonly productId = 0x00d3,
  ) {}

  readonly configuration: USBConfiguration = {
    configurationValue: 1,
    configurationName: null,
    interfaces: [
      {
        interfaceNumber: 0,
        claimed: false,
        alternate: undefined as unknown as USBAlternateInterface,
        alternates: [
          {
            alternateSetting: 0,
            interfaceClass: 0x07,
            interfaceSubclass: 0x01,
            interfaceProtocol: 0x02,
            interfaceName: null,
            endpoints: [
              { endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: 64 },
              { endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: 64 },
            ],
          },
        ],
      },
    ],
  }

  async open(): Promise<void> {
    this.opened = true
  }
  async close(): Promise<void> {
    this.opened = false
  }
  async selectConfiguration(): Promise<void> {}
  async detachKernelDriver(): Promise<void> {
    this.kernelDriverDetached = true
  }
  async claimInterface(n: number): Promise<void> {
    if (n !== 0) throw new Error(`no interface ${n}`)
    this.claimed = true
    this.conn = this.sim.connect()
    this.conn.on('data', (c: Buffer) => {
      this.inbox.push(c)
      this.waiter?.()
    })
    this.conn.on('error', () => {})
    this.conn.on('close', () => this.waiter?.())
  }
  async releaseInterface(): Promise<void> {
    this.claimed = false
    this.conn?.end()
    this.conn = undefined
    this.waiter?.()
  }
  async transferOut(ep: number, data: Uint8Array): Promise<{ bytesWritten: number; status: USBTransferStatus }> {
    const conn = this.conn
    if (ep !== 1 || !conn || conn.destroyed) throw new Error('LIBUSB_ERROR_NO_DEVICE')
    await new Promise<void>((res, rej) => conn.write(data, (e) => (e ? rej(e) : res())))
    return { bytesWritten: data.length, status: 'ok' }
  }
  async transferIn(ep: number, length: number): Promise<{ data?: DataView; status: USBTransferStatus }> {
    if (ep !== 2) throw new Error('bad endpoint')
    while (this.inbox.length === 0) {
      if (!this.conn || this.conn.destroyed) throw new Error('LIBUSB_TRANSFER_CANCELLED')
      await new Promise<void>((r) => (this.waiter = r))
      this.waiter = undefined
    }
    const chunk = this.inbox.shift()!
    const part = chunk.subarray(0, length)
    if (chunk.length > length) this.inbox.unshift(chunk.subarray(length))
    return { data: new DataView(part.buffer, part.byteOffset, part.byteLength), status: 'ok' }
  }
}

/** A device source listing the given simulated devices. */
export function simUsbSource(...devices: UsbDeviceLike[]): UsbDeviceSource {
  return { getDevices: async () => devices }
}
