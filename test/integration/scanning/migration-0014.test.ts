import { describe, expect, it } from 'vitest'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { up, down } from '../../../migrations/0014-station-event-log.ts'
import { StationEventLogStore, STATION_EVENT_LOG_KEEP_MS } from '../../../src/store/station-event-log-store.ts'

describe.each(DB_KINDS)('migration 0014 (station event log) on %s', (kind) => {
  it('when it runs again on a migrated database, then it changes nothing; down and up again leave an empty log', async () => {
    const { db, dispose } = await migratedDb(kind)
    try {
      const columns = async () => (await db.db.introspection.getTables()).flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`)).sort()
      const before = await columns()
      expect(before).toEqual(expect.arrayContaining(['station_event_log.id', 'station_event_log.station', 'station_event_log.kind', 'station_event_log.data', 'station_event_log.at']))
      await up(db.db as never)
      await up(db.db as never)
      expect(await columns()).toEqual(before)
      await down(db.db as never)
      expect((await columns()).some((c) => c.startsWith('station_event_log.'))).toBe(false)
      await up(db.db as never)
      expect(await columns()).toEqual(before)
    } finally {
      await dispose()
    }
  })

  it('when events are appended, then a station reads its own after an id, in order, and rows older than a day go at the next prune', async () => {
    const { db, dispose } = await migratedDb(kind)
    try {
      let now = 1_000_000_000_000
      const log = new StationEventLogStore(db.db, () => now)
      const first = await log.append('pack', 'station', '{"n":1}')
      await log.append('other', 'scanner', '{"n":2}')
      const third = await log.append('pack', 'scanner', '{"n":3}')
      expect(await log.lastId('pack')).toBe(third)
      expect(await log.lastId('nobody')).toBe(0)
      expect(await log.since('pack', 0, 10)).toEqual([
        { id: first, kind: 'station', data: '{"n":1}' },
        { id: third, kind: 'scanner', data: '{"n":3}' },
      ])
      expect(await log.since('pack', first, 10)).toEqual([{ id: third, kind: 'scanner', data: '{"n":3}' }])
      now += STATION_EVENT_LOG_KEEP_MS + 3_600_000
      const fourth = await log.append('pack', 'station', '{"n":4}')
      expect(await log.since('pack', 0, 10)).toEqual([{ id: fourth, kind: 'station', data: '{"n":4}' }])
    } finally {
      await dispose()
    }
  })
})
