import { describe, expect, it } from 'vitest'
import { pino } from 'pino'
import { startTestServer } from '../../support/server.ts'
import { ZplPrinterSim } from '../../../hw-sim/printers/index.ts'
import { eventually } from '../../support/poll.ts'

describe('log lines', () => {
  it('when a job prints and a scanner connects, then every log line names its component once (a worker or driver line too)', async () => {
    const lines: string[] = []
    const log = pino({ level: 'debug' }, { write: (line: string) => void lines.push(line) })
    const s = await startTestServer('sqlite', { log })
    const sim = new ZplPrinterSim('log-zpl')
    await sim.listen()
    try {
      expect((await s.api('/api/printers', { method: 'POST', json: { name: 'log-zpl', language: 'zpl', uri: sim.uri } })).status).toBe(201)
      const c = (await (await s.api('/api/clients', { method: 'POST', json: { lastName: 'Logged' } })).json()) as { id: number }
      const job = (await (await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: c.id, printer: 'log-zpl' } })).json()) as { id: number }
      await eventually(async () => ((await (await s.api(`/api/print-jobs/${job.id}`)).json()) as { state: string }).state === 'completed', 20_000, 'the job printed')
      expect((await s.api('/api/stations', { method: 'POST', json: { name: 'log-desk', mode: 'lookup' } })).status).toBe(201)
      expect((await s.api('/api/scanners', { method: 'POST', json: { name: 'log-gun', station: 'log-desk', uri: 'sim:log-gun' } })).status).toBe(201)
      await eventually(() => lines.some((l) => l.includes('"scanner":"log-gun"')), 10_000, 'a line of the scanner')
      const parsed = lines.map((l) => ({ line: l, components: l.match(/"component":/g)?.length ?? 0 }))
      // The worker's and the scanner's own lines are there, and none repeats the key.
      expect(parsed.some((p) => p.line.includes('"printer":"log-zpl"') && p.line.includes('"jobId"'))).toBe(true)
      expect(parsed.filter((p) => p.components > 1).map((p) => p.line)).toEqual([])
    } finally {
      await s.close()
      await sim.close()
    }
  })
})
