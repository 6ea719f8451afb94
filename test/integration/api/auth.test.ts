import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

describe.each(DB_KINDS)('tokens and roles on %s', (kind) => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer(kind)
  })
  afterAll(async () => {
    await s?.close()
  })

  it('when no token or a wrong one is sent, then 401 UNAUTHORIZED', async () => {
    expect(await json(await s.api('/api/clients', { token: null }))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' })
    expect(await json(await s.api('/api/clients', { token: 'sp_wrong' }))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' })
    const malformed = await fetch(s.url + '/api/clients', { headers: { authorization: 'Basic abc' } })
    expect(malformed.status).toBe(401)
  })

  it('when an admin makes tokens, then the secret shows once, the list has no secrets, and roles are enforced', async () => {
    const created = await s.api('/api/tokens', { method: 'POST', json: { role: 'client', label: 'front desk pc' } })
    expect(created.status).toBe(201)
    const { id, token } = await json<{ id: number; token: string }>(created)
    expect(token).toMatch(/^sp_[A-Za-z0-9_-]{40,}$/)
    const list = await s.api('/api/tokens')
    const text = await list.text()
    expect(text).not.toContain(token)
    expect(JSON.parse(text).items.some((t: { id: number; role: string }) => t.id === id && t.role === 'client')).toBe(true)

    expect((await s.api('/api/clients', { token })).status).toBe(200)
    expect(await json(await s.api('/api/tokens', { token }))).toMatchObject({ status: 403, code: 'FORBIDDEN' })
    expect(await json(await s.api('/api/preferences/barcoding', { token, method: 'PUT', json: { clientPrintouts: false, sessionPrintouts: false, invoicePrintouts: false, productionOrders: false } }))).toMatchObject({ status: 403 })
    expect((await s.api('/api/preferences/barcoding', { token })).status).toBe(200)

    const station = await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'station', station: 'production' } }))
    expect((await s.api('/api/clients', { token: station.token })).status).toBe(403)
    expect((await s.api('/api/lookup?barcode=C-999999', { token: station.token })).status).toBe(404)

    expect((await s.api(`/api/tokens/${id}`, { method: 'DELETE' })).status).toBe(204)
    expect(await json(await s.api('/api/clients', { token }))).toMatchObject({ status: 401 })
    expect(await json(await s.api('/api/tokens/999999', { method: 'DELETE' }))).toMatchObject({ status: 404, code: 'TOKEN_NOT_FOUND' })
  })

  it('when a token is asked with a bad role or a station role without its station, then 400', async () => {
    expect((await s.api('/api/tokens', { method: 'POST', json: { role: 'root' } })).status).toBe(400)
    expect((await s.api('/api/tokens', { method: 'POST', json: { role: 'station' } })).status).toBe(400)
    expect((await s.api('/api/tokens', { method: 'POST', json: { role: 'client', station: 'x' } })).status).toBe(400)
  })

  it('when tokens are stored, then only their SHA-256 hashes are in the database', async () => {
    const { token } = await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'client' } }))
    const rows = await s.running.stores.database.db.selectFrom('api_tokens').select('token_hash').execute()
    expect(rows.some((r) => r.token_hash === token)).toBe(false)
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.token_hash))).toBe(true)
  })
})
