import { afterEach, describe, expect, it } from 'vitest'
import { SerialScanner } from '../../../src/drivers/scanners/serial-scanner.ts'
import type { RejectedScanEvent, ScanEvent } from '../../../src/drivers/scanners/scanner.ts'
import { MockSerialBus } from '../../../hw-sim/scanners/mock-serial-scanner-sim.ts'
import { collect, failedRetries, next, until } from './wait.ts'
import { pino } from 'pino'

/** These tests read the scanners' events, not their log lines. */
const quiet = pino({ level: 'silent' })

const bus = new MockSerialBus()
let counter = 0
const scanners: SerialScanner[] = []
afterEach(async () => {
  await Promise.all(scanners.splice(0).map((s) => s.close()))
})

function setup(framing = {}) {
  const path = `/dev/mock-scanner-${++counter}`
  const device = bus.device(path)
  const scanner = new SerialScanner({ log: quiet,  name: `mock-${counter}`, station: 'front', path, baudRate: 9600, binding: bus.binding, framing, backoff: { initialMs: 10, maxMs: 80 } })
  scanners.push(scanner)
  return { device, scanner }
}

describe('SerialScanner on SerialPortMock', () => {
  it('when a scan arrives split mid-frame, then one scan event comes out with symbology and station', async () => {
    const { device, scanner } = setup()
    await scanner.open()
    expect(scanner.state().connected).toBe(true)
    const scan = next<ScanEvent>(scanner, 'scan')
    expect(device.scan('PO-000123', { aimId: ']C0' }, [2, 3])).toBe(true)
    expect(await scan).toMatchObject({ scanner: scanner.name, station: 'front', data: 'PO-000123', symbology: 'Code 128', aimId: ']C0' })
    expect(scanner.state().lastScanAt).toBeTypeOf('number')
  })

  it('when a prefix and suffix are configured, then they are removed', async () => {
    const { device, scanner } = setup({ prefix: '>', suffix: '<' })
    await scanner.open()
    const scan = next<ScanEvent>(scanner, 'scan')
    device.scan('C-000001', { prefix: '>', suffix: '<', terminator: '' }, [1])
    expect((await scan).data).toBe('C-000001')
  })

  it('when garbage arrives, then a rejected event reports it and the next scan still reads', async () => {
    const { device, scanner } = setup()
    await scanner.open()
    const rejected = next<RejectedScanEvent>(scanner, 'rejected')
    device.garbage()
    const r = await rejected
    expect(r.error.code).toBe('SCAN_INVALID')
    expect(r.raw).toMatch(/\\x/)
    const scan = next<ScanEvent>(scanner, 'scan')
    device.scan('S-000007')
    expect((await scan).data).toBe('S-000007')
  })

  it('when the scanner double-reads, then both reads are emitted (debouncing is the route layer’s)', async () => {
    const { device, scanner } = setup()
    await scanner.open()
    const scans = collect<ScanEvent>(scanner, 'scan')
    device.doubleRead('PO-000001')
    await until(() => scans.length === 2)
    expect(scans.map((s) => s.data)).toEqual(['PO-000001', 'PO-000001'])
  })

  it('when the scanner is unplugged mid-scan and plugged back, then the cut scan is reported, state shows the loss, and scans resume without a restart', async () => {
    const { device, scanner } = setup()
    await scanner.open()
    const rejected = next<RejectedScanEvent>(scanner, 'rejected')
    device.write('PO-0')
    await new Promise((r) => setTimeout(r, 10))
    device.unplug()
    expect((await rejected).error.reason).toBe('incomplete')
    await until(() => !scanner.state().connected, 2000, 'disconnect')
    expect(scanner.state().lastError?.code).toBe('SCANNER_DISCONNECTED')
    await failedRetries(() => scanner.state(), 2) // a few failed retries while unplugged
    expect(scanner.state().connected).toBe(false)
    device.replug()
    await until(() => scanner.state().connected, 2000, 'reconnect')
    expect(scanner.state().reconnects).toBe(1)
    const scan = next<ScanEvent>(scanner, 'scan')
    device.scan('PO-000002')
    expect((await scan).data).toBe('PO-000002')
  })

  it('when the port is missing at open, then open resolves disconnected and the scanner connects once it appears', async () => {
    const { device, scanner } = setup()
    device.unplug()
    await scanner.open()
    expect(scanner.state()).toMatchObject({ connected: false, reconnects: 0, lastError: { code: 'SCANNER_UNAVAILABLE' } })
    device.replug()
    await until(() => scanner.state().connected, 2000, 'first connect')
    expect(scanner.state().reconnects).toBe(0)
  })

  it('when closed, then it releases the port and stops retrying', async () => {
    const { device, scanner } = setup()
    await scanner.open()
    await scanner.close()
    expect(device.opened).toBe(false)
    expect(scanner.state().connected).toBe(false)
    expect(device.write('C-1\r')).toBe(false)
  })
})
