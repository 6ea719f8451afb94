import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDb, createScratchMysqlDatabase, type Db } from '../../src/store/create-db.ts'
import { migrateToLatest } from '../../src/store/migrate.ts'
import { peer } from './peers.ts'

/** The MariaDB the machine runs (CI too). Override with TEST_MYSQL_URL. */
export const MYSQL_BASE_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test'

async function mysqlReachable(): Promise<boolean> {
  try {
    const db = await createDb(MYSQL_BASE_URL)
    try {
      await db.db.selectNoFrom((eb) => eb.val(1).as('one')).execute()
      return true
    } finally {
      await db.close()
    }
  } catch {
    return false
  }
}

export interface TestDatabase {
  name: 'sqlite' | 'mariadb'
  url: string
  /** Drops the database (MariaDB) or removes the file (SQLite). */
  dispose(): Promise<void>
}

/** A fresh, empty database of each dialect. MariaDB missing: skipped locally, a failure under CI. */
export async function freshDatabase(kind: 'sqlite' | 'mariadb'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'studio-test-'))
    return { name: 'sqlite', url: `sqlite:${join(dir, 'studio.db')}`, dispose: async () => rmSync(dir, { recursive: true, force: true }) }
  }
  const scratch = await createScratchMysqlDatabase(MYSQL_BASE_URL)
  return { name: 'mariadb', url: scratch.url, dispose: scratch.drop }
}

/** The dialects to loop over in this run: both, or SQLite alone where MariaDB is absent (never under CI). */
export async function databaseKinds(): Promise<Array<'sqlite' | 'mariadb'>> {
  const mysql = peer('MariaDB', await mysqlReachable(), `nothing answers at ${MYSQL_BASE_URL} (start it: start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd)`)
  return mysql ? ['sqlite', 'mariadb'] : ['sqlite']
}

export const DB_KINDS = await databaseKinds()

/** A migrated database of one kind, for store tests. */
export async function migratedDb(kind: 'sqlite' | 'mariadb'): Promise<{ db: Db; dispose: () => Promise<void>; url: string }> {
  const fresh = await freshDatabase(kind)
  const db = await createDb(fresh.url)
  await migrateToLatest(db.db as never)
  return {
    db,
    url: fresh.url,
    dispose: async () => {
      await db.close()
      await fresh.dispose()
    },
  }
}
