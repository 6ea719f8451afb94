import { describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { createDb } from '../../../src/store/create-db.ts'
import { WebhookStore } from '../../../src/app/webhooks/webhook-store.ts'

describe.each(DB_KINDS)('webhook fan-out (%s)', { timeout: 60_000 }, (kind) => {
  it('when wanted and unwanted events are interleaved and two dispatchers fan out at once, then each wanted event gets one delivery per endpoint and every event is marked once', async () => {
    const { db, url, dispose } = await migratedDb(kind)
    // MariaDB: a second connection pool, as a second server has. SQLite: one connection (two in one
    // thread would wait on each other synchronously; two processes are tested end to end elsewhere).
    const other = kind === 'mariadb' ? await createDb(url) : null
    try {
      const a = new WebhookStore(db.db as never)
      const b = new WebhookStore((other ?? db).db as never)
      await a.create({ url: 'http://127.0.0.1:9/one', events: ['scan.result'], secret: 's'.repeat(32), description: null })
      await a.create({ url: 'http://127.0.0.1:9/two', events: ['scan.result'], secret: 't'.repeat(32), description: null })
      // 30 events: every third a scan (wanted by both endpoints), the rest print-job events no endpoint wants.
      for (let i = 0; i < 30; i++) {
        const type = i % 3 === 0 ? 'scan.result' : 'print-job.state-changed'
        await sql`insert into webhook_events (type, payload, created_at, fanned_out) values (${type}, ${'{}'}, ${Date.now()}, 0)`.execute(db.db)
      }
      // Small batches, both dispatchers racing, until nothing is left.
      let made = 0
      for (;;) {
        const [x, y] = await Promise.all([a.fanOut(7), b.fanOut(7)])
        made += x + y
        const left = await sql<{ n: number }>`select count(*) as n from webhook_events where fanned_out = 0`.execute(db.db)
        if (Number(left.rows[0].n) === 0) break
      }
      const deliveries = await sql<{ event_id: number; endpoint_id: number }>`select event_id, endpoint_id from webhook_deliveries order by event_id, endpoint_id`.execute(db.db)
      expect(made).toBe(20)
      expect(deliveries.rows).toHaveLength(20)
      expect(new Set(deliveries.rows.map((r) => `${r.event_id}/${r.endpoint_id}`)).size).toBe(20)
      const events = await sql<{ id: number; type: string }>`select id, type from webhook_events order by id`.execute(db.db)
      const wantedIds = events.rows.filter((e) => e.type === 'scan.result').map((e) => Number(e.id))
      expect([...new Set(deliveries.rows.map((r) => Number(r.event_id)))]).toEqual(wantedIds)
    } finally {
      await other?.close()
      await dispose()
    }
  })
})
