import type { CompiledQuery, Kysely, QueryResult, SqliteDatabase } from 'kysely'
import type { Database } from './schema.ts'

/** Runs a compiled query at once, or answers null when it must wait its turn (a transaction is open). */
export type DirectLane = <O>(query: CompiledQuery<O>) => QueryResult<O> | null
/** Runs compiled queries at once, inside the transaction `directTransaction` opened. */
export type RunNow = <O>(query: CompiledQuery<O>) => QueryResult<O>

const lanes = new WeakMap<object, DirectLane>()
const transactions = new WeakMap<object, <T>(body: (run: RunNow) => T) => T | undefined>()

/**
 * SQLite answers synchronously, yet Kysely runs every query through a promise-based connection
 * lock and three async layers: about 4 KB of garbage and two event-loop turns per statement, a
 * dozen statements per label. When no transaction is open on the one connection, a query can run
 * right away with the same result — nothing else can be half-way through the connection, since a
 * statement outside a transaction runs to completion in one call. Inside a transaction or while
 * a stream is read (both span turns) the lane answers null and the query queues in Kysely as
 * before. A query issued while one waits may now run before it: code that needs an order between
 * two queries awaits the first, as it always had to across flows.
 */
export function openDirectLane(
  db: Kysely<Database>,
  sqlite: { readonly inTransaction: boolean; transaction<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R },
  statements: SqliteDatabase & { readonly iterating: number },
): { busy: () => boolean } {
  // As Kysely's SQLite connection answers (kysely/dist/esm/dialect/sqlite/sqlite-driver.js).
  const runNow: RunNow = <O>(query: CompiledQuery<O>): QueryResult<O> => {
    const stmt = statements.prepare(query.sql)
    if (stmt.reader) return { rows: stmt.all(query.parameters) as O[] }
    const { changes, lastInsertRowid } = stmt.run(query.parameters)
    return {
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    }
  }
  // A transaction, or a stream being read, holds the connection across turns (SQLite would
  // refuse a write; a checkpoint can't run inside a transaction).
  const busy = (): boolean => sqlite.inTransaction || statements.iterating > 0
  lanes.set(db, <O>(query: CompiledQuery<O>): QueryResult<O> | null => (busy() ? null : runNow(query)))
  // better-sqlite3's transaction: BEGIN, the body, COMMIT — or ROLLBACK and the error thrown.
  const inOne = sqlite.transaction(<T>(body: (run: RunNow) => T): T => body(runNow))
  transactions.set(db, <T>(body: (run: RunNow) => T): T | undefined => (busy() ? undefined : (inOne(body) as T)))
  return { busy }
}

/**
 * Runs `body` as one transaction, synchronously: nothing else can run on the connection between
 * its statements, and they share one commit. Undefined (nothing ran) when the database has no
 * direct lane (MariaDB, a transaction object) or the connection is busy now: do the work the
 * ordinary way then. Throws what a statement or the commit threw, after rolling back.
 */
export function directTransaction<T>(db: Kysely<Database>, body: (run: RunNow) => T): T | undefined {
  return transactions.get(db)?.(body)
}

/** The direct lane of this database (a transaction has none: it goes through Kysely). */
export function directLane(db: Kysely<Database>): DirectLane | undefined {
  return lanes.get(db)
}
