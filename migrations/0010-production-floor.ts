import type { Kysely } from 'kysely'

/**
 * The production floor (batches that end, backward moves refused, reasons on hand changes):
 * - stations: `target_kind` (next | chosen), `allow_backward`, `batch_id` and
 *   `batch_last_scan_at` (the database's clock, so that servers with different clocks agree);
 * - scan_log: `batch_id` of each scan (duplicate-in-batch and undo compare ids, not times);
 * - status_history: `reason` of a status changed by hand.
 * Safe to run twice: a column that exists already is left alone.
 */
const COLUMNS: Array<{ table: string; column: string; add: (db: Kysely<unknown>) => Promise<void> }> = [
  { table: 'stations', column: 'target_kind', add: (db) => db.schema.alterTable('stations').addColumn('target_kind', 'varchar(10)', (c) => c.notNull().defaultTo('next')).execute() },
  { table: 'stations', column: 'allow_backward', add: (db) => db.schema.alterTable('stations').addColumn('allow_backward', 'integer', (c) => c.notNull().defaultTo(0)).execute() },
  { table: 'stations', column: 'batch_id', add: (db) => db.schema.alterTable('stations').addColumn('batch_id', 'bigint', (c) => c.notNull().defaultTo(1)).execute() },
  { table: 'stations', column: 'batch_last_scan_at', add: (db) => db.schema.alterTable('stations').addColumn('batch_last_scan_at', 'bigint').execute() },
  { table: 'scan_log', column: 'batch_id', add: (db) => db.schema.alterTable('scan_log').addColumn('batch_id', 'bigint').execute() },
  { table: 'status_history', column: 'reason', add: (db) => db.schema.alterTable('status_history').addColumn('reason', 'varchar(500)').execute() },
]

async function existing(db: Kysely<unknown>): Promise<Set<string>> {
  const tables = await db.introspection.getTables()
  return new Set(tables.flatMap((t) => t.columns.map((c) => `${t.name}.${c.name}`)))
}

export async function up(db: Kysely<unknown>): Promise<void> {
  const have = await existing(db)
  for (const c of COLUMNS) if (!have.has(`${c.table}.${c.column}`)) await c.add(db)
  // An index per (station, batch, order) serves duplicate-in-batch; created once.
  try {
    await db.schema.createIndex('scan_log_station_batch').ifNotExists().on('scan_log').columns(['station', 'batch_id', 'order_id']).execute()
  } catch (err) {
    // MariaDB before 10.1.4 has no IF NOT EXISTS for indexes; an existing index is what we want.
    if (!/exist|Duplicate key name/i.test(String((err as Error).message))) throw err
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('scan_log_station_batch').on('scan_log').execute()
  const have = await existing(db)
  for (const c of [...COLUMNS].reverse()) if (have.has(`${c.table}.${c.column}`)) await db.schema.alterTable(c.table).dropColumn(c.column).execute()
}
