import { describe, expect, it } from 'vitest'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { up } from '../../../migrations/0010-production-floor.ts'

describe.each(DB_KINDS)('migration 0010 (production floor) on %s', (kind) => {
  it('when it runs again on a migrated database, then it changes nothing and fails nothing', async () => {
    const { db, dispose } = await migratedDb(kind)
    try {
      const columns = async () => (await db.db.introspection.getTables()).flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`)).sort()
      const before = await columns()
      expect(before).toEqual(expect.arrayContaining(['stations.batch_id', 'stations.target_kind', 'stations.allow_backward', 'stations.batch_last_scan_at', 'scan_log.batch_id', 'status_history.reason']))
      await up(db.db as never)
      await up(db.db as never)
      expect(await columns()).toEqual(before)
    } finally {
      await dispose()
    }
  })
})
