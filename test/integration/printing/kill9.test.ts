import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.ts'
import { ZplPrinterSim, type ReceivedUnit } from '../../../hw-sim/printers/index.ts'
import { spawnServer, type ServerProcess } from './server-process.ts'
import { countBy, eventually } from './support.ts'

const TOKEN = 'sp_kill9_admin_token_0123456789'
const ENV = {
  STUDIO_SERVER_ID: 'kill9-location',
  STUDIO_PRINT_RETRY_MS: '100',
  STUDIO_PRINT_RETRY_MAX_MS: '300',
  STUDIO_PRINT_POLL_MS: '200',
  STUDIO_PRINT_LEASE_MS: '3000',
  STUDIO_PRINT_CONNECT_TIMEOUT_MS: '1000',
  STUDIO_PRINT_STATUS_TIMEOUT_MS: '500',
}
const labelKey = (u: ReceivedUnit) => /C-\d+/.exec(u.data.toString('latin1'))?.[0] ?? '?'
type Job = { id: number; state: string; reasons: string[]; progress: { sent: number; total: number; uncertainUpTo?: number } }

describe.each(DB_KINDS)('kill -9 of a real server process on %s', (kind) => {
  let db: TestDatabase
  let zpl: ZplPrinterSim
  let server: ServerProcess | null = null
  beforeAll(async () => {
    db = await freshDatabase(kind)
    zpl = new ZplPrinterSim('k9-zpl')
    await zpl.listen()
  })
  afterEach(async () => {
    await server?.stop()
    server = null
  })
  afterAll(async () => {
    await zpl?.close()
    await db?.dispose()
  })

  const start = async () => (server = await spawnServer({ ...ENV, DATABASE_URL: db.url }, TOKEN))
  const body = async <T>(res: Response): Promise<T> => {
    if (res.status >= 300) throw new Error(`${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }

  it('when the server dies with one job in flight and three queued, then after restart the queued ones print once each and the in-flight one is held job-sent-unconfirmed', async () => {
    let s = await start()
    await body(await s.api('/api/printers', { method: 'POST', json: { name: 'k9-zpl', language: 'zpl', uri: zpl.uri } }))
    const clients: Array<{ id: number; number: number }> = []
    for (let i = 0; i < 4; i++) clients.push(await body(await s.api('/api/clients', { method: 'POST', json: { lastName: `Kill${i}` } })))
    await zpl.setFaults({ slowMs: 40 })
    const big = await body<{ id: number }>(await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: clients[0].id, printer: 'k9-zpl', copies: 60 } }))
    const queued: number[] = []
    for (const c of clients.slice(1)) queued.push((await body<{ id: number }>(await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: c.id, printer: 'k9-zpl' } }))).id)
    await eventually(async () => (await body<Job>(await s.api(`/api/print-jobs/${big.id}`))).progress.sent >= 3, 15_000, 'the big job streaming')
    await s.kill9()
    // Bytes the dead process had handed to the kernel still drain into the (slow) printer.
    await new Promise((r) => setTimeout(r, 500))
    const arrivedBeforeRestart = zpl.printed.length
    expect(arrivedBeforeRestart).toBeGreaterThanOrEqual(3)
    expect(arrivedBeforeRestart).toBeLessThan(60)

    s = await start()
    await eventually(async () => {
      const jobs = await Promise.all(queued.map(async (id) => body<Job>(await s.api(`/api/print-jobs/${id}`))))
      return jobs.every((j) => j.state === 'completed')
    }, 20_000, 'queued jobs completed after restart')
    const held = await body<Job>(await s.api(`/api/print-jobs/${big.id}`))
    expect(held.state).toBe('held')
    expect(held.reasons).toEqual(['job-sent-unconfirmed'])
    const counts = countBy(zpl.printed, labelKey)
    for (const c of clients.slice(1)) expect(counts.get(`C-${String(c.number).padStart(6, '0')}`)).toBe(1)
    // The in-flight job got nothing more after the kill.
    const bigKey = `C-${String(clients[0].number).padStart(6, '0')}`
    expect(counts.get(bigKey)).toBe(arrivedBeforeRestart)
    expect(held.progress.sent).toBeLessThanOrEqual(arrivedBeforeRestart)

    // The operator looks at the printer, counts what came out, and releases from there.
    await zpl.setFaults({ slowMs: 0 })
    await body(await s.api(`/api/print-jobs/${big.id}/release`, { method: 'POST', json: { resumeAt: counts.get(bigKey) } }))
    await eventually(async () => (await body<Job>(await s.api(`/api/print-jobs/${big.id}`))).state === 'completed', 20_000, 'released job completed')
    expect(countBy(zpl.printed, labelKey).get(bigKey)).toBe(60)
  }, 120_000)

  it('when the server dies with jobs queued for an unreachable printer, then after restart every one prints exactly once', async () => {
    zpl.reset()
    let s = await start()
    const clients: Array<{ id: number; number: number }> = []
    for (let i = 0; i < 5; i++) clients.push(await body(await s.api('/api/clients', { method: 'POST', json: { lastName: `Queued${i}` } })))
    await zpl.setFaults({ refuseConnections: true })
    const ids: number[] = []
    for (const c of clients) ids.push((await body<{ id: number }>(await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: c.id, printer: 'k9-zpl' } }))).id)
    await eventually(async () => (await body<Job & { attempts: number }>(await s.api(`/api/print-jobs/${ids[0]}`))).attempts >= 2, 10_000, 'retries counted')
    await s.kill9()
    s = await start()
    await zpl.setFaults({ refuseConnections: false })
    await eventually(async () => {
      const jobs = await Promise.all(ids.map(async (id) => body<Job>(await s.api(`/api/print-jobs/${id}`))))
      return jobs.every((j) => j.state === 'completed')
    }, 20_000, 'all completed')
    const counts = countBy(zpl.printed, labelKey)
    expect(zpl.printed).toHaveLength(5)
    for (const c of clients) expect(counts.get(`C-${String(c.number).padStart(6, '0')}`)).toBe(1)
  }, 120_000)
})
