import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnServer, type ServerProcess } from '../printing/server-process.ts'
import { createDb } from '../../../src/store/create-db.ts'
import { SettingsStore } from '../../../src/store/settings-store.ts'
import { LOGO_FILTER_7, LOGO_ZLIB_GARBAGE, logoBomb, ZPL_20000_FIELDS, ZPL_GFA_BOMB } from '../../fixtures/hostile/hostile-inputs.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const TOKEN = 'sp_hostile_admin_token_0123456789'

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

describe('a real server process under hostile input', () => {
  let dir: string
  let server: ServerProcess
  let clientToken: string
  let invoiceId: number
  let exitCode: number | null | undefined
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'studio-hostile-'))
    server = await spawnServer({ DATABASE_URL: `sqlite:${join(dir, 'studio.db')}` }, TOKEN)
    server.child.once('exit', (code) => (exitCode = code))
    clientToken = (await json<{ token: string }>(await server.api('/api/tokens', { method: 'POST', json: { role: 'client' } }))).token
    const client = await json<{ id: number }>(await server.api('/api/clients', { method: 'POST', json: { lastName: 'Hostile' } }))
    invoiceId = (await json<{ id: number }>(await server.api('/api/invoices', { method: 'POST', json: { invoiceType: 'generic', clientId: client.id } }))).id
  }, 60_000)
  afterAll(async () => {
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  const asClient = (path: string, init: RequestInit = {}) => fetch(server.url + path, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${clientToken}` } })

  async function stillServing(): Promise<void> {
    expect(exitCode, server.output().slice(-2000)).toBeUndefined()
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
  }

  it.each([
    ['the 99-byte PNG', () => LOGO_ZLIB_GARBAGE],
    ['filter type 7', () => LOGO_FILTER_7],
    ['the decompression bomb', logoBomb],
  ])('when %s is uploaded as the logo, then 400 LOGO_INVALID and the process keeps answering', async (_name, bytes) => {
    const res = await server.api('/api/preferences/studio/logo', { method: 'PUT', body: bytes(), headers: { 'content-type': 'image/png' } })
    expect([res.status, (await json(res)).code]).toEqual([400, 'LOGO_INVALID'])
    await stillServing()
  })

  it.each([
    ['the 99-byte PNG', () => LOGO_ZLIB_GARBAGE],
    ['filter type 7', () => LOGO_FILTER_7],
    ['the decompression bomb', logoBomb],
  ])('when %s sits in the database as the logo, then a client token renders PDFs (without it) and the process keeps answering', async (_name, bytes) => {
    const db = await createDb(`sqlite:${join(dir, 'studio.db')}`)
    try {
      const settings = new SettingsStore(db.db)
      await settings.setStudio({ ...(await settings.studio()), logoPng: new Uint8Array(bytes()) })
    } finally {
      await db.close()
    }
    for (let i = 0; i < 2; i++) {
      const res = await asClient(`/api/documents/invoice/${invoiceId}?format=pdf`)
      expect([res.status, res.headers.get('content-type')]).toEqual([200, 'application/pdf'])
      await res.arrayBuffer()
      await stillServing()
    }
  })

  it.each([
    ['a ^GFA inflating to 50 MB', ZPL_GFA_BOMB, '', 'PREVIEW_TOO_COMPLEX'],
    ['20,000 fields', ZPL_20000_FIELDS, '', 'PREVIEW_TOO_COMPLEX'],
    ['15×15 in at 24 dpmm', '^XA^FO10,10^A0N,30^FDx^FS^XZ', '?dpmm=24&width=15&height=15', 'PREVIEW_TOO_LARGE'],
  ])('when a preview of %s is posted, then 422 and the process keeps answering', async (_name, zpl, query, code) => {
    const res = await asClient(`/api/preview${query}`, { method: 'POST', body: zpl, headers: { 'content-type': 'text/plain' } })
    expect([res.status, (await json(res)).code]).toEqual([422, code])
    await stillServing()
  })

  it('when nothing hostile is left, then the log holds no fatal line: no error reached the last-resort handler', async () => {
    await stillServing()
    expect(server.output()).not.toMatch(/"level":60/)
  })
})

describe('the last-resort handler', () => {
  it('when a callback throws and a rejection goes unawaited, then each is logged as fatal with its origin and the process carries on', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/process/unexpected-errors.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    const fatal = out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level: number; origin: string; err: { message: string } })
      .filter((l) => l.level === 60)
    expect(fatal.map((l) => [l.origin, l.err.message]).sort()).toEqual([
      ['uncaughtException', 'thrown inside a callback'],
      ['unhandledRejection', 'rejected and never awaited'],
    ])
    expect(out, out).toContain('still alive')
    expect(code).toBe(0)
  })
})
