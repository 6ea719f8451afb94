import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import type { ScanningModule } from '../../../src/compose/scanning-module.ts'
import { json, makeOrder, scan, SseClient } from './helpers.ts'
import { eventually } from '../../support/poll.ts'

interface ScannerView {
  name: string
  station: string
  location: string | null
  owned: boolean
  state: { connected: boolean } | null
}

const scanningOf = (s: TestServer) => s.running.modules.find((m) => m.name === 'scanning') as ScanningModule

async function until(check: () => Promise<boolean> | boolean, ms = 8_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

// DOMAIN.md "Several locations": one database, one server per location next to its devices.
describe.each(DB_KINDS)('two locations on one database on %s', (kind) => {
  let a: TestServer
  let b: TestServer
  beforeAll(async () => {
    a = await startTestServer(kind, { serverId: 'studio-a' })
    b = await startTestServer(kind, { serverId: 'studio-b', database: a.database })
    expect((await a.api('/api/stations', { method: 'POST', json: { name: 'desk-a', mode: 'advance' } })).status).toBe(201)
    expect((await b.api('/api/stations', { method: 'POST', json: { name: 'desk-b', mode: 'lookup' } })).status).toBe(201)
    expect((await a.api('/api/scanners', { method: 'POST', json: { name: 'a-sim', station: 'desk-a', uri: 'sim:a-sim' } })).status).toBe(201)
    expect((await b.api('/api/scanners', { method: 'POST', json: { name: 'b-sim', station: 'desk-b', uri: 'sim:b-sim' } })).status).toBe(201)
  })
  afterAll(async () => {
    await b?.close()
    await a?.close()
  })

  it('when each server adds a station and a sim scanner, then both default to its own location, each server opens only its own, and shows the other one as its server reported it', async () => {
    expect(scanningOf(a).scanners.names()).toEqual(['a-sim'])
    expect(scanningOf(b).scanners.names()).toEqual(['b-sim'])

    // The other server's scanner: the state its owner last reported through the station event log (written as it connected).
    const reported = expect.objectContaining({ connected: true, reportedAt: expect.any(String) })
    await eventually(async () => (await json<ScannerView & { state: { reportedAt?: string } | null }>(await b.api('/api/scanners/a-sim'))).state?.reportedAt !== undefined, 10_000, "A's report of a-sim, on B")
    await eventually(async () => (await json<ScannerView & { state: { reportedAt?: string } | null }>(await a.api('/api/scanners/b-sim'))).state?.reportedAt !== undefined, 10_000, "B's report of b-sim, on A")
    const fromA = await json<{ items: ScannerView[] }>(await a.api('/api/scanners'))
    expect(fromA.items).toEqual([
      expect.objectContaining({ name: 'a-sim', location: 'studio-a', owned: true, state: expect.objectContaining({ connected: true }) }),
      expect.objectContaining({ name: 'b-sim', location: 'studio-b', owned: false, state: reported }),
    ])
    const fromB = await json<{ items: ScannerView[] }>(await b.api('/api/scanners'))
    expect(fromB.items).toEqual([
      expect.objectContaining({ name: 'a-sim', location: 'studio-a', owned: false, state: reported }),
      expect.objectContaining({ name: 'b-sim', location: 'studio-b', owned: true, state: expect.objectContaining({ connected: true }) }),
    ])
    expect(await json(await b.api('/api/scanners/a-sim'))).toMatchObject({ owned: false, state: reported })

    const stations = await json<{ items: Array<{ name: string; location: string; owned: boolean }> }>(await b.api('/api/stations'))
    expect(stations.items).toEqual([expect.objectContaining({ name: 'desk-a', location: 'studio-a', owned: false }), expect.objectContaining({ name: 'desk-b', location: 'studio-b', owned: true })])
    expect(await json(await a.api('/api/stations/desk-a'))).toMatchObject({ location: 'studio-a', owned: true, scanners: [{ name: 'a-sim', owned: true, state: { connected: true } }] })
    expect(await json(await b.api('/api/stations/desk-a'))).toMatchObject({ location: 'studio-a', owned: false, scanners: [{ name: 'a-sim', owned: false, state: reported }] })
  })

  it("when A's sim scanner reads an order, then the scan arrives on A's station stream, and B sees it in the log but cannot drive A's scanner", async () => {
    const order = await makeOrder(a, 0)
    const sse = await SseClient.open(a, '/api/stations/desk-a/events')
    try {
      const from = sse.events.length
      const res = await a.api('/api/scanners/a-sim/sim', { method: 'POST', json: { action: 'scan', data: order.barcode } })
      expect(await json(res)).toMatchObject({ delivered: true })
      const e = await sse.next((x) => x.event === 'message', 5000, from)
      expect(JSON.parse(e.data)).toMatchObject({ station: 'desk-a', source: 'scanner', scanner: 'a-sim', outcome: 'advanced', to: 'retouching' })
    } finally {
      await sse.close()
    }
    const log = await json<{ items: Array<{ scanner: string | null; source: string }> }>(await b.api('/api/stations/desk-a/scans'))
    expect(log.items[0]).toMatchObject({ scanner: 'a-sim', source: 'scanner' })

    expect(await json(await b.api('/api/scanners/a-sim/sim', { method: 'POST', json: { action: 'scan', data: order.barcode } }))).toMatchObject({ status: 409, code: 'SCANNER_NOT_OWNED' })
    // A scan over HTTP is just HTTP: any server takes it for any station.
    const other = await makeOrder(b, 0, order.clientId)
    expect(await scan(b, 'desk-a', other.barcode)).toMatchObject({ station: 'desk-a', source: 'http', outcome: 'advanced', to: 'retouching' })
  })

  it('when B adds a scanner for location studio-a, then A opens it and B does not; when B deletes it, A closes it', async () => {
    const created = await json<ScannerView>(await b.api('/api/scanners', { method: 'POST', json: { name: 'a-late', station: 'desk-a', uri: 'sim:a-late', location: 'studio-a' } }))
    expect(created).toMatchObject({ name: 'a-late', location: 'studio-a', owned: false, state: null })
    await until(() => scanningOf(a).scanners.names().includes('a-late'), 8_000, 'A to open a-late')
    await until(async () => (await json<ScannerView>(await a.api('/api/scanners/a-late'))).state?.connected === true, 5_000, 'a-late connected')
    expect(scanningOf(b).scanners.names()).toEqual(['b-sim'])

    expect((await b.api('/api/scanners/a-late', { method: 'DELETE' })).status).toBe(204)
    await until(() => !scanningOf(a).scanners.names().includes('a-late'), 8_000, 'A to close a-late')
  })

  it('when a scanner has no location (a row from before locations), then every server takes it as its own and opens it', async () => {
    await scanningOf(a).service.stations.addScanner({ name: 'legacy', station: 'desk-b', uri: 'sim:legacy', location: null })
    for (const s of [a, b]) {
      await until(() => scanningOf(s).scanners.names().includes('legacy'), 8_000, `${s.url} to open legacy`)
      expect(await json(await s.api('/api/scanners/legacy'))).toMatchObject({ location: null, owned: true })
    }
  })

  it('when a location is not a short non-empty string, then the scanner or station is refused', async () => {
    expect(await json(await a.api('/api/scanners', { method: 'POST', json: { name: 'x', station: 'desk-a', uri: 'sim:x', location: '' } }))).toMatchObject({ status: 400 })
    expect(await json(await a.api('/api/stations', { method: 'POST', json: { name: 'x', mode: 'lookup', location: 'l'.repeat(81) } }))).toMatchObject({ status: 400 })
    expect(await json(await a.api('/api/stations', { method: 'POST', json: { name: 'elsewhere', mode: 'lookup', location: 'studio-c' } }))).toMatchObject({ name: 'elsewhere', location: 'studio-c', owned: false })
  })
})
