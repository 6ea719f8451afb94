import { Migrator, type Kysely, type MigrationResultSet } from 'kysely'
import { MIGRATIONS } from '../../migrations/index.ts'

/** The Migrator over this code's migrations (inline list) and our table names. */
export function createMigrator(db: Kysely<unknown>): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  })
}

/** Brings the schema up to date. Safe to run twice, and by two servers at once (kysely locks). */
export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResultSet> {
  const migrator = createMigrator(db)
  const result = await migrator.migrateToLatest()
  if (result.error) throw new Error('database migration failed', { cause: result.error })
  return result
}

/** The migrations this code knows and which of them the database has run (nothing is changed). */
export async function migrationStatus(db: Kysely<unknown>): Promise<{ applied: string[]; pending: string[] }> {
  const all = await createMigrator(db).getMigrations()
  return { applied: all.filter((m) => m.executedAt).map((m) => m.name), pending: all.filter((m) => !m.executedAt).map((m) => m.name) }
}
