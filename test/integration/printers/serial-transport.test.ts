import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SerialPort, SerialPortMock } from 'serialport'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ZplPrinterSim } from '../../../hw-sim/printers/zpl-printer-sim.ts'
import { createPrinterDriver } from '../../../src/drivers/printers/create-printer-driver.ts'
import { SerialTransport } from '../../../src/drivers/transports/serial-transport.ts'
import { createTransport } from '../../../src/drivers/transports/create-transport.ts'
import { TransportUnavailableError } from '../../../src/drivers/transports/transport-errors.ts'
import { commandPeer } from '../../support/peers.ts'
import { silentLog, zplLabel } from './support.ts'

describe('SerialTransport with SerialPortMock', () => {
  it('when the port echoes, then request() gets the bytes back and write() reaches the port', async () => {
    SerialPortMock.binding.createPort('/dev/ttyMOCK0', { echo: true, record: true })
    const t = await createTransport('serial:/dev/ttyMOCK0?baud=9600', { serialBinding: SerialPortMock.binding })
    await t.open()
    const reply = await t.request(Buffer.from('~HS'), 500, { complete: (r) => r.length >= 3 })
    expect(Buffer.from(reply).toString()).toBe('~HS')
    await t.close()
  })

  it('when the port does not exist, then open() fails with TransportUnavailableError', async () => {
    const t = new SerialTransport('serial:/dev/ttyNOPE', '/dev/ttyNOPE', 9600, { binding: SerialPortMock.binding })
    const err = await t.open().catch((e) => e)
    expect(err).toBeInstanceOf(TransportUnavailableError)
    expect(err.message).toContain('/dev/ttyNOPE')
  })
})

describe.skipIf(!commandPeer('socat', 'socat'))('ZPL printer on a serial line (socat pty pair)', () => {
  let dir: string
  let socat: ChildProcess
  let printerSide: SerialPort
  const sim = new ZplPrinterSim('serial-zebra')
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pty-'))
    socat = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${dir}/host`, `pty,raw,echo=0,link=${dir}/printer`], { stdio: 'ignore' })
    const until = Date.now() + 5_000
    while (!(existsSync(`${dir}/host`) && existsSync(`${dir}/printer`))) {
      if (Date.now() > until) throw new Error('socat did not create the ptys')
      await new Promise((r) => setTimeout(r, 20))
    }
    printerSide = new SerialPort({ path: `${dir}/printer`, baudRate: 9600, autoOpen: false })
    await new Promise<void>((res, rej) => printerSide.open((e) => (e ? rej(e) : res())))
    sim.serve(printerSide)
  })
  afterAll(async () => {
    await new Promise<void>((r) => (printerSide?.isOpen ? printerSide.close(() => r()) : r()))
    socat?.kill('SIGTERM')
    await rm(dir, { recursive: true, force: true })
  })

  // A printer URI names the device node itself (/dev/pts/N), not a link elsewhere to it.
  it('when a job goes over the serial line, then ~HS status works and the labels print', async () => {
    const driver = await createPrinterDriver({ name: 'serial-zebra', language: 'zpl', uri: `serial:${realpathSync(`${dir}/host`)}?baud=9600` }, { log: silentLog, raw: { statusTimeoutMs: 500 } })
    expect(await driver.probe()).toMatchObject({ state: 'idle', source: '~HS' })
    const out = await driver.print({ id: 's1', units: [zplLabel(1), zplLabel(2)] })
    expect(out).toMatchObject({ sentUnits: 2, confirmed: true })
    expect(sim.labels).toHaveLength(2)
    // The port is kept a moment for the printer's next job; the next test opens it with a driver of its own.
    await driver.close()
  })

  it('when the head is open, then ~HS is silent and ~HQES tells cover-open-error', async () => {
    await sim.setFaults({ headOpen: true })
    const driver = await createPrinterDriver({ name: 'serial-zebra', language: 'zpl', uri: `serial:${realpathSync(`${dir}/host`)}?baud=9600` }, { log: silentLog, raw: { statusTimeoutMs: 300 } })
    expect(await driver.probe()).toMatchObject({ state: 'stopped', reasons: ['cover-open-error'], source: '~HQES' })
    await sim.clearFaults()
    await driver.close()
  })
})
