import { Migrator, type Kysely } from 'kysely'
import { describe, expect, it } from 'vitest'
import { DB_KINDS, freshDatabase } from '../../support/databases.ts'
import { createDb } from '../../../src/store/create-db.ts'
import { migrateToLatest } from '../../../src/store/migrate.ts'
import { MIGRATIONS } from '../../../migrations/index.ts'
import * as m0006 from '../../../migrations/0006-client-search.ts'
import { ClientStore } from '../../../src/store/client-store.ts'

/** Client rows as a server from before 0006 wrote them: the searchable values only inside the JSON text. */
function oldRow(i: number) {
  const data = {
    salutation: null,
    organization: i === 0 ? 'Lakeside High' : null,
    addresses: [{ label: 'home', lines: ['12 Elm St'], city: 'Portland', region: 'ME', postalCode: '04101', country: 'US' }],
    phones: [{ label: 'mobile', number: `(207) 555-${String(i).padStart(4, '0')}` }],
    email: `client${i}@studio.example`,
    status: 'active',
    familyMembers: [],
    leadSource: 'referral',
    notes: i === 0 ? 'Prefers morning light' : null,
  }
  return { number: i + 1, last_name: `Legacy${i}`, first_name: 'Ann', data: JSON.stringify(data), created_at: 0, updated_at: 0 }
}

const ROWS = 1_203 // more than two backfill batches

describe.each(DB_KINDS)('migration 0006 (client search text) on %s', (kind) => {
  it('when clients written before 0006 are migrated, then every one gets its search text, values find them and field names do not', async () => {
    const fresh = await freshDatabase(kind)
    const db = await createDb(fresh.url)
    try {
      const migrator = new Migrator({ db: db.db as Kysely<unknown>, provider: { getMigrations: async () => MIGRATIONS }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' })
      const before = await migrator.migrateTo('0005-locations')
      expect(before.error).toBeUndefined()
      const rows = Array.from({ length: ROWS }, (_, i) => oldRow(i))
      for (let i = 0; i < rows.length; i += 300) await (db.db as Kysely<unknown> as Kysely<{ clients: ReturnType<typeof oldRow> }>).insertInto('clients').values(rows.slice(i, i + 300)).execute()

      const result = await migrateToLatest(db.db as never)
      // 0006 and every later migration, each once (later ones exist since the webhooks' 0013).
      const after = Object.keys(MIGRATIONS).slice(Object.keys(MIGRATIONS).indexOf('0006-client-search'))
      expect(result.results?.map((r) => [r.migrationName, r.status])).toEqual(after.map((name) => [name, 'Success']))
      const missing = await db.db.selectFrom('clients').select((eb) => eb.fn.countAll<number>().as('n')).where('search_text', 'is', null).executeTakeFirstOrThrow()
      expect(Number(missing.n)).toBe(0)

      const store = new ClientStore(db.db)
      const ids = async (q: string) => (await store.list(500, 0, { q })).items.map((c) => c.lastName)
      expect(await ids('notes')).toEqual([])
      expect(await ids('leadSource')).toEqual([])
      expect(await ids('label')).toEqual([])
      expect(await ids('lakeside')).toEqual(['Legacy0'])
      expect(await ids('morning')).toEqual(['Legacy0'])
      expect(await ids('client1202@studio')).toEqual(['Legacy1202'])
      expect(await ids('207 555 1202')).toEqual(['Legacy1202'])
    } finally {
      await db.close()
      await fresh.dispose()
    }
  })

  it('when 0006 runs again, also after a crash left rows without a search text, then it fills those and changes nothing else', async () => {
    const fresh = await freshDatabase(kind)
    const db = await createDb(fresh.url)
    try {
      await migrateToLatest(db.db as never)
      const store = new ClientStore(db.db)
      const a = await store.create({ lastName: 'Alpha', firstName: 'Ann', addresses: [], phones: [{ label: 'mobile', number: '555-0101' }], status: 'active', familyMembers: [], notes: 'tall' })
      const b = await store.create({ lastName: 'Beta', firstName: 'Bo', addresses: [], phones: [], status: 'active', familyMembers: ['Cy Beta'] })
      const texts = async () => db.db.selectFrom('clients').select(['id', 'search_text', 'data', 'updated_at']).orderBy('id').execute()
      const written = await texts()
      await db.db.updateTable('clients').set({ search_text: null }).where('id', '=', b.id).execute()

      await m0006.up(db.db as Kysely<unknown>)
      expect(await texts()).toEqual(written)
      await m0006.up(db.db as Kysely<unknown>)
      expect(await texts()).toEqual(written)
      expect((await store.list(50, 0, { q: 'cy' })).items.map((c) => c.id)).toEqual([b.id])
      expect((await store.list(50, 0, { q: '5550101' })).items.map((c) => c.id)).toEqual([a.id])
    } finally {
      await db.close()
      await fresh.dispose()
    }
  })
})
