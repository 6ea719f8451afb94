import type { Kysely } from 'kysely'
import { types } from './dialect.ts'

/** Scanner stations, their scanners, and the scan log (every scan with its outcome). */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { bigText } = types(db)
  await db.schema
    .createTable('stations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'varchar(80)', (c) => c.notNull().unique())
    .addColumn('mode', 'varchar(20)', (c) => c.notNull())
    .addColumn('advance_to', 'varchar(40)')
    // A batch (for duplicate-in-batch) starts when the station's mode or target changes.
    .addColumn('batch_started_at', 'bigint', (c) => c.notNull())
    // The record open at a lookup station (set by compare-and-set: one at a time).
    .addColumn('open_type', 'varchar(20)')
    .addColumn('open_id', 'integer')
    .addColumn('opened_at', 'bigint')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('scanners')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'varchar(80)', (c) => c.notNull().unique())
    .addColumn('station', 'varchar(80)', (c) => c.notNull())
    .addColumn('uri', 'varchar(1000)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('scanners_station').on('scanners').column('station').execute()

  await db.schema
    .createTable('scan_log')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('station', 'varchar(80)', (c) => c.notNull())
    .addColumn('scanner', 'varchar(80)')
    .addColumn('source', 'varchar(10)', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('outcome', 'varchar(20)', (c) => c.notNull())
    .addColumn('code', 'varchar(40)')
    .addColumn('record_type', 'varchar(20)')
    .addColumn('record_id', 'integer')
    .addColumn('order_id', 'integer')
    .addColumn('from_status', 'varchar(40)')
    .addColumn('to_status', 'varchar(40)')
    // The order's version right after this scan advanced it (undo compares against it).
    .addColumn('order_version', 'integer')
    .addColumn('undone_at', 'bigint')
    // The whole result as pushed to the station's event stream (replayed for Last-Event-ID).
    .addColumn('result', bigText, (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('scan_log_station').on('scan_log').columns(['station', 'id']).execute()
  await db.schema.createIndex('scan_log_station_order').on('scan_log').columns(['station', 'order_id']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('scan_log').execute()
  await db.schema.dropTable('scanners').execute()
  await db.schema.dropTable('stations').execute()
}
