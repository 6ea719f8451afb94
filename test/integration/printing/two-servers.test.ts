import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.ts'
import { ZplPrinterSim, type ReceivedUnit } from '../../../hw-sim/printers/index.ts'
import { spawnServer, type ServerProcess } from './server-process.ts'
import { countBy, eventually, heldWithExactBounds } from './support.ts'

const TOKEN = 'sp_two_servers_admin_token_01234'
const ENV = {
  STUDIO_SERVER_ID: 'one-location',
  STUDIO_PRINT_RETRY_MS: '100',
  STUDIO_PRINT_RETRY_MAX_MS: '300',
  STUDIO_PRINT_POLL_MS: '100',
  STUDIO_PRINT_LEASE_MS: '3000',
}
const labelKey = (u: ReceivedUnit) => /C-\d+/.exec(u.data.toString('latin1'))?.[0] ?? '?'

describe.skipIf(!DB_KINDS.includes('mariadb'))('two server processes on one MariaDB', () => {
  let db: TestDatabase
  const sims = [new ZplPrinterSim('shared-a'), new ZplPrinterSim('shared-b')]
  let servers: ServerProcess[] = []
  beforeAll(async () => {
    db = await freshDatabase('mariadb')
    for (const s of sims) await s.listen()
  })
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()))
    for (const s of sims) await s.close()
    await db?.dispose()
  })

  const body = async <T>(res: Response): Promise<T> => {
    if (res.status >= 300) throw new Error(`${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }

  it('when both drain one queue (jobs handed to either), then every label prints exactly once', async () => {
    const first = await spawnServer({ ...ENV, DATABASE_URL: db.url }, TOKEN)
    servers.push(first)
    for (const s of sims) await body(await first.api('/api/printers', { method: 'POST', json: { name: s.name, language: 'zpl', uri: s.uri } }))
    const second = await spawnServer({ ...ENV, DATABASE_URL: db.url }, TOKEN)
    servers.push(second)
    const clients: Array<{ id: number; number: number }> = []
    for (let i = 0; i < 40; i++) clients.push(await body(await first.api('/api/clients', { method: 'POST', json: { lastName: `Shared${i}` } })))
    // 80 jobs: every client on both printers, submitted concurrently through both servers; some in batches.
    const submits = clients.flatMap((c, i) =>
      sims.map((sim, k) => {
        const via = (i + k) % 2 === 0 ? first : second
        return via.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: c.id, printer: sim.name, copies: 1 } }).then((r) => body<{ id: number }>(r))
      }),
    )
    const ids = (await Promise.all(submits)).map((j) => j.id)
    expect(new Set(ids).size).toBe(80)
    await eventually(async () => {
      const page = await body<{ items: Array<{ state: string }> }>(await first.api('/api/print-jobs?limit=500&state=completed'))
      return page.items.length === 80
    }, 60_000, 'all 80 jobs completed')
    for (const sim of sims) {
      expect(sim.printed).toHaveLength(40)
      const counts = countBy(sim.printed, labelKey)
      expect(counts.size).toBe(40)
      expect([...counts.values()].every((n) => n === 1)).toBe(true)
    }
    // Each server logs a completion after its database write: the job reads completed a moment
    // before its line has come through the process's stdout pipe.
    const done = () => servers.map((s) => (s.output().match(/print job completed/g) ?? []).length)
    await eventually(() => done()[0] + done()[1] >= 80, 10_000, 'a completion line for every job')
    const [d0, d1] = done()
    expect(d0 + d1).toBe(80)
    expect(d0).toBeGreaterThan(0)
    expect(d1).toBeGreaterThan(0)
  }, 120_000)

  it('when the server printing a job is killed (kill -9), then the other leaves it alone while its lease lasts (default 30 s), then holds it with its exact confirmed and uncertain labels and prints the queue behind it; released, every label has printed, the uncertain ones at most twice', async () => {
    for (const s of sims) s.reset()
    // Default lease, polls and retries: as a studio runs it.
    const env = { STUDIO_SERVER_ID: 'kill-location', DATABASE_URL: db.url }
    const a = await spawnServer(env, TOKEN)
    servers.push(a)
    const sim = sims[0]
    await body(await a.api('/api/printers', { method: 'POST', json: { name: 'killed-printer', language: 'zpl', uri: sim.uri } }))
    const c = await body<{ id: number; number: number }>(await a.api('/api/clients', { method: 'POST', json: { lastName: 'Big' } }))
    const smalls: Array<{ id: number; number: number }> = []
    for (let i = 0; i < 10; i++) smalls.push(await body(await a.api('/api/clients', { method: 'POST', json: { lastName: `Behind${i}` } })))
    // A slow printer (60 ms per chunk read, ~24 s for the job): it lasts well past the second server’s start, also on a loaded machine.
    await sim.setFaults({ slowMs: 60 })
    const big = await body<{ id: number }>(await a.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: c.id, printer: 'killed-printer', copies: 400 } }))
    await eventually(() => sim.printed.length >= 20, 20_000, 'the big job printing on the first server')
    const b = await spawnServer(env, TOKEN)
    servers.push(b)
    expect(sim.printed.length).toBeLessThan(400)
    const behind: number[] = []
    for (const s of smalls) behind.push((await body<{ id: number }>(await b.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: s.id, printer: 'killed-printer' } }))).id)
    await a.kill9()
    await eventually(() => sim.openConnections === 0, 20_000, 'the dead server’s connection drained')
    const arrived = sim.printed.length
    await sim.setFaults({ slowMs: 0 })
    type Job = { state: string; reasons: string[]; progress: { sent: number; total: number; uncertainUpTo?: number }; release?: Array<{ resumeAt: number; choice: string }> }
    // While the lease lasts, the live server must not take the job over.
    expect((await body<Job>(await b.api(`/api/print-jobs/${big.id}`))).state).toBe('processing')
    const { job: h, confirmed } = await heldWithExactBounds(async () => body<Job>(await b.api(`/api/print-jobs/${big.id}`)), arrived)
    await eventually(async () => {
      const jobs = await Promise.all(behind.map(async (id) => body<Job>(await b.api(`/api/print-jobs/${id}`))))
      return jobs.every((j) => j.state === 'completed')
    }, 30_000, 'the queue behind it printed by the live server')
    const counts = countBy(sim.printed, labelKey)
    for (const s of smalls) expect(counts.get(`C-${String(s.number).padStart(6, '0')}`)).toBe(1)
    await body(await b.api(`/api/print-jobs/${big.id}/release`, { method: 'POST', json: { resumeAt: h.release![0].resumeAt } }))
    await eventually(async () => (await body<Job>(await b.api(`/api/print-jobs/${big.id}`))).state === 'completed', 30_000, 'released job completed')
    const bigKey = `C-${String(c.number).padStart(6, '0')}`
    expect(countBy(sim.printed, labelKey).get(bigKey)).toBe(arrived + (400 - confirmed))
  }, 150_000)
})
