/**
 * Record-create and status-advance latency through the HTTP API, beside a bare kysely
 * transaction doing the same writes on the same database, on SQLite and MariaDB; client search.
 */
import { sql } from 'kysely'
import { summarize, type BenchRow } from './report.ts'
import { startTestServer, type TestServer } from '../test/support/server.ts'
import { databaseKinds } from '../test/support/databases.ts'
import type { Db } from '../src/store/create-db.ts'

const N = 400

async function timeEach(n: number, fn: (i: number) => Promise<void>): Promise<{ samples: number[]; perSecond: number }> {
  const samples: number[] = []
  const t0 = performance.now()
  for (let i = 0; i < n; i++) {
    const t = performance.now()
    await fn(i)
    samples.push(performance.now() - t)
  }
  return { samples, perSecond: (n / (performance.now() - t0)) * 1000 }
}

async function bareCreate(db: Db, i: number): Promise<void> {
  await db.db.transaction().execute(async (trx) => {
    await trx.updateTable('sequences').set({ next_value: sql<number>`next_value + 1` }).where('name', '=', 'client').execute()
    const { next_value } = await trx.selectFrom('sequences').select('next_value').where('name', '=', 'client').executeTakeFirstOrThrow()
    await trx.insertInto('clients').values({ number: Number(next_value), last_name: `Bare${i}`, first_name: '', data: '{}', created_at: Date.now(), updated_at: Date.now() }).execute()
  })
}

async function bareAdvance(db: Db, orderId: number, from: string, to: string, version: number): Promise<void> {
  await db.db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('production_orders').set({ status: to, version: version + 1, updated_at: Date.now() }).where('id', '=', orderId).where('status', '=', from).where('version', '=', version).executeTakeFirst()
    if (Number(r.numUpdatedRows) !== 1) throw new Error('bare advance lost')
    await trx.insertInto('status_history').values({ order_id: orderId, from_status: from, to_status: to, at: Date.now(), by_who: 'bench', station: null }).execute()
  })
}

async function benchOne(kind: 'sqlite' | 'mariadb'): Promise<BenchRow[]> {
  const s: TestServer = await startTestServer(kind)
  const db = s.running.stores.database
  const rows: BenchRow[] = []
  try {
    // Warm up both paths.
    for (let i = 0; i < 20; i++) {
      await s.api('/api/clients', { method: 'POST', json: { lastName: 'Warm' } })
      await bareCreate(db, -i)
    }
    const api = await timeEach(N, async (i) => {
      const r = await s.api('/api/clients', { method: 'POST', json: { lastName: `Api${i}` } })
      if (r.status !== 201) throw new Error(`create failed ${r.status}`)
      await r.arrayBuffer()
    })
    const bare = await timeEach(N, (i) => bareCreate(db, i))
    const a = summarize(api.samples)
    const b = summarize(bare.samples)
    rows.push(
      { group: `records/${kind}`, name: 'create client via API p50', value: a.p50, unit: 'ms', baseline: { name: 'bare kysely tx p50', value: b.p50 } },
      { group: `records/${kind}`, name: 'create client via API p99', value: a.p99, unit: 'ms', baseline: { name: 'bare kysely tx p99', value: b.p99 } },
      { group: `records/${kind}`, name: 'create client via API throughput', value: api.perSecond, unit: 'ops/s', baseline: { name: 'bare kysely tx', value: bare.perSecond } },
    )

    // Advances: each order walks 7 steps; the API and the bare transaction each get their own orders.
    const makeOrders = async (n: number) => {
      const ids: number[] = []
      for (let i = 0; i < n; i++) {
        const r = await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Bench Lab' } })
        ids.push(((await r.json()) as { id: number }).id)
      }
      return ids
    }
    const steps = ['entered', 'retouching', 'ready-to-send', 'sent-to-lab', 'received-from-lab', 'finishing', 'ready-for-pickup', 'picked-up']
    const orderCount = Math.ceil(N / 7)
    const apiOrders = await makeOrders(orderCount)
    const bareOrders = await makeOrders(orderCount)
    const apiAdv = await timeEach(orderCount * 7, async (i) => {
      const r = await s.api(`/api/production-orders/${apiOrders[Math.floor(i / 7)]}/advance`, { method: 'POST' })
      if (r.status !== 200) throw new Error(`advance failed ${r.status} ${await r.text()}`)
      await r.arrayBuffer()
    })
    const bareAdv = await timeEach(orderCount * 7, (i) => bareAdvance(db, bareOrders[Math.floor(i / 7)], steps[i % 7], steps[(i % 7) + 1], i % 7))
    const floor = await timeEach(N, async () => {
      const r = await s.api('/api/health', { token: null })
      await r.arrayBuffer()
    })
    const fl = summarize(floor.samples)
    rows.push({ group: `records/${kind}`, name: 'HTTP floor: GET /api/health p50', value: fl.p50, unit: 'ms' })
    const aa = summarize(apiAdv.samples)
    const ba = summarize(bareAdv.samples)
    rows.push(
      { group: `records/${kind}`, name: 'advance via API p50', value: aa.p50, unit: 'ms', baseline: { name: 'bare CAS tx p50', value: ba.p50 }, goal: '<= 1.5x bare', met: aa.p50 <= 1.5 * ba.p50 },
      { group: `records/${kind}`, name: 'advance via API p50 less the HTTP floor', value: aa.p50 - fl.p50, unit: 'ms', baseline: { name: 'bare CAS tx p50', value: ba.p50 } },
      { group: `records/${kind}`, name: 'advance via API p99', value: aa.p99, unit: 'ms', baseline: { name: 'bare CAS tx p99', value: ba.p99 } },
      { group: `records/${kind}`, name: 'advance via API throughput', value: apiAdv.perSecond, unit: 'ops/s', baseline: { name: 'bare CAS tx', value: bareAdv.perSecond } },
    )
  } finally {
    await s.close()
  }
  return rows
}

const SEARCH_CLIENTS = 2_000
const SEARCHES = 100
/** Notes as long as the API takes (20,000 characters): the most text a search has to read. */
const LONG_NOTES = 'Prefers morning light, bring the grey backdrop. '.repeat(420).slice(0, 20_000)
const WORST_QUERY = 'zq1 zq2 zq3 zq4 zq5 zq6 zq7 zq8' // eight words found nowhere: every LIKE reads every text

/**
 * Client search (`?q=`) over 2,000 clients with the longest notes the API accepts, beside a
 * plain page of the same clients; and /api/health while four worst-case searches run at once,
 * beside /api/health alone.
 */
async function benchSearch(kind: 'sqlite' | 'mariadb'): Promise<BenchRow[]> {
  const s: TestServer = await startTestServer(kind)
  const group = `records/${kind}`
  try {
    const clients = s.running.stores.clients
    for (let i = 0; i < SEARCH_CLIENTS; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          clients.create({ lastName: `Search${i + j}`, firstName: 'Ann', addresses: [], phones: [{ label: 'mobile', number: `(207) 555-${String(i + j).padStart(4, '0')}` }], status: 'active', familyMembers: [], notes: LONG_NOTES }),
        ),
      )
    }
    const get = async (path: string, token?: null) => {
      const r = await s.api(path, token === null ? { token: null } : {})
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`)
      await r.arrayBuffer()
    }
    const page = summarize((await timeEach(SEARCHES, () => get('/api/clients?limit=50'))).samples)
    const typical = summarize((await timeEach(SEARCHES, (i) => get(`/api/clients?limit=50&q=${encodeURIComponent(`search${i * 7} 555`)}`))).samples)
    const worst = summarize((await timeEach(SEARCHES, () => get(`/api/clients?limit=50&q=${encodeURIComponent(WORST_QUERY)}`))).samples)
    const healthAlone = summarize((await timeEach(SEARCHES, () => get('/api/health', null))).samples)
    let searching = true
    const searchers = Array.from({ length: 4 }, async () => {
      while (searching) await get(`/api/clients?limit=50&q=${encodeURIComponent(WORST_QUERY)}`)
    })
    const healthBusy = summarize((await timeEach(SEARCHES, () => get('/api/health', null))).samples)
    searching = false
    await Promise.all(searchers)
    const baseline = (p: 'p50' | 'p99') => ({ name: `page of 50 clients, no q, ${p}`, value: page[p] })
    return [
      { group, name: `search ?q= two words, ${SEARCH_CLIENTS} clients with 20k notes, p50`, value: typical.p50, unit: 'ms', baseline: baseline('p50') },
      { group, name: `search ?q= two words, ${SEARCH_CLIENTS} clients with 20k notes, p99`, value: typical.p99, unit: 'ms', baseline: baseline('p99') },
      { group, name: 'search ?q= eight words found nowhere, p50', value: worst.p50, unit: 'ms', baseline: baseline('p50') },
      { group, name: 'search ?q= eight words found nowhere, p99', value: worst.p99, unit: 'ms', baseline: baseline('p99') },
      { group, name: '/api/health p99 while four worst-case searches run', value: healthBusy.p99, unit: 'ms', baseline: { name: '/api/health p99 alone', value: healthAlone.p99 } },
    ]
  } finally {
    await s.close()
  }
}

export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  for (const kind of await databaseKinds()) rows.push(...(await benchOne(kind)), ...(await benchSearch(kind)))
  return rows
}
