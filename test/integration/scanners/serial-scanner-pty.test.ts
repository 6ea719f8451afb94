import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SerialScanner } from '../../../src/drivers/scanners/serial-scanner.ts'
import { ScannerHub } from '../../../src/drivers/scanners/scanner-hub.ts'
import type { RejectedScanEvent, ScanEvent } from '../../../src/drivers/scanners/scanner.ts'
import { PtySerialScannerSim } from '../../../hw-sim/scanners/pty-serial-scanner-sim.ts'
import { commandPeer } from '../../support/peers.ts'
import { collect, failedRetries, next, until } from './wait.ts'
import { pino } from 'pino'

/** These tests read the scanners' events, not their log lines. */
const quiet = pino({ level: 'silent' })

const hasSocat = commandPeer('socat', 'socat')

describe.skipIf(!hasSocat)('SerialScanner over a real socat pty', () => {
  let sim: PtySerialScannerSim
  let scanner: SerialScanner

  beforeAll(async () => {
    sim = await PtySerialScannerSim.start()
    scanner = new SerialScanner({ log: quiet,  name: 'pty-1', path: sim.path, baudRate: 9600, backoff: { initialMs: 20, maxMs: 200 } })
    await scanner.open()
  })
  afterAll(async () => {
    await scanner?.close()
    await sim?.dispose()
  })

  it('when a scan is written in pieces with gaps, then one scan comes out', async () => {
    expect(scanner.state().connected).toBe(true)
    const scan = next<ScanEvent>(scanner, 'scan')
    await sim.scan('INV-000321', { aimId: ']C0', terminator: '\r\n' }, [3, 4], 10)
    expect(await scan).toMatchObject({ data: 'INV-000321', symbology: 'Code 128' })
  })

  it('when every terminator is used in turn, then each scan is read once', async () => {
    const scans = collect<ScanEvent>(scanner, 'scan')
    for (const terminator of ['\r', '\n', '\r\n', '\t']) await sim.scan(`C-00000${terminator.length}`, { terminator })
    await until(() => scans.length === 4, 3000, 'four scans')
    expect(scans.map((s) => s.data)).toEqual(['C-000001', 'C-000001', 'C-000002', 'C-000001'])
  })

  it('when garbage comes over the line, then it is reported as rejected', async () => {
    const rejected = next<RejectedScanEvent>(scanner, 'rejected')
    await sim.garbage()
    expect((await rejected).error.code).toBe('SCAN_INVALID')
  })

  it('when socat is killed (unplug) and started again at the same link, then the scanner reconnects and resumes without a restart', async () => {
    const lost = until(() => !scanner.state().connected, 5000, 'disconnect')
    await sim.unplug()
    await lost
    expect(scanner.state().lastError?.code).toBe('SCANNER_DISCONNECTED')
    await failedRetries(() => scanner.state(), 2) // retries fail while the link is gone
    expect(scanner.state().connected).toBe(false)
    await sim.replug()
    await until(() => scanner.state().connected, 5000, 'reconnect')
    expect(scanner.state().reconnects).toBe(1)
    const scan = next<ScanEvent>(scanner, 'scan')
    await sim.scan('PO-000777')
    expect((await scan).data).toBe('PO-000777')
  })
})

describe.skipIf(!hasSocat)('ScannerHub with a serial: URI on a socat pty', () => {
  it('when a scanner is added by URI with a suffix, then scans and state come through the hub, and survive an unplug', async () => {
    const sim = await PtySerialScannerSim.start()
    const hub = new ScannerHub({ log: quiet,  backoff: { initialMs: 20, maxMs: 200 } })
    try {
      const state = await hub.add({ name: 'lab-out-1', station: 'lab-out', uri: `serial:${sim.path}?baud=19200&suffix=%23` })
      expect(state.connected).toBe(true)
      const scan = next<ScanEvent>(hub, 'scan')
      await sim.scan('PO-000001', { suffix: '#', terminator: '' }, [4])
      expect(await scan).toMatchObject({ scanner: 'lab-out-1', station: 'lab-out', data: 'PO-000001' })
      const states = collect<{ scanner: string; connected: boolean }>(hub, 'state')
      await sim.unplug()
      await until(() => states.some((s) => !s.connected), 5000, 'lost state event')
      await sim.replug()
      await until(() => hub.state('lab-out-1')?.connected === true, 5000, 'reconnect')
      const again = next<ScanEvent>(hub, 'scan')
      await sim.scan('PO-000002', { suffix: '#', terminator: '' })
      expect((await again).data).toBe('PO-000002')
      expect(hub.list()[0]).toMatchObject({ name: 'lab-out-1', station: 'lab-out', state: { connected: true, reconnects: 1 } })
    } finally {
      await hub.close()
      await sim.dispose()
    }
  })
})
