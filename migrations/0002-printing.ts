import { MysqlAdapter, sql, type Kysely } from 'kysely'
import { types } from './dialect.ts'

/**
 * Printers and the durable print queue.
 * - printers.location: the server id (STUDIO_SERVER_ID) that owns the printer and alone sends to it.
 * - print_jobs.payload: the bytes rendered when the job was accepted (every unit concatenated;
 *   unit_lengths says where each one ends), so that a resume or a reprint sends exactly what was
 *   accepted, whatever happened to the record since.
 * - sent_units: units the printer confirmed (the resume point); written_units: units handed to
 *   the OS (may exceed sent_units when a connection broke); sending_started: set before the first
 *   write of an attempt, so crash recovery knows whether bytes may have gone out.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { bigText } = types(db)
  const mysql = db.getExecutor().adapter instanceof MysqlAdapter
  const blob = mysql ? sql`longblob` : 'blob'
  await db.schema
    .createTable('printers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'varchar(80)', (c) => c.notNull().unique())
    .addColumn('language', 'varchar(10)', (c) => c.notNull())
    .addColumn('uri', 'varchar(500)', (c) => c.notNull())
    .addColumn('location', 'varchar(80)', (c) => c.notNull())
    .addColumn('media', 'varchar(200)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('printers_location').on('printers').column('location').execute()

  await db.schema
    .createTable('print_jobs')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('printer', 'varchar(80)', (c) => c.notNull())
    .addColumn('state', 'varchar(20)', (c) => c.notNull())
    .addColumn('reasons', 'varchar(1000)', (c) => c.notNull())
    .addColumn('message', 'varchar(2000)')
    .addColumn('document', 'varchar(40)', (c) => c.notNull())
    .addColumn('record_ids', bigText, (c) => c.notNull())
    .addColumn('format', 'varchar(10)', (c) => c.notNull())
    .addColumn('options', 'varchar(1000)', (c) => c.notNull())
    .addColumn('copies', 'integer', (c) => c.notNull())
    .addColumn('content_type', 'varchar(100)', (c) => c.notNull())
    .addColumn('payload', blob, (c) => c.notNull())
    .addColumn('unit_lengths', bigText, (c) => c.notNull())
    .addColumn('total_units', 'integer', (c) => c.notNull())
    .addColumn('sent_units', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('written_units', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('confirmed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sending_started', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_by', 'varchar(200)')
    .addColumn('lease_until', 'bigint')
    .addColumn('idempotency_key', 'varchar(200)', (c) => c.unique())
    .addColumn('request_hash', 'varchar(64)')
    .addColumn('reprint_of', 'integer')
    .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute()
  await db.schema.createIndex('print_jobs_queue').on('print_jobs').columns(['printer', 'state', 'id']).execute()
  await db.schema.createIndex('print_jobs_state').on('print_jobs').columns(['state', 'id']).execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('print_jobs').ifExists().execute()
  await db.schema.dropTable('printers').ifExists().execute()
}
