import { afterEach, describe, expect, it } from 'vitest'
import { UsbScanner, type UsbScannerOptions } from '../../../src/drivers/scanners/usb-scanner.ts'
import type { RejectedScanEvent, ScanEvent } from '../../../src/drivers/scanners/scanner.ts'
import { hidPosReports, keyboardReports, SimUsbBus, SimUsbScannerDevice } from '../../../hw-sim/scanners/usb-scanner-sim.ts'
import { ManualClock } from '../../../hw-sim/scanners/manual-clock.ts'
import { collect, next, until } from './wait.ts'
import { pino } from 'pino'

/** These tests read the scanners' events, not their log lines. */
const quiet = pino({ level: 'silent' })

const scanners: UsbScanner[] = []
afterEach(async () => {
  await Promise.all(scanners.splice(0).map((s) => s.close()))
})

function open(bus: SimUsbBus, options: Partial<UsbScannerOptions> = {}): UsbScanner {
  const scanner = new UsbScanner({ log: quiet,  name: 'quirks', vendorId: 0x05e0, productId: 0x1200, mode: 'keyboard', layout: 'us', source: bus, backoff: { initialMs: 10, maxMs: 80 }, ...options })
  scanners.push(scanner)
  return scanner
}

describe('UsbScanner, keyboard scanners as real devices behave', () => {
  it('when a scanner’s Caps Lock repeats through a scan, or it taps Caps Lock around each scan, then every scan reads exactly', async () => {
    const bus = new SimUsbBus()
    const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200 }))
    const scanner = open(bus)
    await scanner.open()
    const scans = collect<ScanEvent>(scanner, 'scan')
    const rejected = collect<RejectedScanEvent>(scanner, 'rejected')
    device.scan('PO-000123', { capsLock: 'repeat' })
    device.scan('C-000001', { capsLock: 'tap' })
    device.scan('S-000002')
    await until(() => scans.length + rejected.length === 3)
    expect(rejected).toEqual([])
    expect(scans.map((s) => s.data)).toEqual(['PO-000123', 'C-000001', 'S-000002'])
  })

  it('when a partial line is left without Enter, then after an idle gap it is dropped and reported, and the next scan reads alone', async () => {
    const clock = new ManualClock()
    const bus = new SimUsbBus()
    const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200 }))
    const scanner = open(bus, { timers: clock, clock })
    await scanner.open()
    const scans = collect<ScanEvent>(scanner, 'scan')
    const rejected = collect<RejectedScanEvent>(scanner, 'rejected')
    device.send(keyboardReports('C-00', 'us', { terminator: 'none' }))
    await until(() => clock.timerCount === 1, 5000, 'the partial line in the framer')
    clock.advance(999)
    expect(rejected).toHaveLength(0)
    clock.advance(1)
    expect(rejected).toHaveLength(1)
    expect(rejected[0]).toMatchObject({ raw: 'C-00', error: { code: 'SCAN_INVALID', reason: 'incomplete' } })
    device.scan('C-000001')
    await until(() => scans.length === 1)
    expect(scans.map((s) => s.data)).toEqual(['C-000001'])
    expect(rejected).toHaveLength(1)
  })

  const numbered = [
    { when: 'the keyboard interface numbers its reports', then: 'the driver selects the boot protocol and reads every scan', refuse: false, uri: {}, protocol: 'boot' },
    { when: 'the interface refuses SET_PROTOCOL and numbers its reports', then: 'reportId from the URI reads them', refuse: true, uri: { reportId: 1 }, protocol: 'report' },
  ] as const
  for (const c of numbered) {
    it(`when ${c.when}, then ${c.then}`, async () => {
      const bus = new SimUsbBus()
      const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200, reportId: 1, refuseSetProtocol: c.refuse }))
      const scanner = open(bus, c.uri)
      await scanner.open()
      expect(device.protocol).toBe(c.protocol)
      const scan = next<ScanEvent>(scanner, 'scan')
      device.scan('C-000042')
      expect((await scan).data).toBe('C-000042')
    })
  }

  it('when a scanner sends GS as an Alt code (left Alt + keypad 0029), then the scan holds GS, not the digits', async () => {
    const bus = new SimUsbBus()
    const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200, layout: 'de' }))
    const scanner = open(bus, { layout: 'de' })
    await scanner.open()
    const scan = next<ScanEvent>(scanner, 'scan')
    device.scan('0109501101020917\u001d10ABC', { altCodes: true })
    expect((await scan).data).toBe('0109501101020917\u001d10ABC')
  })

  it('when the device is unplugged and plugged back, then the connect event reopens it at once, not at the next backoff retry', async () => {
    const bus = new SimUsbBus()
    const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200 }))
    // A backoff far longer than the test: only the usb connect event can bring it back in time.
    const scanner = open(bus, { backoff: { initialMs: 600_000, maxMs: 600_000 } })
    await scanner.open()
    bus.unplug(device)
    await until(() => !scanner.state().connected, 5000, 'disconnected')
    bus.plug(device)
    await until(() => scanner.state().connected, 5000, 'connected again through the connect event')
    expect(scanner.state().reconnects).toBe(1)
    const scan = next<ScanEvent>(scanner, 'scan')
    device.scan('C-000007')
    expect((await scan).data).toBe('C-000007')
  })
})

describe('UsbScanner, HID-POS reads cut short', () => {
  /** A HID-POS scanner open on the bus, with the first report of a two-report read sent. */
  async function firstOfTwoSent() {
    const bus = new SimUsbBus()
    const device = bus.plug(new SimUsbScannerDevice({ vendorId: 0x0c2e, productId: 0x0b61, mode: 'hidpos' }))
    const scanner = open(bus, { vendorId: 0x0c2e, productId: 0x0b61, mode: 'hidpos' })
    await scanner.open()
    const rejected = collect<RejectedScanEvent>(scanner, 'rejected')
    const scans = collect<ScanEvent>(scanner, 'scan')
    device.send(hidPosReports('L'.repeat(100), { aimId: ']C0' }).slice(0, 1))
    return { bus, device, rejected, scans }
  }

  it('when the scanner is unplugged in the middle of a multi-report read, then the cut read is reported as incomplete', async () => {
    const { bus, device, rejected, scans } = await firstOfTwoSent()
    // The first report is taken once the driver waits for the next one.
    await until(() => device.transferPending, 5000, 'the first report read')
    bus.unplug(device)
    await until(() => rejected.length === 1, 5000, 'the cut read reported')
    expect(rejected[0]).toMatchObject({ error: { code: 'SCAN_INVALID', reason: 'incomplete' }, rawLength: 3 + 56 })
    expect(scans).toHaveLength(0)
  })

  it('when a transfer ends with a status other than ok, then the read under way is reported and the next read is not appended to it', async () => {
    const { device, rejected, scans } = await firstOfTwoSent()
    device.failTransfer('stall')
    device.send(hidPosReports('PO-000123', { aimId: ']C0' }))
    await until(() => scans.length === 1 && rejected.length === 1, 5000, 'one refusal and one scan')
    expect(rejected[0]).toMatchObject({ error: { code: 'SCAN_INVALID', reason: 'incomplete' } })
    expect(scans.map((s) => s.data)).toEqual(['PO-000123'])
  })
})
