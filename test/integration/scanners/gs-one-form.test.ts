import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { until } from './wait.ts'

const GS1 = '0109501101020917\u001d10ABC'

describe.each(DB_KINDS)('GS in scans on %s', (kind) => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer(kind)
    expect((await s.api('/api/stations', { method: 'POST', json: { name: 'gs', mode: 'lookup' } })).status).toBe(201)
    expect((await s.api('/api/scanners', { method: 'POST', json: { name: 'gs-sim', station: 'gs', uri: 'sim:gs-sim' } })).status).toBe(201)
  })
  afterAll(async () => {
    await s?.close()
  })

  it('when GS1 data with GS comes through a scanner and through HTTP, then the scan log holds the same text, GS as the byte, for both', async () => {
    const sim = await s.api('/api/scanners/gs-sim/sim', { method: 'POST', json: { action: 'scan', data: GS1, aimId: ']C1' } })
    expect(sim.status).toBe(200)
    let items: Array<{ source: string; data: string }> = []
    const read = async () => {
      items = ((await (await s.api('/api/stations/gs/scans')).json()) as { items: typeof items }).items
      return items.length === 1
    }
    const deadline = Date.now() + 10_000
    while (!(await read()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    const http = await s.api('/api/stations/gs/scans', { method: 'POST', json: { data: `]C1${GS1}` } })
    expect(http.status).toBe(200)
    await read()
    await until(() => items.length === 2)
    expect(items.map((i) => i.source).sort()).toEqual(['http', 'scanner'])
    expect(items.map((i) => i.data)).toEqual([GS1, GS1])
  })
})
