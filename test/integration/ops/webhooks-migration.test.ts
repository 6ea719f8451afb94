import { describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import * as m0013 from '../../../migrations/0013-webhooks.ts'
import { ScanLogStore } from '../../../src/store/scan-log-store.ts'

describe.each(DB_KINDS)('migration 0013-webhooks (%s)', (kind) => {
  it('when it runs a second time, then nothing changes and a scan still makes exactly one event', async () => {
    const { db, dispose } = await migratedDb(kind)
    try {
      await m0013.up(db.db as never)
      const log = new ScanLogStore(db.db)
      const id = await log.append({ station: 'desk', scanner: null, source: 'http', data: 'C-000001', outcome: 'error', code: 'RECORD_NOT_FOUND', recordType: null, recordId: null, orderId: null, fromStatus: null, toStatus: null, orderVersion: null, at: Date.now() }, { outcome: 'error' })
      const rows = (await sql<{ type: string; payload: string }>`select type, payload from webhook_events`.execute(db.db)).rows
      expect(rows.map((r) => r.type)).toEqual(['scan.result'])
      expect(JSON.parse(rows[0].payload)).toEqual({ outcome: 'error', scanId: id })
    } finally {
      await dispose()
    }
  })
})
