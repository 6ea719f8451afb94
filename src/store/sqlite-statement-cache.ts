import type { SqliteDatabase, SqliteStatement } from 'kysely'

/** How many prepared statements a connection keeps (the server runs a few dozen distinct ones). */
export const STATEMENT_CACHE_SIZE = 256

interface Preparer {
  prepare(sql: string): SqliteStatement
  close(): void
}

/**
 * Kysely's SQLite driver prepares every query anew; preparing took 8 % of the server's time under
 * a queue-intake load (profiled), about as much as running the statements. This keeps the last
 * STATEMENT_CACHE_SIZE statements by their SQL text, least recently used out first. A statement is
 * run to completion synchronously (`all`/`run`), so one cached object serves every caller in
 * turn; `iterate` (a stream held across turns) always gets a statement of its own.
 */
export function cachedStatements(sqlite: Preparer, size = STATEMENT_CACHE_SIZE): SqliteDatabase & { readonly iterating: number } {
  const cache = new Map<string, SqliteStatement>()
  let iterating = 0
  /** A stream (Kysely's `.stream()`) holds the connection between turns until it ends. */
  function* counted(rows: IterableIterator<unknown>): IterableIterator<unknown> {
    iterating++
    try {
      yield* rows
    } finally {
      iterating--
    }
  }
  return {
    get iterating() {
      return iterating
    },
    close: () => {
      cache.clear()
      sqlite.close()
    },
    prepare(sql: string): SqliteStatement {
      let stmt = cache.get(sql)
      if (stmt) {
        // Most recently used last: Map keeps insertion order.
        cache.delete(sql)
      } else {
        const shared = sqlite.prepare(sql)
        stmt = {
          reader: shared.reader,
          all: (parameters) => shared.all(parameters),
          run: (parameters) => shared.run(parameters),
          iterate: (parameters) => counted(sqlite.prepare(sql).iterate(parameters)),
        }
        if (cache.size >= size) cache.delete(cache.keys().next().value as string)
      }
      cache.set(sql, stmt)
      return stmt
    },
  }
}
