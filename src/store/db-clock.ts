import { MysqlAdapter, sql, type Kysely, type RawBuilder } from 'kysely'

/**
 * The database's own clock, in epoch milliseconds, as an SQL expression. Several servers share one
 * MariaDB: times they compare (a batch's idle end) are written and read by this one clock, never
 * by each server's. On SQLite the database is embedded: its clock is the host's.
 */
export function dbNowMs<DB>(db: Kysely<DB>): RawBuilder<number> {
  return db.getExecutor().adapter instanceof MysqlAdapter
    ? sql<number>`CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)`
    : sql<number>`CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)`
}
