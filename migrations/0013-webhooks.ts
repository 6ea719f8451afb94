import { MysqlAdapter, sql, type Kysely } from 'kysely'
import { types } from './dialect.ts'

/**
 * Webhooks: endpoints (admin-managed), the events outbox and the delivery log.
 *
 * Events are written by triggers on print_jobs (a job inserted, or its state changed) and
 * scan_log (a scan result, with its scanId), inside the very transaction that made the change: an event exists
 * exactly when its change committed, whichever server or code path made it, and a crash loses
 * none. Safe to run twice (IF NOT EXISTS everywhere).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { bigText } = types(db)
  const mysql = db.getExecutor().adapter instanceof MysqlAdapter
  await db.schema
    .createTable('webhook_endpoints')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('url', 'varchar(1000)', (c) => c.notNull())
    .addColumn('events', 'varchar(200)', (c) => c.notNull())
    .addColumn('secret', 'varchar(200)', (c) => c.notNull())
    .addColumn('description', 'varchar(200)')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('webhook_events')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('type', 'varchar(40)', (c) => c.notNull())
    .addColumn('payload', bigText, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    // 0 until a dispatcher has made this event's deliveries (one per endpoint that wants it).
    .addColumn('fanned_out', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.createIndex('webhook_events_fan_out').ifNotExists().on('webhook_events').columns(['fanned_out', 'id']).execute()
  await db.schema
    .createTable('webhook_deliveries')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('event_id', 'integer', (c) => c.notNull())
    .addColumn('endpoint_id', 'integer', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('claimed_by', 'varchar(200)')
    .addColumn('claim_until', 'bigint')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'varchar(1000)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint')
    .addUniqueConstraint('webhook_deliveries_event_endpoint', ['event_id', 'endpoint_id'])
    .execute()
  await db.schema.createIndex('webhook_deliveries_due').ifNotExists().on('webhook_deliveries').columns(['state', 'next_attempt_at']).execute()
  await db.schema.createIndex('webhook_deliveries_endpoint').ifNotExists().on('webhook_deliveries').columns(['endpoint_id', 'id']).execute()

  const jobEvent = (row: 'NEW', from: string) =>
    mysql
      ? `JSON_OBJECT('jobId', ${row}.id, 'printer', ${row}.printer, 'from', ${from}, 'to', ${row}.state, 'reasons', JSON_QUERY(${row}.reasons, '$'), 'document', ${row}.document, 'recordIds', JSON_QUERY(${row}.record_ids, '$'), 'attempts', ${row}.attempts, 'confirmed', ${row}.confirmed, 'createdAt', ${row}.created_at, 'at', ${row}.updated_at)`
      : `json_object('jobId', ${row}.id, 'printer', ${row}.printer, 'from', ${from}, 'to', ${row}.state, 'reasons', json(${row}.reasons), 'document', ${row}.document, 'recordIds', json(${row}.record_ids), 'attempts', ${row}.attempts, 'confirmed', ${row}.confirmed, 'createdAt', ${row}.created_at, 'at', ${row}.updated_at)`
  // A scan event's time is the database's clock at commit (the scan's own `at` is when it was read).
  const nowMs = mysql ? 'CAST(UNIX_TIMESTAMP(CURRENT_TIMESTAMP(3)) * 1000 AS SIGNED)' : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
  const insertEvent = (type: string, payload: string, at: string) => `INSERT INTO webhook_events (type, payload, created_at, fanned_out) VALUES ('${type}', ${payload}, ${at}, 0)`
  if (mysql) {
    await sql.raw(`CREATE TRIGGER IF NOT EXISTS webhook_print_job_inserted AFTER INSERT ON print_jobs FOR EACH ROW ${insertEvent('print-job.state-changed', jobEvent('NEW', 'NULL'), 'NEW.updated_at')}`).execute(db)
    await sql
      .raw(
        `CREATE TRIGGER IF NOT EXISTS webhook_print_job_state AFTER UPDATE ON print_jobs FOR EACH ROW ` +
          `INSERT INTO webhook_events (type, payload, created_at, fanned_out) SELECT 'print-job.state-changed', ${jobEvent('NEW', 'OLD.state')}, NEW.updated_at, 0 FROM DUAL WHERE NOT (OLD.state <=> NEW.state)`,
      )
      .execute(db)
    await sql.raw(`CREATE TRIGGER IF NOT EXISTS webhook_scan AFTER INSERT ON scan_log FOR EACH ROW ${insertEvent('scan.result', "JSON_SET(NEW.result, '$.scanId', NEW.id)", nowMs)}`).execute(db)
  } else {
    await sql.raw(`CREATE TRIGGER IF NOT EXISTS webhook_print_job_inserted AFTER INSERT ON print_jobs BEGIN ${insertEvent('print-job.state-changed', jobEvent('NEW', 'NULL'), 'NEW.updated_at')}; END`).execute(db)
    await sql.raw(`CREATE TRIGGER IF NOT EXISTS webhook_print_job_state AFTER UPDATE OF state ON print_jobs WHEN OLD.state IS NOT NEW.state BEGIN ${insertEvent('print-job.state-changed', jobEvent('NEW', 'OLD.state'), 'NEW.updated_at')}; END`).execute(db)
    await sql.raw(`CREATE TRIGGER IF NOT EXISTS webhook_scan AFTER INSERT ON scan_log BEGIN ${insertEvent('scan.result', "json_set(NEW.result, '$.scanId', NEW.id)", nowMs)}; END`).execute(db)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['webhook_print_job_inserted', 'webhook_print_job_state', 'webhook_scan']) await sql.raw(`DROP TRIGGER IF EXISTS ${t}`).execute(db)
  await db.schema.dropTable('webhook_deliveries').ifExists().execute()
  await db.schema.dropTable('webhook_events').ifExists().execute()
  await db.schema.dropTable('webhook_endpoints').ifExists().execute()
}
