import type { Kysely } from 'kysely'
import { types } from './dialect.ts'

/**
 * The station event log: scanner state changes and station changes (mode, target, batch, open
 * record, deletion), one row each, so that a station's screen on any server sees those made on
 * another — the scan log does the same for scans. Station streams tail it by id; rows are
 * snapshots (the whole station or scanner state), so an old row is never needed again: the
 * store deletes rows older than a day. Safe to run twice (IF NOT EXISTS).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { bigText } = types(db)
  await db.schema
    .createTable('station_event_log')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('station', 'varchar(80)', (c) => c.notNull())
    // 'scanner' | 'station'
    .addColumn('kind', 'varchar(20)', (c) => c.notNull())
    // The event's data as the stream writes it (JSON).
    .addColumn('data', bigText, (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute()
  try {
    await db.schema.createIndex('station_event_log_station').ifNotExists().on('station_event_log').columns(['station', 'id']).execute()
  } catch (err) {
    // MariaDB before 10.1.4 has no IF NOT EXISTS for indexes; an existing index is what we want.
    if (!/exist|Duplicate key name/i.test(String((err as Error).message))) throw err
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('station_event_log').ifExists().execute()
}
