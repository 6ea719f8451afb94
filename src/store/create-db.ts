import { Kysely, MysqlDialect, SqliteDialect, CompiledQuery } from 'kysely'
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { dirname } from 'node:path'
import type { Database } from './schema.ts'
import { ValidationError } from '../domain/errors.ts'
import { SqliteCheckpointer, WAL_SIZE_LIMIT_BYTES } from './sqlite-checkpointer.ts'
import { cachedStatements } from './sqlite-statement-cache.ts'
import { openDirectLane } from './sqlite-direct.ts'

export type DialectName = 'sqlite' | 'mysql'

export interface Db {
  db: Kysely<Database>
  dialect: DialectName
  /** Where it is, without a password. */
  describe: string
  close(): Promise<void>
  /** SQLite files only: the thread that checkpoints the write-ahead log. */
  checkpointer?: SqliteCheckpointer
}

export type DatabaseUrl =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'mysql'; host: string; port: number; user: string; password: string; database: string }

/** `sqlite:PATH`, `sqlite::memory:` or `mysql://user:pass@host:port/db`. */
export function parseDatabaseUrl(url: string): DatabaseUrl {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '')
    if (!path) throw new ValidationError('DATABASE_URL sqlite: needs a path or :memory:', { url }, 'CONFIG_INVALID')
    return { dialect: 'sqlite', path }
  }
  if (url.startsWith('mysql://') || url.startsWith('mariadb://')) {
    const u = new URL(url)
    const database = decodeURIComponent(u.pathname.replace(/^\//, ''))
    if (!database) throw new ValidationError('DATABASE_URL mysql:// needs a database name: mysql://user:pass@host:3306/studio', {}, 'CONFIG_INVALID')
    return {
      dialect: 'mysql',
      host: u.hostname || '127.0.0.1',
      port: u.port ? Number(u.port) : 3306,
      user: decodeURIComponent(u.username || 'root'),
      password: decodeURIComponent(u.password),
      database,
    }
  }
  throw new ValidationError('DATABASE_URL must be sqlite:PATH, sqlite::memory: or mysql://user:pass@host:port/db', {}, 'CONFIG_INVALID')
}

/**
 * The SQLite file holds every client's data: its folder is made owner-only (0700) when it is
 * made, and the file is created (or tightened to) 0600 before SQLite opens it.
 */
function ownerOnlyFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  closeSync(openSync(path, 'a', 0o600))
  tighten(path)
}

function tighten(path: string): void {
  try {
    chmodSync(path, 0o600)
  } catch {
    // Another user's file that we may write: its owner keeps its mode.
  }
}

export interface CreateDbOptions {
  /** SQLite: a checkpoint of the write-ahead log failed (tried again within 2 s; a lasting failure is reported every 2 s). */
  onCheckpointError?: (message: string) => void
}

export async function createDb(url: string, options: CreateDbOptions = {}): Promise<Db> {
  const parsed = parseDatabaseUrl(url)
  if (parsed.dialect === 'sqlite') {
    const { default: SqliteDatabase } = await import('better-sqlite3')
    if (parsed.path !== ':memory:') ownerOnlyFile(parsed.path)
    const sqlite = new SqliteDatabase(parsed.path)
    sqlite.pragma('journal_mode = WAL')
    // SQLite gives -wal and -shm the database file's mode; ones left by an older version are tightened too.
    if (parsed.path !== ':memory:') for (const extra of ['-wal', '-shm']) if (existsSync(parsed.path + extra)) tighten(parsed.path + extra)
    sqlite.pragma('synchronous = NORMAL')
    sqlite.pragma('busy_timeout = 5000')
    sqlite.pragma('foreign_keys = ON')
    // Sorts and other scratch b-trees in memory: on disk each one opened a temporary file, which
    // made the queue's claim (ORDER BY over a state IN (…) lookup) cost ~160 µs instead of ~9 µs.
    sqlite.pragma('temp_store = MEMORY')
    const statements = cachedStatements(sqlite)
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statements }) })
    const lane = openDirectLane(db, sqlite, statements)
    // Kysely closes the connection only if it ever ran a query itself (the direct lane doesn't count).
    const destroy = async (): Promise<void> => {
      await db.destroy()
      if (sqlite.open) statements.close()
    }
    if (parsed.path === ':memory:') return { db, dialect: 'sqlite', describe: 'sqlite::memory:', close: destroy }
    // Checkpoints run on their own thread, never inside a commit on this one (see SqliteCheckpointer).
    sqlite.pragma('wal_autocheckpoint = 0')
    sqlite.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`)
    const checkpointer = new SqliteCheckpointer(parsed.path, options.onCheckpointError, {
      pageSize: Number(sqlite.pragma('page_size', { simple: true })),
      run: () => {
        if (!sqlite.open || lane.busy()) return false
        sqlite.pragma('wal_checkpoint(PASSIVE)')
        return true
      },
    })
    const close = async (): Promise<void> => {
      await checkpointer.close()
      await destroy()
    }
    return { db, dialect: 'sqlite', describe: `sqlite:${parsed.path}`, close, checkpointer }
  }
  const { createPool } = await import('mysql2')
  const pool = createPool({
    host: parsed.host,
    port: parsed.port,
    user: parsed.user,
    password: parsed.password,
    database: parsed.database,
    timezone: 'Z',
    supportBigNumbers: true,
    connectionLimit: 10,
    charset: 'utf8mb4',
  })
  const db = new Kysely<Database>({ dialect: new MysqlDialect({ pool }) })
  return { db, dialect: 'mysql', describe: `mysql://${parsed.user}@${parsed.host}:${parsed.port}/${parsed.database}`, close: () => db.destroy() }
}

/** For tests and the bench: a fresh MariaDB database on the server of `baseUrl`, with the server's default character set and collation (as a studio's IT would create it), dropped by the returned function. */
export async function createScratchMysqlDatabase(baseUrl: string, prefix = 'studio_test'): Promise<{ url: string; drop: () => Promise<void> }> {
  const parsed = parseDatabaseUrl(baseUrl)
  if (parsed.dialect !== 'mysql') throw new Error('createScratchMysqlDatabase needs a mysql:// url')
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  const admin = await createDb(baseUrl)
  await admin.db.executeQuery(CompiledQuery.raw(`CREATE DATABASE \`${name}\``))
  await admin.close()
  const url = `mysql://${encodeURIComponent(parsed.user)}:${encodeURIComponent(parsed.password)}@${parsed.host}:${parsed.port}/${name}`
  return {
    url,
    drop: async () => {
      const again = await createDb(baseUrl)
      await again.db.executeQuery(CompiledQuery.raw(`DROP DATABASE IF EXISTS \`${name}\``))
      await again.close()
    },
  }
}
