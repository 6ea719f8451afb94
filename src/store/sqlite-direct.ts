import type { CompiledQuery, Kysely, QueryResult, SqliteDatabase } from 'kysely'
import type { Database } from './schema.ts'

/** Runs a compiled query at once, or answers null when it must wait its turn (a transaction is open). */
export type DirectLane = <O>(query: CompiledQuery<O>) => QueryResult<O> | null

const lanes = new WeakMap<object, DirectLane>()

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
export function openDirectLane(db: Kysely<Database>, sqlite: { readonly inTransaction: boolean }, statements: SqliteDatabase & { readonly iterating: number }): void {
  lanes.set(db, <O>(query: CompiledQuery<O>): QueryResult<O> | null => {
    // A stream being read holds the connection across turns too (SQLite would refuse a write).
    if (sqlite.inTransaction || statements.iterating > 0) return null
    // As Kysely's SQLite connection answers (kysely/dist/esm/dialect/sqlite/sqlite-driver.js).
    const stmt = statements.prepare(query.sql)
    if (stmt.reader) return { rows: stmt.all(query.parameters) as O[] }
    const { changes, lastInsertRowid } = stmt.run(query.parameters)
    return {
      numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
      insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
      rows: [],
    }
  })
}

/** The direct lane of this database (a transaction has none: it goes through Kysely). */
export function directLane(db: Kysely<Database>): DirectLane | undefined {
  return lanes.get(db)
}
