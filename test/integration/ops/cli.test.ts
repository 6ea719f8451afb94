import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { DB_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.ts'
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../../support/server.ts'
import { createDb } from '../../../src/store/create-db.ts'
import bwipjs from 'bwip-js'
import { cli } from './cli.ts'

const dir = mkdtempSync(join(tmpdir(), 'studio-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function tableCounts(url: string): Promise<Record<string, number>> {
  const db = await createDb(url)
  try {
    const tables = (await db.db.introspection.getTables()).map((t) => t.name).filter((t) => !t.startsWith('schema_migrations'))
    const out: Record<string, number> = {}
    for (const t of tables.sort()) out[t] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(t)}`.execute(db.db)).rows[0].n)
    return out
  } finally {
    await db.close()
  }
}

describe.each(DB_KINDS)('studio-print, the admin command (%s)', { timeout: 180_000 }, (kind) => {
  let s: TestServer
  let env: Record<string, string>
  const extra: TestDatabase[] = []
  beforeAll(async () => {
    s = await startTestServer(kind)
    env = { DATABASE_URL: s.database.url, STUDIO_URL: s.url }
  })
  afterAll(async () => {
    await s.close()
    for (const d of extra) await d.dispose()
  })

  it('when tokens are created, listed and revoked from the command, then the server honours each at once', async () => {
    const made = await cli(['--json', 'tokens', 'create', 'client', '--label', 'front desk pc'], env)
    expect(made.code).toBe(0)
    const { id, token } = made.json<{ id: number; token: string }>()
    expect((await s.api('/api/clients', { token })).status).toBe(200)

    const listed = await cli(['--json', 'tokens', 'list'], env)
    expect(listed.code).toBe(0)
    expect(listed.json<{ items: Array<{ id: number; label: string; revokedAt: string | null }> }>().items.filter((t) => t.id === id)).toEqual([expect.objectContaining({ label: 'front desk pc', revokedAt: null })])
    expect(listed.stdout).not.toContain(token)

    const revoked = await cli(['--json', 'tokens', 'revoke', String(id)], env)
    expect(revoked.code).toBe(0)
    expect((await s.api('/api/clients', { token })).status).toBe(401)

    const missing = await cli(['--json', 'tokens', 'revoke', '999999'], env)
    expect(missing.code).toBe(5)
    expect(missing.json<{ error: { code: string } }>().error.code).toBe('TOKEN_NOT_FOUND')
  })

  it('when the admin token is lost, then tokens recover (database access on the machine) makes a new admin token that works', async () => {
    const run = await cli(['tokens', 'recover'], { DATABASE_URL: s.database.url })
    expect(run.code).toBe(0)
    const token = /\n(sp_[A-Za-z0-9_-]{40,})\n?$/.exec(run.stdout)?.[1]
    expect(token).toBeTruthy()
    expect((await s.api('/api/tokens', { token })).status).toBe(200)
  })

  it('when asked wrongly, then the exit code says how: 2 usage, 3 unreachable, 4 no token', async () => {
    expect((await cli(['frobnicate'], env)).code).toBe(2)
    expect((await cli(['tokens', 'create', 'superuser'], env)).code).toBe(2)
    expect((await cli(['jobs', 'cancel', 'abc'], { ...env, STUDIO_TOKEN: ADMIN_TOKEN })).code).toBe(2)
    expect((await cli(['printers'], { ...env, STUDIO_URL: 'http://127.0.0.1:9', STUDIO_TOKEN: ADMIN_TOKEN })).code).toBe(3)
    expect((await cli(['printers'], env)).code).toBe(4)
    expect((await cli(['printers'], { ...env, STUDIO_TOKEN: 'sp_wrong' })).code).toBe(4)
  })

  it('when a test label is sent to a printer, then it prints, shows in jobs list, and cancel of a finished job exits 6', async () => {
    const withToken = { ...env, STUDIO_TOKEN: ADMIN_TOKEN }
    const out = join(dir, `printed-${kind}`)
    mkdirSync(out)
    expect((await s.api('/api/printers', { method: 'POST', json: { name: 'shelf', language: 'zpl', uri: `file:${out}/` } })).status).toBe(201)
    expect((await s.api('/api/clients', { method: 'POST', json: { lastName: 'Testlabel' } })).status).toBe(201)

    const printers = await cli(['--json', 'printers'], withToken)
    expect(printers.code).toBe(0)
    expect(printers.json<{ items: Array<{ name: string; status: { state: string } }> }>().items.map((p) => p.name)).toEqual(['shelf'])

    const test = await cli(['--json', 'printers', 'test', 'shelf'], withToken)
    expect(test.code, test.stdout + test.stderr).toBe(0)
    const job = test.json<{ id: number; state: string; document: string }>()
    expect(job).toMatchObject({ state: 'completed', document: 'client-label' })

    const list = await cli(['--json', 'jobs', 'list', '--printer', 'shelf'], withToken)
    expect(list.json<{ items: Array<{ id: number }> }>().items.map((j) => j.id)).toEqual([job.id])
    const cancel = await cli(['--json', 'jobs', 'cancel', String(job.id)], withToken)
    expect(cancel.code).toBe(6)
    expect(cancel.json<{ error: { code: string } }>().error.code).toBe('PRINT_JOB_FINISHED')
    expect((await cli(['jobs', 'release', '999999'], withToken)).code).toBe(5)

    const scanners = await cli(['--json', 'scanners'], withToken)
    expect(scanners.code).toBe(0)
    expect(scanners.json<{ items: unknown[] }>().items).toEqual([])
    const text = await cli(['jobs'], withToken)
    expect(text.stdout.split('\n')[0]).toMatch(/^ID\s+STATE\s+PRINTER/)
    expect(text.stdout).toContain('completed')
  })

  it('when migrate runs on a database that has every migration, then it runs none and status exits 0', async () => {
    const again = await cli(['--json', 'migrate'], env)
    expect(again.code).toBe(0)
    expect(again.json()).toEqual({ ran: [] })
    const status = await cli(['--json', 'migrate', '--status'], env)
    expect(status.code).toBe(0)
    expect(status.json<{ pending: string[] }>().pending).toEqual([])
  })

  it('when a dump is taken and restored into a fresh database, then every table has the same rows and numbering goes on', async () => {
    expect((await s.api('/api/clients', { method: 'POST', json: { lastName: 'Dumped', phones: [{ number: '555-0100' }] } })).status).toBe(201)
    const logo = await bwipjs.toBuffer({ bcid: 'qrcode', text: 'Dumped logo', scale: 2 })
    expect((await s.api('/api/preferences/studio/logo', { method: 'PUT', body: logo, headers: { 'content-type': 'image/png' } })).status).toBe(204)
    // The server stores a normalized copy of an uploaded logo: the restore must give back exactly that.
    const stored = Buffer.from(await (await s.api('/api/preferences/studio/logo')).arrayBuffer())
    const file = join(dir, `dump-${kind}.jsonl`)
    const made = await cli(['--json', 'backup', file, '--dump'], env)
    expect(made.code, made.stdout + made.stderr).toBe(0)
    expect((await cli(['backup', file, '--dump'], env)).code).toBe(6) // never overwrites

    const target = await freshDatabase(kind)
    extra.push(target)
    const restored = await cli(['--json', 'restore', file], { DATABASE_URL: target.url })
    expect(restored.code, restored.stdout + restored.stderr).toBe(0)
    expect(await tableCounts(target.url)).toEqual(await tableCounts(s.database.url))

    const copy = await startTestServer(kind, { database: target })
    try {
      const before = (await (await s.api('/api/clients?limit=500')).json()) as { items: Array<{ id: number }> }
      const after = (await (await copy.api('/api/clients?limit=500')).json()) as { items: Array<{ id: number }> }
      expect(after.items).toEqual(before.items)
      expect(Buffer.from(await (await copy.api('/api/preferences/studio/logo')).arrayBuffer())).toEqual(stored)
      const next = (await (await copy.api('/api/clients', { method: 'POST', json: { lastName: 'After' } })).json()) as { id: number; number: number }
      expect(next.id).toBe(Math.max(...before.items.map((c) => c.id)) + 1)
    } finally {
      await copy.close()
    }
  })

  if (kind === 'sqlite') it('when SQLite is backed up online while the server runs, then the file restores to the same content', async () => {
    const file = join(dir, 'online.db')
    const made = await cli(['--json', 'backup', file], env)
    expect(made.code, made.stderr).toBe(0)
    expect(made.json()).toMatchObject({ kind: 'sqlite' })
    expect(existsSync(file)).toBe(true)
    const counts = await tableCounts(s.database.url)
    const targetUrl = `sqlite:${join(dir, 'restored.db')}`
    const restored = await cli(['--json', 'restore', file], { DATABASE_URL: targetUrl })
    expect(restored.code, restored.stderr).toBe(0)
    expect(await tableCounts(targetUrl)).toEqual(counts)
    expect((await cli(['restore', file], { DATABASE_URL: 'mysql://root@127.0.0.1:3306/nothing' })).code).toBe(2)
  })
})
