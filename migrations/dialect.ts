import { MysqlAdapter, sql, type Kysely, type RawBuilder } from 'kysely'

/** Column types that differ between SQLite and MariaDB. */
export function types(db: Kysely<unknown>): { bigText: RawBuilder<unknown> | 'text' } {
  const mysql = db.getExecutor().adapter instanceof MysqlAdapter
  // MariaDB's TEXT stops at 64 KB; a record's JSON may be larger (bodies go up to 1 MB).
  return { bigText: mysql ? sql`longtext` : 'text' }
}
