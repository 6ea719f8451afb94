import { describe, expect, it } from 'vitest'
import { ZplPrinterSim } from '../../../hw-sim/printers/zpl-printer-sim.ts'
import { SimUsbPrinterDevice, simUsbSource } from '../../../hw-sim/printers/usb-printer-device.ts'
import { createPrinterDriver } from '../../../src/drivers/printers/create-printer-driver.ts'
import { UsbTransport } from '../../../src/drivers/transports/usb-transport.ts'
import { TransportUnavailableError } from '../../../src/drivers/transports/transport-errors.ts'
import { silentLog, zplLabel } from './support.ts'
import { eventually } from '../../support/poll.ts'

describe('UsbTransport', () => {
  it('when a printer-class device is there, then it detaches the kernel driver, claims, and ZPL status and labels go through', async () => {
    const sim = new ZplPrinterSim('usb-zebra')
    const device = new SimUsbPrinterDevice(sim)
    const driver = await createPrinterDriver({ name: 'usb-zebra', language: 'zpl', uri: 'usb://0a5f:00d3' }, { log: silentLog, usbSource: simUsbSource(device), raw: { statusTimeoutMs: 300 } })
    expect(await driver.probe()).toMatchObject({ state: 'idle', source: '~HS' })
    expect(device.kernelDriverDetached).toBe(true)
    const out = await driver.print({ id: 'u1', units: [zplLabel(1), zplLabel(2)] })
    expect(out).toMatchObject({ sentUnits: 2, confirmed: true })
    expect(sim.labels).toHaveLength(2)
    // Kept for the printer's next job for a moment (everything was confirmed), then released.
    expect(device.claimed).toBe(true)
    await eventually(() => !device.claimed, 5_000, 'the interface released after the keep-alive')
  })

  it('when getDevices() rejects (no /sys/bus/usb) or the device is absent, then TransportUnavailableError', async () => {
    const failing = new UsbTransport('usb://0a5f:00d3', 0x0a5f, 0x00d3, { source: { getDevices: () => Promise.reject(new Error('LIBUSB_ERROR_OTHER')) } })
    const err = await failing.open().catch((e) => e)
    expect(err).toBeInstanceOf(TransportUnavailableError)
    expect(err.message).toContain('0a5f:00d3')
    const other = new UsbTransport('usb://04b8:0202', 0x04b8, 0x0202, { source: simUsbSource(new SimUsbPrinterDevice(new ZplPrinterSim())) })
    expect(await other.open().catch((e) => e)).toBeInstanceOf(TransportUnavailableError)
  })

  it('when the real usb package is asked here, then open() fails as unavailable rather than crashing', async () => {
    const t = new UsbTransport('usb://0a5f:00d3', 0x0a5f, 0x00d3)
    expect(await t.open().catch((e) => e)).toBeInstanceOf(TransportUnavailableError)
  })
})
