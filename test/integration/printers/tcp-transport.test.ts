import { spawn, type ChildProcess } from 'node:child_process'
import net from 'node:net'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { ZplPrinterSim } from '../../../hw-sim/printers/zpl-printer-sim.ts'
import { TcpTransport } from '../../../src/drivers/transports/tcp-transport.ts'
import { createTransport } from '../../../src/drivers/transports/create-transport.ts'
import {
  TransportClosedError,
  TransportTimeoutError,
  TransportUnavailableError,
  TransportWriteError,
} from '../../../src/drivers/transports/transport-errors.ts'
import { isCompleteHostStatus, parseHostStatus } from '../../../src/drivers/printers/zpl-status.ts'
import { commandPeer } from '../../support/peers.ts'
import { zplLabel } from './support.ts'
import { freePort } from '../../support/net.ts'

const sim = new ZplPrinterSim('tcp-zpl')
beforeAll(async () => {
  await sim.listen()
})
afterAll(async () => {
  await sim.close()
})
beforeEach(async () => {
  await sim.clearFaults()
  sim.reset()
})


describe('TcpTransport', () => {
  it('when a label is written, then the simulator receives exactly those bytes', async () => {
    const t = await createTransport(sim.uri)
    await t.open()
    await t.write(zplLabel(1))
    await t.close()
    await sim.waitForPrinted(1)
    expect(Buffer.concat([...sim.raw.values()].flat())).toEqual(zplLabel(1))
  })

  it('when ~HS is requested, then the reply is gathered across chunks until the framing predicate holds', async () => {
    await sim.setFaults({ slowMs: 1 })
    const t = new TcpTransport('tcp://x', '127.0.0.1', sim.port)
    await t.open()
    const reply = await t.request(Buffer.from('~HS'), 1_000, { complete: isCompleteHostStatus })
    expect(parseHostStatus(reply)).toMatchObject({ paperOut: false })
    await t.close()
  })

  it('when the device stays silent, then request() times out with TransportTimeoutError(reply)', async () => {
    await sim.setFaults({ paperOut: true }) // ~HS silent, like the firmware
    const t = new TcpTransport('tcp://x', '127.0.0.1', sim.port)
    await t.open()
    const err = await t.request(Buffer.from('~HS'), 150, { complete: isCompleteHostStatus }).catch((e) => e)
    expect(err).toBeInstanceOf(TransportTimeoutError)
    expect(err.details).toMatchObject({ phase: 'reply', timeoutMs: 150 })
    await t.close()
  })

  it('when close() is called during a request, then the request rejects with TransportClosedError', async () => {
    await sim.setFaults({ mute: true })
    const t = new TcpTransport('tcp://x', '127.0.0.1', sim.port)
    await t.open()
    const pending = t.request(Buffer.from('~HS'), 5_000).catch((e) => e)
    await t.close()
    expect(await pending).toBeInstanceOf(TransportClosedError)
  })

  it('when the port is closed, then open() fails with TransportUnavailableError (ECONNREFUSED as cause)', async () => {
    const port = await freePort()
    const t = new TcpTransport(`tcp://127.0.0.1:${port}`, '127.0.0.1', port)
    const err = await t.open().catch((e) => e)
    expect(err).toBeInstanceOf(TransportUnavailableError)
    expect(err).toMatchObject({ code: 'TRANSPORT_UNAVAILABLE', kind: 'unavailable', details: { osCode: 'ECONNREFUSED' } })
    expect((err.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED')
  })

  describe.skipIf(!commandPeer('python3', 'python3'))('with a listener whose accept queue is full', () => {
    let py: ChildProcess
    let port: number
    const fillers: net.Socket[] = []
    beforeAll(async () => {
      // A socket that listens with backlog 0 and never accepts: once its queue is full, SYNs are dropped.
      py = spawn('python3', ['-c', 'import socket,sys,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(120)'])
      port = await new Promise<number>((resolve) => py.stdout!.once('data', (d) => resolve(Number(String(d).trim()))))
      for (let i = 0; i < 8; i++) {
        const s = net.createConnection({ host: '127.0.0.1', port })
        s.on('error', () => {})
        fillers.push(s)
        const connected = await new Promise<boolean>((r) => {
          s.once('connect', () => r(true))
          setTimeout(() => r(false), 200)
        })
        if (!connected) break
      }
    })
    afterAll(() => {
      for (const s of fillers) s.destroy()
      py.kill('SIGKILL')
    })

    it('when nothing answers the SYN, then open() fails after the connect timeout (not the write timeout)', async () => {
      const t = new TcpTransport(`tcp://127.0.0.1:${port}`, '127.0.0.1', port, { connectTimeoutMs: 300, writeTimeoutMs: 10_000 })
      const started = Date.now()
      const err = await t.open().catch((e) => e)
      expect(err).toBeInstanceOf(TransportTimeoutError)
      expect(err.details).toMatchObject({ phase: 'connect', timeoutMs: 300 })
      expect(Date.now() - started).toBeLessThan(2_000)
    })
  })

  it('when the printer stops reading, then write() fails with TransportTimeoutError(write)', async () => {
    await sim.setFaults({ stallReading: true })
    const t = new TcpTransport('tcp://x', '127.0.0.1', sim.port, { writeTimeoutMs: 300 })
    await t.open()
    const big = Buffer.alloc(64 * 1024 * 1024, 0x20)
    const err = await t.write(big).catch((e) => e)
    expect(err).toBeInstanceOf(TransportTimeoutError)
    expect(err.details).toMatchObject({ phase: 'write' })
    expect(await t.close().catch((e) => e)).toBe(err) // close() reports that not all bytes arrived
  })

  it('when the printer resets the connection mid-job, then the next write fails with TransportWriteError', async () => {
    await sim.setFaults({ dropAfterBytes: 100 })
    const t = new TcpTransport('tcp://x', '127.0.0.1', sim.port)
    await t.open()
    const chunk = Buffer.alloc(1000, 0x20)
    let err: unknown
    for (let i = 0; i < 50 && !err; i++) {
      await t.write(chunk).catch((e) => (err = e))
      await new Promise((r) => setTimeout(r, 5))
    }
    expect(err).toBeInstanceOf(TransportWriteError)
    expect((err as TransportWriteError).details).toMatchObject({ osCode: expect.stringMatching(/ECONNRESET|EPIPE/) })
    expect(await t.close().catch((e) => e)).toBeInstanceOf(TransportWriteError)
    await t.close() // idempotent once reported
  })

  it('when closed, then it can be opened again (a fresh connection per job)', async () => {
    const t = new TcpTransport('tcp://x', '127.0.0.1', sim.port)
    const ids: number[] = []
    sim.on('connection', (id) => ids.push(id))
    for (const n of [1, 2]) {
      await t.open()
      await t.write(zplLabel(n))
      await t.close()
    }
    sim.removeAllListeners('connection')
    await sim.waitForPrinted(2)
    expect(new Set(ids).size).toBe(2)
  })
})
