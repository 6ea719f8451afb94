import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.ts'
import { ZplPrinterSim, type ReceivedUnit } from '../../../hw-sim/printers/index.ts'
import { spawnServer, type ServerProcess } from './server-process.ts'
import { countBy, eventually } from './support.ts'

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
    const done = servers.map((s) => (s.output().match(/print job completed/g) ?? []).length)
    expect(done[0] + done[1]).toBe(80)
    expect(done[0]).toBeGreaterThan(0)
    expect(done[1]).toBeGreaterThan(0)
  }, 120_000)
})
