import { Migrator, type Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { DB_KINDS, freshDatabase } from '../../support/databases.ts'
import { createDb, type Db } from '../../../src/store/create-db.ts'
import { migrateToLatest } from '../../../src/store/migrate.ts'
import { MIGRATIONS } from '../../../migrations/index.ts'
import * as m0008 from '../../../migrations/0008-auth-sessions.ts'
import { TokenStore, legacyHash } from '../../../src/store/token-store.ts'
import { WebSessionStore } from '../../../src/store/web-session-store.ts'

const HOUR = 3_600_000

describe.each(DB_KINDS)('token and session storage on %s', (kind) => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })
  async function database(): Promise<Db> {
    const fresh = await freshDatabase(kind)
    const db = await createDb(fresh.url)
    cleanups.push(async () => {
      await db.close()
      await fresh.dispose()
    })
    return db
  }

  it('when a database made before migration 0008 holds SHA-256 tokens, then after migrating they still sign in and are rewritten as HMAC', async () => {
    const { db } = await database()
    const migrator = new Migrator({ db: db as Kysely<unknown>, provider: { getMigrations: async () => MIGRATIONS }, migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock' })
    expect((await migrator.migrateTo('0005-locations')).error).toBeUndefined()
    const old = 'sp_old_token_from_before_the_migration_0123456789'
    await (db as Kysely<unknown>).insertInto('api_tokens' as never).values({ token_hash: legacyHash(old), role: 'client', station: null, label: 'old pc', created_at: 1, revoked_at: null } as never).execute()
    await migrateToLatest(db as Kysely<unknown>)
    await migrateToLatest(db as Kysely<unknown>)
    await m0008.up(db as Kysely<unknown>) // an interrupted run, run again: changes nothing
    const tokens = new TokenStore(db)
    expect(await tokens.authenticate(old)).toMatchObject({ role: 'client', name: 'old pc' })
    const row = await db.selectFrom('api_tokens').selectAll().executeTakeFirstOrThrow()
    expect(row.hash_scheme).toBe('hmac')
    expect(row.token_hash).not.toBe(legacyHash(old))
    expect(await tokens.authenticate(old)).toMatchObject({ role: 'client' })
    expect(await tokens.authenticate('sp_something_else')).toBeNull()
  })

  it('when tokens are stored, then the database holds an HMAC that a plain SHA-256 of the token does not match', async () => {
    const { db } = await database()
    await migrateToLatest(db as Kysely<unknown>)
    const { token } = await new TokenStore(db).create('admin', null, 'x')
    const rows = await db.selectFrom('api_tokens').select(['token_hash', 'hash_scheme']).execute()
    expect(rows).toEqual([{ token_hash: expect.stringMatching(/^[0-9a-f]{64}$/), hash_scheme: 'hmac' }])
    expect(rows[0].token_hash).not.toBe(legacyHash(token))
  })

  it('when STUDIO_TOKEN_SECRET is set, then servers must agree on it: another secret (or none) refuses with TOKEN_SECRET_MISMATCH', async () => {
    const { db } = await database()
    await migrateToLatest(db as Kysely<unknown>)
    const secret = 'k'.repeat(20) + 'Q7v9-x2Lp0Zr8Ym4Nb6Tc3W'
    const a = new TokenStore(db)
    a.useSecret(secret)
    const { token } = await a.create('client', null, null)
    const b = new TokenStore(db)
    b.useSecret(secret)
    expect(await b.authenticate(token)).toMatchObject({ role: 'client' })
    for (const other of ['another-secret-of-enough-length-0123456789', null]) {
      const c = new TokenStore(db)
      c.useSecret(other)
      await expect(c.loadKey()).rejects.toMatchObject({ code: 'TOKEN_SECRET_MISMATCH' })
    }
    // With the key in the key column, the database alone holds no key.
    expect(await db.selectFrom('auth_keys').select('name').execute()).toEqual([{ name: 'token-key-check' }])
  })

  it('when a session idles past its timeout or outlives its maximum age, then it no longer signs in; requests keep it alive', async () => {
    const { db } = await database()
    await migrateToLatest(db as Kysely<unknown>)
    let now = Date.UTC(2026, 0, 5, 9)
    const clock = () => new Date(now)
    const tokens = new TokenStore(db, clock)
    const sessions = new WebSessionStore(db, clock)
    sessions.configure({ maxAgeMs: 24 * HOUR, idleMs: 2 * HOUR })
    const { id } = await tokens.create('client', null, 'desk')
    const idle = await sessions.create(id)
    const busy = await sessions.create(id)
    for (let h = 0; h < 6; h++) {
      now += HOUR
      expect(await sessions.authenticate(busy)).toMatchObject({ tokenId: id })
    }
    expect(await sessions.authenticate(idle)).toBeNull()
    now += 17 * HOUR // 23 h after sign-in: alive
    expect(await sessions.authenticate(busy)).toBeNull() // idle for 17 h
    const long = await sessions.create(id)
    for (let h = 0; h < 23; h++) {
      now += HOUR
      expect(await sessions.authenticate(long)).not.toBeNull()
    }
    now += HOUR
    expect(await sessions.authenticate(long)).toBeNull()
    expect(await sessions.authenticate('not-a-session-id')).toBeNull()
  })
})
