import { afterEach, describe, expect, it } from 'vitest'
import { UsbScanner } from '../../../src/drivers/scanners/usb-scanner.ts'
import { discoverUsbScanners, listUsbDevices, systemUsbSource } from '../../../src/drivers/scanners/usb-device.ts'
import type { RejectedScanEvent, ScanEvent } from '../../../src/drivers/scanners/scanner.ts'
import { SimUsbBus, SimUsbScannerDevice } from '../../../hw-sim/scanners/usb-scanner-sim.ts'
import { collect, next, until } from './wait.ts'
import { pino } from 'pino'

/** These tests read the scanners' events, not their log lines. */
const quiet = pino({ level: 'silent' })

const scanners: UsbScanner[] = []
afterEach(async () => {
  await Promise.all(scanners.splice(0).map((s) => s.close()))
})

function keyboardScanner(bus: SimUsbBus, layout: 'us' | 'uk' | 'de', extra: Partial<ConstructorParameters<typeof UsbScanner>[0]> = {}) {
  const scanner = new UsbScanner({ log: quiet,  name: `kbd-${layout}`, vendorId: 0x05e0, productId: 0x1200, mode: 'keyboard', layout, source: bus, backoff: { initialMs: 10, maxMs: 80 }, ...extra })
  scanners.push(scanner)
  return scanner
}

describe('UsbScanner, keyboard emulation, against hw-sim reports', () => {
  for (const layout of ['us', 'uk', 'de'] as const) {
    it(`when a ${layout.toUpperCase()} scanner is read with layout=${layout}, then the scan is what was printed`, async () => {
      const bus = new SimUsbBus()
      const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200, layout }))
      const scanner = keyboardScanner(bus, layout)
      await scanner.open()
      expect(scanner.state().connected).toBe(true)
      expect(device.kernelDriverDetached).toBe(true)
      const scan = next<ScanEvent>(scanner, 'scan')
      device.scan('PO-000123-ZY')
      expect((await scan).data).toBe('PO-000123-ZY')
    })
  }

  it('when a DE scanner is read with the default US layout, then the scan is garbled; with layout=de it is right', async () => {
    const bus = new SimUsbBus()
    const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200, layout: 'de' }))
    const wrong = keyboardScanner(bus, 'us')
    await wrong.open()
    let scan = next<ScanEvent>(wrong, 'scan')
    device.scan('PO-000123-ZY')
    expect((await scan).data).toBe('PO/000123/YZ')
    await wrong.close()
    const right = keyboardScanner(bus, 'de')
    await right.open()
    scan = next<ScanEvent>(right, 'scan')
    device.scan('PO-000123-ZY')
    expect((await scan).data).toBe('PO-000123-ZY')
  })

  it('when the scanner sends a Tab terminator or none (inter-byte timeout), then the scan still ends', async () => {
    const bus = new SimUsbBus()
    const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200 }))
    const scanner = keyboardScanner(bus, 'us', { framing: { interByteTimeoutMs: 30 } })
    await scanner.open()
    const scans = collect<ScanEvent>(scanner, 'scan')
    device.scan('C-000001', { terminator: 'tab' })
    device.scan('C-000002', { terminator: 'none' })
    await until(() => scans.length === 2)
    expect(scans.map((s) => s.data)).toEqual(['C-000001', 'C-000002'])
  })

  it('when the scanner sends unknown key codes, then the scan is rejected, and the next reads', async () => {
    const bus = new SimUsbBus()
    const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200 }))
    const scanner = keyboardScanner(bus, 'us')
    await scanner.open()
    const rejected = next<RejectedScanEvent>(scanner, 'rejected')
    device.garbage()
    expect((await rejected).error.code).toBe('SCAN_INVALID')
    const scan = next<ScanEvent>(scanner, 'scan')
    device.scan('S-1')
    expect((await scan).data).toBe('S-1')
  })

  it('when the device is unplugged and plugged back, then the scanner reconnects and resumes', async () => {
    const bus = new SimUsbBus()
    const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200 }))
    const scanner = keyboardScanner(bus, 'us')
    await scanner.open()
    bus.unplug(device)
    await until(() => !scanner.state().connected, 2000, 'disconnect')
    expect(scanner.state().lastError?.code).toBe('SCANNER_DISCONNECTED')
    bus.plug(device)
    await until(() => scanner.state().connected, 2000, 'reconnect')
    expect(scanner.state().reconnects).toBe(1)
    const scan = next<ScanEvent>(scanner, 'scan')
    device.scan('PO-9')
    expect((await scan).data).toBe('PO-9')
  })
})

describe('UsbScanner, keyboard emulation, unplugged mid-scan', () => {
  it('when the device goes away in the middle of a scan, then the cut scan is reported as incomplete', async () => {
    const bus = new SimUsbBus()
    const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200 }))
    const scanner = keyboardScanner(bus, 'us')
    await scanner.open()
    const rejected = next<RejectedScanEvent>(scanner, 'rejected')
    device.scan('PO-0', { terminator: 'none' })
    await new Promise((r) => setTimeout(r, 10))
    bus.unplug(device)
    expect(await rejected).toMatchObject({ error: { reason: 'incomplete' }, raw: 'PO-0' })
  })
})

describe('UsbScanner, HID-POS', () => {
  it('when a long read spans reports with continuation, then one scan comes out with its symbology', async () => {
    const bus = new SimUsbBus()
    const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x0c2e, productId: 0x0b61, mode: 'hidpos' }))
    const scanner = new UsbScanner({ log: quiet,  name: 'pos', vendorId: 0x0c2e, productId: 0x0b61, mode: 'hidpos', source: bus })
    scanners.push(scanner)
    await scanner.open()
    const data = '0109501101020917\u001d10' + 'L'.repeat(120)
    const scan = next<ScanEvent>(scanner, 'scan')
    device.scan(data, { aimId: ']d2' })
    expect(await scan).toMatchObject({ data, symbology: 'GS1 DataMatrix', aimId: ']d2' })
    const rejected = next<RejectedScanEvent>(scanner, 'rejected')
    device.garbage()
    expect((await rejected).error.reason).toBe('control-byte')
  })
})

describe('USB discovery', () => {
  it('when the bus cannot be enumerated (no /sys/bus/usb), then there are no devices and the scanner waits', async () => {
    const bus = new SimUsbBus({ noBus: true })
    expect(await listUsbDevices(bus)).toEqual([])
    const scanner = keyboardScanner(bus, 'us')
    await scanner.open()
    expect(scanner.state()).toMatchObject({ connected: false, lastError: { code: 'SCANNER_UNAVAILABLE' } })
  })

  it('when the real usb 3 bus is asked on this machine, then it answers with a list (empty here) instead of throwing', async () => {
    const source = await systemUsbSource()
    expect(Array.isArray(await listUsbDevices(source))).toBe(true)
  })

  it('when HID devices are on the bus, then they are listed as usb://VID:PID URIs', async () => {
    const bus = new SimUsbBus()
    bus.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200, serialNumber: 'S1' }))
    expect(await discoverUsbScanners(bus)).toEqual([{ uri: 'usb://05e0:1200', vendorId: 0x05e0, productId: 0x1200, serialNumber: 'S1' }])
  })
})
