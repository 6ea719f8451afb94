import { describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { DB_KINDS, freshDatabase } from '../../support/databases.ts'
import { createDb } from '../../../src/store/create-db.ts'
import { migrateToLatest } from '../../../src/store/migrate.ts'
import { ScanLogStore, type ScanLogEntry } from '../../../src/store/scan-log-store.ts'
import { StationStore } from '../../../src/store/station-store.ts'

const entry = (data: string): ScanLogEntry => ({
  station: 'pack',
  scanner: null,
  source: 'http',
  data,
  outcome: 'error',
  code: 'RECORD_NOT_FOUND',
  recordType: null,
  recordId: null,
  orderId: null,
  fromStatus: null,
  toStatus: null,
  orderVersion: null,
  at: Date.now(),
})

/**
 * Streams tail the scan log by id, so a station's ids must commit in id order: a reader must
 * never see id N+1 while N is still uncommitted (it would move past N for good). On MySQL two
 * servers' inserts could commit out of order; SQLite has one writer at a time.
 */
describe.skipIf(!DB_KINDS.includes('mariadb'))('scan-log ids of one station on MariaDB', () => {
  it('when one server holds an open scan-log transaction, then another server’s scan at that station waits for it, so ids commit in order', async () => {
    const fresh = await freshDatabase('mariadb')
    const one = await createDb(fresh.url)
    const two = await createDb(fresh.url)
    try {
      await migrateToLatest(one.db as never)
      await new StationStore(one.db, () => new Date()).create({ name: 'pack', mode: 'lookup', advanceTo: null, location: null })
      const logOne = new ScanLogStore(one.db)
      const logTwo = new ScanLogStore(two.db)
      let second: Promise<number> | null = null
      let secondDone = false
      const first = await one.db.transaction().execute(async (trx) => {
        const id = await logOne.append(entry('FIRST'), {}, trx)
        second = logTwo.append(entry('SECOND'), {}).finally(() => (secondDone = true))
        // Until the second insert is seen waiting for a lock (or finishes, which is the defect).
        for (;;) {
          const waiting = await sql<{ n: number }>`SELECT COUNT(*) AS n FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'`.execute(two.db)
          if (Number(waiting.rows[0].n) >= 1 || secondDone) break
          await new Promise((r) => setTimeout(r, 10))
        }
        expect(secondDone).toBe(false)
        expect(await logTwo.since('pack', 0, 10)).toEqual([])
        return id
      })
      const later = await second!
      expect(later).toBeGreaterThan(first)
      expect((await logTwo.since('pack', 0, 10)).map((r) => r.scanId)).toEqual([first, later])
    } finally {
      await one.close()
      await two.close()
      await fresh.dispose()
    }
  }, 30_000)
})
