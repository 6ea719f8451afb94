import { describe, expect, it } from 'vitest'
import { ScannerHub } from '../../../src/drivers/scanners/scanner-hub.ts'
import type { RejectedScanEvent, ScanEvent } from '../../../src/drivers/scanners/scanner.ts'
import { MockSerialBus } from '../../../hw-sim/scanners/mock-serial-scanner-sim.ts'
import { ManualClock } from '../../../hw-sim/scanners/manual-clock.ts'
import { SimScannerRegistry } from '../../../hw-sim/scanners/sim-scanner-registry.ts'
import { SimUsbBus, SimUsbScannerDevice } from '../../../hw-sim/scanners/usb-scanner-sim.ts'
import { collect, failedRetries, next, until } from './wait.ts'
import { pino } from 'pino'

/** These tests read the scanners' events, not their log lines. */
const quiet = pino({ level: 'silent' })

const backoff = { initialMs: 10, maxMs: 80 }

describe('ScannerHub', () => {
  it('when a sim:NAME scanner scans, then the hub emits {scanner, station, data, symbology, at}', async () => {
    const sim = new SimScannerRegistry()
    const desk = sim.create('desk', { aimId: ']C0' })
    const hub = new ScannerHub({ log: quiet,  sim, backoff })
    try {
      expect(await hub.add({ name: 'desk-1', station: 'front', uri: 'sim:desk' })).toMatchObject({ connected: true })
      const scan = next<ScanEvent>(hub, 'scan')
      desk.scan('C-000042', undefined, [1, 2])
      const event = await scan
      expect(event).toMatchObject({ scanner: 'desk-1', station: 'front', data: 'C-000042', symbology: 'Code 128' })
      expect(event.at).toBeTypeOf('number')
    } finally {
      await hub.close()
    }
  })

  it('when a rejected frame arrives, then the hub emits {scanner, error: {code, message}, raw}', async () => {
    const sim = new SimScannerRegistry()
    const desk = sim.create('desk')
    const hub = new ScannerHub({ log: quiet,  sim })
    try {
      await hub.add({ name: 'desk-1', uri: 'sim:desk' })
      const rejected = next<RejectedScanEvent>(hub, 'rejected')
      desk.write('PO-\u00071\r')
      expect(await rejected).toMatchObject({ scanner: 'desk-1', error: { code: 'SCAN_INVALID', reason: 'control-byte' }, raw: 'PO-\\x071' })
      const tooLong = next<RejectedScanEvent>(hub, 'rejected')
      desk.scan('9'.repeat(300))
      expect((await tooLong).error.code).toBe('SCAN_TOO_LONG')
    } finally {
      await hub.close()
    }
  })

  it('when the clock is injected, then events carry its time and state records the last scan', async () => {
    const clock = new ManualClock(1_000)
    const sim = new SimScannerRegistry()
    const desk = sim.create('desk')
    const hub = new ScannerHub({ log: quiet,  sim, clock, timers: clock })
    try {
      await hub.add({ name: 'd', uri: 'sim:desk' })
      const scan = next<ScanEvent>(hub, 'scan')
      desk.scan('S-1')
      expect((await scan).at).toBe(1_000)
      expect(hub.state('d')).toMatchObject({ connected: true, lastScanAt: 1_000, lastError: null, reconnects: 0 })
    } finally {
      await hub.close()
    }
  })

  it('when a sim scanner is unplugged and plugged back, then state shows it and scans resume', async () => {
    const sim = new SimScannerRegistry()
    const desk = sim.create('desk')
    const hub = new ScannerHub({ log: quiet,  sim, backoff })
    try {
      await hub.add({ name: 'd', uri: 'sim:desk' })
      const states = collect<{ scanner: string; connected: boolean; lastError: { code: string } | null }>(hub, 'state')
      desk.unplug()
      await until(() => hub.state('d')?.connected === false)
      await failedRetries(() => hub.state('d'), 3)
      desk.replug()
      await until(() => hub.state('d')?.connected === true)
      // The loss, the retry's different error (unplugged → not present), the return: not one
      // event per failed retry in between.
      expect(states.map((s) => [s.connected, s.lastError?.code])).toEqual([
        [false, 'SCANNER_DISCONNECTED'],
        [false, 'SCANNER_UNAVAILABLE'],
        [true, 'SCANNER_UNAVAILABLE'],
      ])
      expect(hub.state('d')?.reconnects).toBe(1)
      const scan = next<ScanEvent>(hub, 'scan')
      desk.scan('PO-5')
      expect((await scan).data).toBe('PO-5')
    } finally {
      await hub.close()
    }
  })

  it('when several kinds are added (sim, serial mock, USB keyboard), then all feed one stream and list() shows them', async () => {
    const sim = new SimScannerRegistry()
    const desk = sim.create('desk')
    const serial = new MockSerialBus()
    const line = serial.device('/dev/hub-mock-1')
    const usb = new SimUsbBus()
    const kbd = usb.plug(new SimUsbScannerDevice({ vendorId: 0x05e0, productId: 0x1200, layout: 'de' }))
    const hub = new ScannerHub({ log: quiet,  sim, serialBinding: serial.binding, usb, backoff })
    try {
      await hub.add({ name: 'a', uri: 'sim:desk' })
      await hub.add({ name: 'b', uri: 'serial:/dev/hub-mock-1?baud=9600' })
      await hub.add({ name: 'c', uri: 'usb://05e0:1200?layout=de' })
      const scans = collect<ScanEvent>(hub, 'scan')
      desk.scan('C-1')
      line.scan('S-2')
      kbd.scan('PO-3-Z')
      await until(() => scans.length === 3)
      expect(Object.fromEntries(scans.map((s) => [s.scanner, s.data]))).toEqual({ a: 'C-1', b: 'S-2', c: 'PO-3-Z' })
      expect(hub.list().map((s) => [s.name, s.uri, s.state.connected])).toEqual([
        ['a', 'sim:desk', true],
        ['b', 'serial:/dev/hub-mock-1?baud=9600', true],
        ['c', 'usb://05e0:1200?layout=de', true],
      ])
    } finally {
      await hub.close()
    }
  })

  it('when a scanner is removed, then its device is released and it emits nothing more', async () => {
    const sim = new SimScannerRegistry()
    const desk = sim.create('desk')
    const hub = new ScannerHub({ log: quiet,  sim })
    await hub.add({ name: 'd', uri: 'sim:desk' })
    expect(await hub.remove('d')).toBe(true)
    expect(await hub.remove('d')).toBe(false)
    expect(desk.connected).toBe(false)
    expect(hub.state('d')).toBeUndefined()
    expect(desk.scan('C-1')).toBe(false)
  })

  it('when the URI is invalid, the name is taken, or sim is not enabled, then add() rejects with a clear AppError', async () => {
    const sim = new SimScannerRegistry()
    sim.create('desk')
    const hub = new ScannerHub({ log: quiet,  sim })
    try {
      await expect(hub.add({ name: 'x', uri: 'ftp://nope' })).rejects.toMatchObject({ code: 'SCANNER_URI_INVALID', kind: 'invalid' })
      await hub.add({ name: 'd', uri: 'sim:desk' })
      await expect(hub.add({ name: 'd', uri: 'sim:desk' })).rejects.toMatchObject({ code: 'SCANNER_EXISTS', kind: 'conflict' })
      await expect(new ScannerHub({ log: quiet }).add({ name: 'd', uri: 'sim:desk' })).rejects.toMatchObject({ code: 'SCANNER_UNSUPPORTED' })
    } finally {
      await hub.close()
    }
  })

  it('when a sim scanner does not exist yet, then add() resolves disconnected and it connects once created', async () => {
    const sim = new SimScannerRegistry()
    const hub = new ScannerHub({ log: quiet,  sim, backoff })
    try {
      expect(await hub.add({ name: 'late', uri: 'sim:later' })).toMatchObject({ connected: false, lastError: { code: 'SCANNER_UNAVAILABLE' } })
      sim.create('later')
      await until(() => hub.state('late')?.connected === true)
    } finally {
      await hub.close()
    }
  })
})
