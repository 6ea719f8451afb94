import { MysqlAdapter, sql, type Kysely } from 'kysely'

/**
 * Job payloads in chunks: a job's rendered bytes are stored as rows of at most 1 MiB
 * (print_job_chunks, in order of seq) instead of one value in print_jobs.payload, so that the
 * largest job the limits allow (64 MiB) is written and read on MariaDB with its default
 * max_allowed_packet (16 MiB). print_jobs.payload stays for jobs stored before: a job with no
 * chunks is read from it. Safe to run twice (IF NOT EXISTS).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const mysql = db.getExecutor().adapter instanceof MysqlAdapter
  await db.schema
    .createTable('print_job_chunks')
    .ifNotExists()
    .addColumn('job_id', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('data', mysql ? sql`longblob` : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('print_job_chunks_pk', ['job_id', 'seq'])
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('print_job_chunks').ifExists().execute()
}
