import { Migrator, type Kysely, type MigrationResultSet } from 'kysely'
import { MIGRATIONS } from '../../migrations/index.ts'

/** Brings the schema up to date. Safe to run twice, and by two servers at once (kysely locks). */
export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => MIGRATIONS },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
  })
  const result = await migrator.migrateToLatest()
  if (result.error) throw new Error('database migration failed', { cause: result.error })
  return result
}
