/**
 * Scan path latency: bytes written to a real pty (socat) → serial scanner → routing → status
 * committed → SSE event received by an HTTP client; p50/p99 and sustained scans per second. Beside
 * it, measured in the same run: a bare serial read (a line over another pty pair into a plain
 * serialport + RegexParser) and a bare status transaction (update + history insert). SQLite and
 * MariaDB. Bounded: N scans per figure, every wait times out.
 */
import { SerialPort, RegexParser } from 'serialport'
import { summarize, type BenchRow } from './report.ts'
import { startTestServer, type TestServer } from '../test/support/server.ts'
import { databaseKinds } from '../test/support/databases.ts'
import { hasCommand } from '../test/support/peers.ts'
import { SseClient } from '../test/integration/scanning/helpers.ts'
import { PtySerialScannerSim } from '../hw-sim/scanners/pty-serial-scanner-sim.ts'
import { DEFAULT_TRACK } from '../src/domain/status-track.ts'
import type { Db } from '../src/store/create-db.ts'

const ORDERS = 300
const WARMUP = 20

async function bareSerialRead(n: number): Promise<number[]> {
  const sim = await PtySerialScannerSim.start({ names: ['bare-host', 'bare-device'] })
  const port = new SerialPort({ path: sim.path, baudRate: 9600, autoOpen: false })
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())))
  const parser = port.pipe(new RegexParser({ regex: /[\r\n]+/ }))
  const samples: number[] = []
  try {
    for (let i = 0; i < n + WARMUP; i++) {
      const got = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('bare serial read timed out')), 5000)
        parser.once('data', () => (clearTimeout(timer), resolve()))
      })
      const t = performance.now()
      await sim.write(`PO-${String(i).padStart(6, '0')}\r`)
      await got
      if (i >= WARMUP) samples.push(performance.now() - t)
    }
  } finally {
    await new Promise<void>((r) => port.close(() => r()))
    await sim.dispose()
  }
  return samples
}

async function bareAdvance(db: Db, orderIds: number[], from: string, to: string): Promise<number[]> {
  const samples: number[] = []
  for (const id of orderIds) {
    const t = performance.now()
    await db.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('production_orders').select('version').where('id', '=', id).executeTakeFirstOrThrow()
      const r = await trx.updateTable('production_orders').set({ status: to, version: Number(row.version) + 1, updated_at: Date.now() }).where('id', '=', id).where('status', '=', from).where('version', '=', row.version).executeTakeFirst()
      if (Number(r.numUpdatedRows) !== 1) throw new Error('bare advance lost')
      await trx.insertInto('status_history').values({ order_id: id, from_status: from, to_status: to, at: Date.now(), by_who: 'bench', station: null }).execute()
    })
    samples.push(performance.now() - t)
  }
  return samples
}

async function benchOne(kind: 'sqlite' | 'mariadb'): Promise<BenchRow[]> {
  const s: TestServer = await startTestServer(kind)
  const sim = await PtySerialScannerSim.start()
  const group = `scanning/${kind}`
  try {
    const stores = s.running.stores
    const make = async (n: number) => {
      const out: Array<{ id: number; barcode: string }> = []
      for (let i = 0; i < n; i++) {
        const o = await stores.orders.create({ vendor: 'Lab', vendorAddress: [], orderType: 'default', productionOrderNumber: 'auto', invoiceIds: [], lines: [] }, DEFAULT_TRACK, { by: 'bench', station: null })
        out.push({ id: o.id, barcode: `PO-${String(o.productionOrderNumber).padStart(6, '0')}` })
      }
      return out
    }
    const orders = await make(ORDERS + WARMUP)
    await s.api('/api/stations', { method: 'POST', json: { name: 'bench', mode: 'advance' } })
    const created = await s.api('/api/scanners', { method: 'POST', json: { name: 'bench-pty', station: 'bench', uri: `serial:${sim.path}?baud=9600` } })
    if (created.status !== 201) throw new Error(`scanner: ${created.status} ${await created.text()}`)
    const sse = await SseClient.open(s, '/api/stations/bench/events')

    // 1. Latency: one scan at a time, bytes in → event out.
    const latency: number[] = []
    for (let i = 0; i < orders.length; i++) {
      const from = sse.events.length
      const t = performance.now()
      await sim.write(`${orders[i].barcode}\r`)
      const e = await sse.next((x) => x.event === 'message', 5000, from)
      if (i >= WARMUP) latency.push(performance.now() - t)
      const r = JSON.parse(e.data) as { outcome: string; code?: string }
      if (r.outcome !== 'advanced') throw new Error(`scan ${i}: ${r.outcome} ${r.code}`)
    }
    // 2. Sustained: every order again (a new batch), written back to back.
    await s.api('/api/stations/bench', { method: 'PATCH', json: { mode: 'advance' } })
    const before = sse.events.filter((x) => x.event === 'message').length
    const t0 = performance.now()
    for (const o of orders) await sim.write(`${o.barcode}\r`)
    const deadline = Date.now() + 30_000
    while (sse.events.filter((x) => x.event === 'message').length < before + orders.length) {
      if (Date.now() > deadline) throw new Error('sustained scans did not all arrive within 30 s')
      await new Promise((r) => setTimeout(r, 1))
    }
    const perSecond = (orders.length / (performance.now() - t0)) * 1000
    const sustained = sse.results<{ outcome: string }>().slice(before)
    const advancedAll = sustained.every((r) => r.outcome === 'advanced')
    await sse.close()

    // Baselines in the same run.
    const extra = await make(ORDERS)
    const bareTx = await bareAdvance(stores.database, extra.map((o) => o.id), 'entered', 'retouching')
    const bareRead = await bareSerialRead(ORDERS)

    const l = summarize(latency)
    const tx = summarize(bareTx)
    const rd = summarize(bareRead)
    const baseP50 = rd.p50 + tx.p50
    const baseP99 = rd.p99 + tx.p99
    const sqlite = kind === 'sqlite'
    return [
      { group, name: 'pty bytes → committed → SSE event p50', value: l.p50, unit: 'ms', baseline: { name: 'bare serial read + bare status tx p50', value: baseP50 }, ...(sqlite ? { goal: 'p50 <= 2 ms', met: l.p50 <= 2 } : {}) },
      { group, name: 'pty bytes → committed → SSE event p99', value: l.p99, unit: 'ms', baseline: { name: 'bare serial read + bare status tx p99', value: baseP99 }, goal: sqlite ? 'p99 <= 10 ms' : 'p99 <= 20 ms', met: l.p99 <= (sqlite ? 10 : 20) },
      { group, name: `sustained scans/s (${orders.length} back to back${advancedAll ? '' : ', NOT all advanced'})`, value: perSecond, unit: 'scans/s', baseline: { name: 'bare status tx/s', value: 1000 / tx.mean }, ...(sqlite ? { goal: '>= 500 scans/s', met: perSecond >= 500 && advancedAll } : {}) },
      { group, name: 'bare serial read p50', value: rd.p50, unit: 'ms' },
      { group, name: 'bare serial read p99', value: rd.p99, unit: 'ms' },
      { group, name: 'bare status tx p50', value: tx.p50, unit: 'ms' },
      { group, name: 'bare status tx p99', value: tx.p99, unit: 'ms' },
    ]
  } finally {
    await sim.dispose()
    await s.close()
  }
}

export async function bench(): Promise<BenchRow[]> {
  if (!hasCommand('socat')) return [{ group: 'scanning', name: 'skipped: socat is missing (apt-get install socat)', value: Number.NaN, unit: '' }]
  const rows: BenchRow[] = []
  for (const kind of await databaseKinds()) rows.push(...(await benchOne(kind)))
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatRows } = await import('./report.ts')
  console.log(formatRows(await bench()))
  process.exit(0)
}
