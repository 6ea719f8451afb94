import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { DB_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.ts'
import { createDb } from '../../../src/store/create-db.ts'
import { ZplPrinterSim } from '../../../hw-sim/printers/index.ts'
import { spawnServer, type ServerProcess } from './server-process.ts'
import { PrintingHarness, eventually } from './support.ts'

/** A printer reading 10 ms after each chunk: a 700-label job lasts well past the 5 s grace of a stop. */
const SLOW = { slowMs: 10 }
const TOKEN = 'sp_stop_edit_admin_token_01234567'

describe.each(DB_KINDS)('SIGTERM of a real server process mid-job on %s (default settings)', (kind) => {
  let db: TestDatabase
  const zpl = new ZplPrinterSim(`term-${kind}`)
  let server: ServerProcess | null = null
  beforeAll(async () => {
    db = await freshDatabase(kind)
    await zpl.listen()
  })
  afterAll(async () => {
    await server?.stop()
    await zpl.close()
    await db?.dispose()
  })

  const body = async <T>(res: Response): Promise<T> => {
    if (res.status >= 300) throw new Error(`${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }

  it('when the server is stopped while a 700-label job prints, then the label in flight is confirmed and the job waits in the queue at exactly the labels that arrived; after a restart every label has printed exactly once', async () => {
    const env = { STUDIO_SERVER_ID: `term-${kind}`, DATABASE_URL: db.url }
    server = await spawnServer(env, TOKEN)
    await body(await server.api('/api/printers', { method: 'POST', json: { name: zpl.name, language: 'zpl', uri: zpl.uri } }))
    const c = await body<{ id: number }>(await server.api('/api/clients', { method: 'POST', json: { lastName: 'Term' } }))
    await zpl.setFaults(SLOW)
    const job = await body<{ id: number }>(await server.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: c.id, printer: zpl.name, copies: 700 } }))
    await eventually(() => zpl.printed.length >= 20, 15_000, '20 labels printed')
    await server.stop()
    server = null
    await eventually(() => zpl.openConnections === 0, 10_000, 'the connection closed')
    const arrived = zpl.printed.length
    const check = await createDb(db.url)
    try {
      const row = (await sql<{ state: string; reasons: string; sent_units: number; written_units: number }>`SELECT state, reasons, sent_units, written_units FROM print_jobs WHERE id = ${job.id}`.execute(check.db)).rows[0]
      expect({ state: row.state, reasons: JSON.parse(row.reasons), sent: Number(row.sent_units), written: Number(row.written_units) }).toEqual({ state: 'pending', reasons: ['job-queued'], sent: arrived, written: arrived })
    } finally {
      await check.close()
    }
    await zpl.setFaults({ slowMs: 0 })
    server = await spawnServer(env, TOKEN)
    await eventually(async () => (await body<{ state: string }>(await server!.api(`/api/print-jobs/${job.id}`))).state === 'completed', 30_000, 'completed after restart')
    expect(zpl.printed).toHaveLength(700)
  }, 90_000)
})

describe.each(DB_KINDS)('editing a printer while it prints, on %s (default settings)', (kind) => {
  let h: PrintingHarness
  const zpl = new ZplPrinterSim('edited')
  let client: number
  beforeAll(async () => {
    h = await PrintingHarness.startWithDefaults(kind)
    await zpl.listen()
    await h.printerFor(zpl, 'zpl')
    client = await h.client('Edited')
  })
  afterAll(async () => {
    await h?.close()
    await zpl.close()
  })

  it('when its media changes mid-job, then the job goes on in the same attempt and every label prints exactly once', async () => {
    await zpl.setFaults(SLOW)
    const { id } = await h.submit({ document: 'client-label', recordId: client, printer: zpl.name, copies: 700 })
    await eventually(() => zpl.printed.length >= 20, 15_000, '20 labels printed')
    const res = await h.api(`/api/printers/${zpl.name}`, { method: 'PATCH', json: { media: { stock: '4x6', dpi: 203 } } })
    expect(res.status).toBe(200)
    const seen = new Set<string>()
    const done = await h.waitJob(id, (j) => (seen.add(j.state), j.state !== 'processing'), 60_000)
    expect(done).toMatchObject({ state: 'completed', attempts: 1, progress: { sent: 700, total: 700 } })
    expect([...seen]).toEqual(['processing', 'completed'])
    expect(zpl.printed).toHaveLength(700)
  }, 90_000)
})
