import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pino from 'pino'
import { serverIdFrom } from '../../../src/config/load-config.ts'
import { DB_KINDS } from '../../support/databases.ts'
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../../support/server.ts'
import { start, type Running } from '../../../src/start.ts'
import { json, makeOrder, SseClient } from './helpers.ts'
import { migratedDb } from '../../support/databases.ts'
import { createStores } from '../../../src/app/stores.ts'
import { ScanService } from '../../../src/app/scanning/scan-service.ts'
import { StationEvents } from '../../../src/app/scanning/station-events.ts'
import { DEFAULT_TRACK } from '../../../src/domain/status-track.ts'

describe.each(DB_KINDS)('two stations racing on the same orders on %s', (kind) => {
  let s: TestServer
  let second: Running
  beforeAll(async () => {
    s = await startTestServer(kind)
    // A second server on the same database: the stations race through the database, not one process.
    second = await start({ port: 0, host: '127.0.0.1', databaseUrl: s.database.url, adminToken: ADMIN_TOKEN, demo: false, logLevel: 'silent', dataDir: '/tmp', serverId: serverIdFrom(process.env) }, pino({ level: 'silent' }))
  })
  afterAll(async () => {
    await second?.stop()
    await s?.close()
  })

  it('when both stations scan every order at once, round after round, then no step of any order is applied twice and every refused scan saw the concurrent change', async () => {
    const scanAt = (base: string, station: string, data: string) =>
      fetch(`${base}/api/stations/${station}/scans`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ data }) }).then((r) => r.json() as Promise<{ outcome: string; code?: string; status?: { key: string } }>)
    await s.api('/api/stations', { method: 'POST', json: { name: 'race-a', mode: 'advance' } })
    await s.api('/api/stations', { method: 'POST', json: { name: 'race-b', mode: 'advance' } })
    const first = await makeOrder(s, 0)
    const orders = [first]
    for (let i = 1; i < 20; i++) orders.push(await makeOrder(s, 0, first.clientId))
    const ROUNDS = 3 // at most two steps a round: the track has seven
    const tally: Record<string, number> = {}
    for (let round = 0; round < ROUNDS; round++) {
      const results = await Promise.all(orders.flatMap((o) => [scanAt(s.url, 'race-a', o.barcode), scanAt(second.url, 'race-b', o.barcode)]))
      for (const r of results) tally[r.code ?? r.outcome] = (tally[r.code ?? r.outcome] ?? 0) + 1
      for (let i = 0; i < orders.length; i++) {
        const pair = [results[2 * i], results[2 * i + 1]]
        const advanced = pair.filter((r) => r.outcome === 'advanced').length
        // Either one advanced and the other saw the concurrent change (with the current status),
        // or they ran one after the other and each moved it one step.
        expect(advanced).toBeGreaterThanOrEqual(1)
        for (const r of pair) if (r.outcome !== 'advanced') expect(r).toMatchObject({ code: 'CONCURRENT_CHANGE', status: { key: expect.any(String) } })
      }
      // A new batch at both stations for the next round (each through the server that reads its
      // scanner, whose debounce window it also clears).
      await s.api('/api/stations/race-a', { method: 'PATCH', json: { mode: 'advance' } })
      await fetch(`${second.url}/api/stations/race-b`, { method: 'PATCH', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ mode: 'advance' }) })
    }
    const sequence = ['entered', 'retouching', 'ready-to-send', 'sent-to-lab', 'received-from-lab', 'finishing', 'ready-for-pickup', 'picked-up']
    let advances = 0
    for (const o of orders) {
      const history = await json<{ items: Array<{ fromStatus: string | null; toStatus: string; station: string | null }> }>(await s.api(`/api/production-orders/${o.id}/history`))
      const steps = history.items.slice(1)
      advances += steps.length
      // Every step exactly once, in order, from a racing station.
      expect(steps.map((h) => h.toStatus)).toEqual(sequence.slice(1, steps.length + 1))
      expect(new Set(steps.map((h) => h.fromStatus)).size).toBe(steps.length)
      for (const h of steps) expect(['race-a', 'race-b']).toContain(h.station)
      const order = await json<{ status: string; version: number }>(await s.api(`/api/production-orders/${o.id}`))
      expect(order.status).toBe(sequence[steps.length])
      expect(order.version).toBe(steps.length)
    }
    expect(advances).toBe(tally.advanced)
    console.info(`race on ${kind}: ${JSON.stringify(tally)}`)
    expect(tally.advanced + (tally.CONCURRENT_CHANGE ?? 0)).toBe(orders.length * 2 * ROUNDS)
  })
})

describe.each(DB_KINDS)('a forced race between two stations on %s', (kind) => {
  it('when both stations read the same order version before either writes, then exactly one advances and the other reports CONCURRENT_CHANGE with the current status', async () => {
    const { db, dispose } = await migratedDb(kind)
    try {
      const stores = createStores(db)
      await stores.settings.seedDefaults()
      const log = pino({ level: 'silent' })
      const events = new StationEvents()
      const a = new ScanService({ stores, events, log })
      // The second station as another server would see it: its own stores over the same database.
      const storesB = createStores(db)
      const b = new ScanService({ stores: storesB, events, log })
      await a.createStation({ name: 'a', mode: 'advance' })
      await a.createStation({ name: 'b', mode: 'advance' })
      const N = 25
      const orders = []
      for (let i = 0; i < N; i++) orders.push(await stores.orders.create({ vendor: 'Lab', vendorAddress: [], orderType: 'default', productionOrderNumber: 'auto', invoiceIds: [], lines: [] }, DEFAULT_TRACK, { by: 'test', station: null }))
      // Both reads happen before either compare-and-set: a barrier in the order lookup.
      const barrier = () => {
        let arrived = 0
        let release!: () => void
        const all = new Promise<void>((r) => (release = r))
        return async () => {
          if (++arrived === 2) release()
          await all
        }
      }
      for (const o of orders) {
        const wait = barrier()
        for (const st of [stores, storesB]) {
          const find = st.orders.findByProductionOrderNumber.bind(st.orders)
          st.orders.findByProductionOrderNumber = async (n: number) => {
            const found = await find(n)
            await wait()
            return found
          }
        }
        const barcode = `PO-${o.productionOrderNumber}`
        const [ra, rb] = await Promise.all([a.scan({ station: 'a', data: barcode, source: 'http', by: 'a' }), b.scan({ station: 'b', data: barcode, source: 'http', by: 'b' })])
        const outcomes = [ra, rb].map((r) => r.code ?? r.outcome).sort()
        expect(outcomes).toEqual(['CONCURRENT_CHANGE', 'advanced'])
        const loser = ra.outcome === 'advanced' ? rb : ra
        expect(loser).toMatchObject({ outcome: 'warning', status: { key: 'retouching', name: 'Retouching' } })
        const history = await stores.orders.history(o.id)
        expect(history.map((h) => h.toStatus)).toEqual(['entered', 'retouching'])
      }
    } finally {
      await dispose()
    }
  })
})

describe('the scanning module in the server lifecycle (sqlite)', () => {
  it('when the server stops, then open event streams end cleanly and stop returns promptly', async () => {
    const s = await startTestServer('sqlite')
    await s.api('/api/stations', { method: 'POST', json: { name: 'st', mode: 'lookup' } })
    const a = await SseClient.open(s, '/api/stations/st/events')
    const b = await SseClient.open(s, '/api/stations/st/events')
    const t0 = Date.now()
    await s.close()
    expect(Date.now() - t0).toBeLessThan(3000)
    expect(await a.closedByServer(2000)).toBe(true)
    expect(await b.closedByServer(2000)).toBe(true)
  })

  it('when the demo starts (twice on one database), then front-desk and production exist once, each with a connected sim scanner', async () => {
    const s = await startTestServer('sqlite', { demo: true })
    try {
      const stations = await json<{ items: Array<{ name: string; mode: string }> }>(await s.api('/api/stations'))
      expect(stations.items).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'front-desk', mode: 'lookup' }), expect.objectContaining({ name: 'production', mode: 'advance' })]))
      const scanners = await json<{ items: Array<{ name: string; station: string; uri: string; state: { connected: boolean } }> }>(await s.api('/api/scanners'))
      expect(scanners.items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'front-desk-scanner', station: 'front-desk', uri: 'sim:front-desk', state: expect.objectContaining({ connected: true }) }),
          expect.objectContaining({ name: 'production-scanner', station: 'production', uri: 'sim:production', state: expect.objectContaining({ connected: true }) }),
        ]),
      )
      const again = await start({ port: 0, host: '127.0.0.1', databaseUrl: s.database.url, adminToken: ADMIN_TOKEN, demo: true, logLevel: 'silent', dataDir: '/tmp', serverId: serverIdFrom(process.env) }, pino({ level: 'silent' }))
      await again.stop()
      expect((await json<{ items: unknown[] }>(await s.api('/api/stations'))).items).toHaveLength(2)
      // The demo orders scan at the production station through its sim scanner.
      const sse = await SseClient.open(s, '/api/stations/production/events')
      const r = await s.api('/api/scanners/production-scanner/sim', { method: 'POST', json: { action: 'scan', data: 'PO-000001' } })
      expect(r.status).toBe(200)
      const e = await sse.next()
      expect(JSON.parse(e.data)).toMatchObject({ station: 'production', scanner: 'production-scanner', outcome: expect.stringMatching(/advanced|warning|error/) })
      await sse.close()
    } finally {
      await s.close()
    }
  })
})
