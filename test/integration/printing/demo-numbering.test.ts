/**
 * The demo printers' files under DATA/printed keep their numbering across restarts: a restarted
 * server goes on from the last number and never overwrites an earlier print.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { afterAll, describe, expect, it } from 'vitest'
import { serverIdFrom } from '../../../src/config/load-config.ts'
import { start, type Running } from '../../../src/start.ts'
import { nextFileNumber } from '../../../src/compose/demo-wiring.ts'
import { EplPrinterSim } from '../../../hw-sim/printers/index.ts'
import { eventually } from './support.ts'

const TOKEN = 'sp_demo_numbering_token_0123456789'

describe('demo printer file numbering', () => {
  const dir = mkdtempSync(join(tmpdir(), 'studio-numbering-'))
  let running: Running | null = null
  afterAll(async () => {
    await running?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  async function startDemo(): Promise<Running> {
    return start(
      { port: 0, host: '127.0.0.1', databaseUrl: `sqlite:${join(dir, 'studio.db')}`, adminToken: TOKEN, demo: true, logLevel: 'silent', dataDir: dir, serverId: serverIdFrom(process.env) },
      pino({ level: 'silent' }),
    )
  }

  async function printClientLabel(r: Running): Promise<void> {
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }
    const clients = (await (await fetch(`${r.url}/api/clients?limit=1`, { headers })).json()) as { items: Array<{ id: number }> }
    const res = await fetch(`${r.url}/api/print-jobs`, { method: 'POST', headers, body: JSON.stringify({ document: 'client-label', recordId: clients.items[0].id, printer: 'front-desk-epl' }) })
    expect(res.status).toBe(202)
  }

  const eplFiles = () => readdirSync(join(dir, 'printed')).filter((f) => /^demo-epl-\d+\.epl$/.test(f)).sort()
  // The PNG is drawn after the .epl is written in full.
  const drawn = (n: number) => readdirSync(join(dir, 'printed')).filter((f) => /^demo-epl-\d+\.png$/.test(f)).length === n

  it('when the demo server restarts, then the next label is file 0002 and file 0001 is left as it was', async () => {
    running = await startDemo()
    await printClientLabel(running)
    await eventually(() => drawn(1), 20_000, 'the first label drawn')
    expect(eplFiles()).toEqual(['demo-epl-0001.epl'])
    const first = readFileSync(join(dir, 'printed', 'demo-epl-0001.epl'))
    await running.stop()
    running = null

    running = await startDemo()
    await printClientLabel(running)
    await eventually(() => drawn(2), 20_000, 'the second label drawn')
    expect(eplFiles()).toEqual(['demo-epl-0001.epl', 'demo-epl-0002.epl'])
    expect(readFileSync(join(dir, 'printed', 'demo-epl-0001.epl'))).toEqual(first)
  }, 60_000)

  it('when a number is already taken by a file, then the simulated printer skips it instead of overwriting', async () => {
    const out = mkdtempSync(join(tmpdir(), 'studio-numbering-sim-'))
    try {
      writeFileSync(join(out, 'demo-epl-0003.epl'), 'EARLIER')
      expect(nextFileNumber(out, 'demo-epl')).toBe(4)
      // A sim told to start at 3 (as if it had not looked) still leaves 0003 alone.
      const sim = new EplPrinterSim('demo-epl', { renderTo: out, renderPng: false, firstNumber: 3 })
      const conn = sim.connect()
      await new Promise<void>((r) => conn.write(Buffer.from('\nN\nA10,10,0,1,1,1,N,"X"\nP1\n', 'latin1'), () => r()))
      await eventually(() => sim.printed.length === 1, 5_000, 'the label printed')
      await sim.renderQueue
      conn.destroy()
      expect(readdirSync(out).sort()).toEqual(['demo-epl-0003.epl', 'demo-epl-0004.epl'])
      expect(readFileSync(join(out, 'demo-epl-0003.epl'), 'utf8')).toBe('EARLIER')
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })
})
