import { createReadStream, createWriteStream, openSync, readSync, closeSync, existsSync, statSync } from 'node:fs'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { sql, type Kysely, type Transaction } from 'kysely'
import { createMigrator } from '../store/migrate.ts'
import { MIGRATIONS } from '../../migrations/index.ts'
import { parseDatabaseUrl, type Db } from '../store/create-db.ts'
import { CliError, EXIT } from './exit-codes.ts'

export const DUMP_FORMAT = 'studio-print-dump'
const MIGRATION_TABLES = new Set(['schema_migrations', 'schema_migrations_lock'])
/** Filled by triggers while rows are inserted: restored last, after those rows are dropped again. */
const RESTORED_LAST = ['webhook_deliveries', 'webhook_events']

export interface DumpHeader {
  format: typeof DUMP_FORMAT
  version: 1
  dialect: string
  createdAt: string
  migrations: string[]
  tables: string[]
}

export interface BackupResult {
  file: string
  kind: 'sqlite' | 'dump'
  bytes: number
  tables?: Record<string, number>
}

const SQLITE_MAGIC = 'SQLite format 3\u0000'

/**
 * SQLite: an online backup (SQLite's backup API through better-sqlite3) to a database file,
 * checked with `PRAGMA quick_check`. Any dialect with `dump: true`: a consistent dump (one
 * snapshot: MariaDB `START TRANSACTION WITH CONSISTENT SNAPSHOT`, SQLite a read transaction) as
 * JSON lines — a header, then one line per row — that `restore` reads on either dialect.
 */
export async function backup(db: Db, databaseUrl: string, file: string, opts: { dump?: boolean; afterTable?: (table: string) => Promise<void> } = {}): Promise<BackupResult> {
  const parsed = parseDatabaseUrl(databaseUrl)
  if (parsed.dialect === 'sqlite' && !opts.dump) {
    if (parsed.path === ':memory:') throw new CliError(EXIT.usage, 'an in-memory database has nothing to back up', 'BACKUP_IMPOSSIBLE')
    const { default: Sqlite } = await import('better-sqlite3')
    const source = new Sqlite(parsed.path, { readonly: true, fileMustExist: true })
    try {
      await source.backup(file)
    } finally {
      source.close()
    }
    const check = new Sqlite(file, { readonly: true, fileMustExist: true })
    try {
      const result = check.pragma('quick_check', { simple: true })
      if (result !== 'ok') throw new CliError(EXIT.failed, `the backup fails SQLite's quick_check: ${String(result)}`, 'BACKUP_DAMAGED')
    } finally {
      check.close()
    }
    return { file, kind: 'sqlite', bytes: statSync(file).size }
  }
  return dump(db, file, opts.afterTable)
}

async function dump(db: Db, file: string, afterTable?: (table: string) => Promise<void>): Promise<BackupResult> {
  // Opened here, exclusively: an existing file is never overwritten (EEXIST).
  const out = createWriteStream('', { fd: openSync(file, 'wx') })
  const write = async (line: string) => {
    if (!out.write(`${line}\n`)) await once(out, 'drain')
  }
  const counts: Record<string, number> = {}
  try {
    await db.db.connection().execute(async (conn) => {
      // One snapshot for every table: rows written meanwhile by the server are in none of them.
      await sql.raw(db.dialect === 'mysql' ? 'START TRANSACTION WITH CONSISTENT SNAPSHOT' : 'BEGIN').execute(conn)
      try {
        if (db.dialect === 'sqlite') await sql`select count(*) from schema_migrations`.execute(conn) // takes the read snapshot now
        const migrations = (await sql<{ name: string }>`select name from schema_migrations order by name`.execute(conn)).rows.map((r) => r.name)
        const tables = (await conn.introspection.getTables()).map((t) => t.name).filter((t) => !MIGRATION_TABLES.has(t)).sort()
        const header: DumpHeader = { format: DUMP_FORMAT, version: 1, dialect: db.dialect, createdAt: new Date().toISOString(), migrations, tables }
        await write(JSON.stringify(header))
        for (const table of tables) {
          const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(conn)).rows
          counts[table] = rows.length
          for (const row of rows) await write(JSON.stringify({ t: table, r: encodeRow(row) }))
          await afterTable?.(table)
        }
      } finally {
        await sql.raw("COMMIT").execute(conn)
      }
    })
  } finally {
    out.end()
    await once(out, 'close')
  }
  return { file, kind: 'dump', bytes: statSync(file).size, tables: counts }
}

function encodeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(row)) {
    out[k] = Buffer.isBuffer(v) || v instanceof Uint8Array ? { $b64: Buffer.from(v).toString('base64') } : typeof v === 'bigint' ? v.toString() : v instanceof Date ? v.toISOString() : v
  }
  return out
}

function decodeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(row)) {
    out[k] = v !== null && typeof v === 'object' && '$b64' in v ? Buffer.from(String((v as { $b64: string }).$b64), 'base64') : v
  }
  return out
}

export function isSqliteFile(file: string): boolean {
  const fd = openSync(file, 'r')
  try {
    const head = Buffer.alloc(16)
    readSync(fd, head, 0, 16, 0)
    return head.toString('latin1') === SQLITE_MAGIC
  } finally {
    closeSync(fd)
  }
}

export interface RestoreResult {
  file: string
  kind: 'sqlite' | 'dump'
  tables?: Record<string, number>
}

/**
 * Replaces the database's content with a backup. A SQLite backup file goes back through SQLite's
 * backup API (SQLite targets only); a dump is restored in one transaction on either dialect:
 * the schema is brought to the dump's migrations, every table emptied and refilled, then the
 * remaining migrations run. The server must be stopped meanwhile.
 */
export async function restore(openDb: () => Promise<Db>, databaseUrl: string, file: string): Promise<RestoreResult> {
  if (!existsSync(file)) throw new CliError(EXIT.notFound, `no backup at ${file}`, 'BACKUP_NOT_FOUND')
  const parsed = parseDatabaseUrl(databaseUrl)
  if (isSqliteFile(file)) {
    if (parsed.dialect !== 'sqlite' || parsed.path === ':memory:') throw new CliError(EXIT.usage, 'a SQLite backup file restores into a SQLite database only; for MySQL make a dump: studio-print backup FILE --dump', 'BACKUP_WRONG_KIND')
    const { default: Sqlite } = await import('better-sqlite3')
    const source = new Sqlite(file, { readonly: true, fileMustExist: true })
    try {
      if (source.pragma('quick_check', { simple: true }) !== 'ok') throw new CliError(EXIT.refused, `${file} fails SQLite's quick_check`, 'BACKUP_DAMAGED')
      await source.backup(parsed.path)
    } finally {
      source.close()
    }
    return { file, kind: 'sqlite' }
  }
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })
  const iterator = lines[Symbol.asyncIterator]()
  const first = await iterator.next()
  let header: DumpHeader
  try {
    header = JSON.parse(first.done ? '' : first.value) as DumpHeader
  } catch {
    header = {} as DumpHeader
  }
  if (header.format !== DUMP_FORMAT || header.version !== 1) throw new CliError(EXIT.usage, `${file} is neither a SQLite backup nor a studio-print dump`, 'BACKUP_WRONG_KIND')
  const known = Object.keys(MIGRATIONS)
  const last = header.migrations[header.migrations.length - 1]
  if (!header.migrations.every((m, i) => known[i] === m)) throw new CliError(EXIT.refused, `the dump's migrations (${header.migrations.join(', ')}) are not this version's; restore it with the version that made it`, 'BACKUP_VERSION_MISMATCH')

  const db = await openDb()
  const counts: Record<string, number> = {}
  try {
    const migrator = createMigrator(db.db as unknown as Kysely<unknown>)
    const applied = (await migrator.getMigrations()).filter((m) => m.executedAt).map((m) => m.name)
    if (applied.length > header.migrations.length) {
      throw new CliError(EXIT.refused, `this database has migrations the dump lacks (${applied.slice(header.migrations.length).join(', ')}); restore into a fresh database`, 'BACKUP_VERSION_MISMATCH')
    }
    const step = await migrator.migrateTo(last)
    if (step.error) throw step.error
    const order = [...header.tables.filter((t) => !RESTORED_LAST.includes(t)), ...RESTORED_LAST.filter((t) => header.tables.includes(t))]
    const rowsOf = new Map<string, Record<string, unknown>[]>(order.map((t) => [t, []]))
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if (next.value === '') continue
      const { t, r } = JSON.parse(next.value) as { t: string; r: Record<string, unknown> }
      const rows = rowsOf.get(t)
      if (!rows) throw new CliError(EXIT.refused, `the dump has rows of a table its header does not name: ${t}`, 'BACKUP_DAMAGED')
      rows.push(decodeRow(r))
    }
    await db.db.connection().execute(async (conn) => {
      if (db.dialect === 'mysql') await sql`SET FOREIGN_KEY_CHECKS = 0`.execute(conn)
      try {
        await conn.transaction().execute(async (trx) => {
          if (db.dialect === 'sqlite') await sql`PRAGMA defer_foreign_keys = ON`.execute(trx)
          for (const table of order) await sql`delete from ${sql.table(table)}`.execute(trx)
          for (const table of order) {
            // Triggers of earlier tables wrote here during this restore: those rows go.
            if (RESTORED_LAST.includes(table)) await sql`delete from ${sql.table(table)}`.execute(trx)
            const rows = rowsOf.get(table) ?? []
            counts[table] = rows.length
            await insertRows(trx as never, table, rows)
          }
        })
      } finally {
        if (db.dialect === 'mysql') await sql`SET FOREIGN_KEY_CHECKS = 1`.execute(conn)
      }
    })
    const rest = await migrator.migrateToLatest()
    if (rest.error) throw rest.error
  } finally {
    await db.close()
  }
  return { file, kind: 'dump', tables: counts }
}

async function insertRows(trx: Transaction<never>, table: string, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) {
    const batch = rows.slice(i, i + 100)
    await (trx as unknown as Kysely<Record<string, Record<string, unknown>>>).insertInto(table).values(batch).execute()
  }
}
