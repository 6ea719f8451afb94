import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'

describe.each(DB_KINDS)('health and readiness (%s)', (kind) => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer(kind)
  })
  afterAll(() => s.close())

  it('when the database answers and every migration ran, then /api/health/ready is 200 without a token', async () => {
    const res = await s.api('/api/health/ready', { token: null })
    expect(res.status).toBe(200)
    const body = (await res.json()) as { status: string; database: string; migrations: number }
    expect(body.status).toBe('ready')
    expect(body.database).toBe(kind === 'sqlite' ? 'sqlite' : 'mysql')
    const rows = await sql<{ n: number }>`select count(*) as n from schema_migrations`.execute(s.running.stores.database.db)
    expect(body.migrations).toBe(Number(rows.rows[0].n))
  })

  it('when a migration has not run, then readiness is 503 MIGRATIONS_PENDING naming it while liveness stays 200', async () => {
    const db = s.running.stores.database.db
    const last = await sql<{ name: string }>`select name from schema_migrations order by name desc limit 1`.execute(db)
    const name = last.rows[0].name
    await sql`delete from schema_migrations where name = ${name}`.execute(db)
    try {
      const res = await s.api('/api/health/ready', { token: null })
      expect(res.status).toBe(503)
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      const body = (await res.json()) as { code: string; pending: string[] }
      expect(body.code).toBe('MIGRATIONS_PENDING')
      expect(body.pending).toEqual([name])
      expect((await s.api('/api/health', { token: null })).status).toBe(200)
    } finally {
      await sql`insert into schema_migrations (name, timestamp) values (${name}, ${new Date().toISOString()})`.execute(db)
    }
    expect((await s.api('/api/health/ready', { token: null })).status).toBe(200)
  })
})

describe('readiness without a database', () => {
  it('when the database is gone, then readiness is 503 DATABASE_UNREACHABLE and liveness 200', async () => {
    const s = await startTestServer('sqlite')
    try {
      await s.running.stores.database.close()
      const res = await s.api('/api/health/ready', { token: null })
      expect(res.status).toBe(503)
      expect(((await res.json()) as { code: string }).code).toBe('DATABASE_UNREACHABLE')
      expect((await s.api('/api/health', { token: null })).status).toBe(200)
    } finally {
      await s.running.stop().catch(() => {})
      await s.database.dispose()
    }
  })
})
