import { MysqlAdapter, sql, type Kysely } from 'kysely'

/**
 * Keys that must match exactly, byte for byte: a print job's Idempotency-Key (`Order-7f3a` and
 * `order-7F3A` are two requests) and the claimer recorded on a job. MariaDB compares with the
 * database's default collation — case-insensitive `utf8mb4_general_ci` on a database created
 * with the server's defaults — so these columns get the binary collation. SQLite compares
 * bytes already (BINARY). Running it again changes nothing.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof MysqlAdapter)) return
  await sql`ALTER TABLE print_jobs
    MODIFY idempotency_key varchar(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
    MODIFY claimed_by varchar(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL`.execute(db)
}

export async function down(db: Kysely<unknown>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof MysqlAdapter)) return
  await sql`ALTER TABLE print_jobs
    MODIFY idempotency_key varchar(200) NULL,
    MODIFY claimed_by varchar(200) NULL`.execute(db)
}
