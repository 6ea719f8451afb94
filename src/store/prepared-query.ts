import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely'
import type { Database } from './schema.ts'
import { directLane } from './sqlite-direct.ts'

/** A parameter's place in a query built once (any value while building; never read). */
class Slot {
  constructor(readonly name: string) {}
}

/** Where each parameter of the compiled query comes from: a caller's value by name, or a value fixed when it was built. */
type Source = { slot: string } | { fixed: unknown }

interface Built {
  query: CompiledQuery
  sources: Source[]
}

/**
 * A query built and compiled once per database kind, then run with new values. Kysely builds an
 * immutable tree and compiles it to SQL on every call (about 20 µs for a 27-column select, more
 * garbage than the statement itself); the print path runs a dozen such queries per label.
 *
 * `build` receives stand-ins for the parameters: use each only as a value (a comparison's right
 * side, a `set` or insert value, a limit), never to decide the query's shape (no `if`, no list
 * whose length varies, no nested objects: a stand-in stands for a whole value) — the SQL is made
 * once and must not depend on the values. A stand-in the compiled SQL does not carry is a mistake
 * caught at the first run.
 */
/** Runs the query with these values; `compile` gives the compiled query with them (for a synchronous SQLite transaction). */
export type PreparedQuery<P, O> = ((db: Kysely<Database>, params: P) => Promise<QueryResult<O>>) & {
  compile(db: Kysely<Database>, params: P): CompiledQuery<O>
}

export function preparedQuery<P extends object, O>(build: (db: Kysely<Database>, p: P) => Compilable<O>): PreparedQuery<P, O> {
  // Per dialect adapter: a transaction shares its database's adapter, two databases have their own.
  const byAdapter = new WeakMap<object, Built>()
  const prepare = (db: Kysely<Database>, params: P): Built => {
    const names = Object.keys(params)
    const standIns = Object.fromEntries(names.map((name) => [name, new Slot(name)])) as unknown as P
    const query = build(db, standIns).compile() as CompiledQuery
    const sources: Source[] = query.parameters.map((v) => (v instanceof Slot ? { slot: v.name } : { fixed: v }))
    const used = new Set(sources.flatMap((s) => ('slot' in s ? [s.slot] : [])))
    const unused = names.filter((name) => !used.has(name))
    if (unused.length > 0) throw new Error(`preparedQuery: ${unused.join(', ')} not in the SQL (a stand-in used to shape the query?)`)
    return { query, sources }
  }
  const compile = (db: Kysely<Database>, params: P): CompiledQuery<O> => {
    const adapter = db.getExecutor().adapter
    let built = byAdapter.get(adapter)
    if (!built) {
      built = prepare(db, params)
      byAdapter.set(adapter, built)
    }
    const values = params as Record<string, unknown>
    const parameters = built.sources.map((s) => ('slot' in s ? values[s.slot] : s.fixed))
    return { ...built.query, parameters } as CompiledQuery<O>
  }
  const run = async (db: Kysely<Database>, params: P): Promise<QueryResult<O>> => {
    const query = compile(db, params)
    return directLane(db)?.(query) ?? db.executeQuery<O>(query)
  }
  return Object.assign(run, { compile })
}
