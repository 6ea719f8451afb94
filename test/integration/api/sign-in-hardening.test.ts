import { Writable } from 'node:stream'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pollFor } from '../../support/poll.ts'
import { DB_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.ts'
import { ADMIN_TOKEN, startTestServer, type TestServer } from '../../support/server.ts'
import { FREE_FAILURES } from '../../../src/store/auth-throttle.ts'
import { createLogger } from '../../../src/start.ts'

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}


/** Signs in through the form; the session cookie's value, or null and the answer. */
async function signIn(url: string, token: string, accept = 'text/html'): Promise<{ res: Response; session: string | null }> {
  const res = await fetch(url + '/login', {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept },
    body: new URLSearchParams({ token, next: '/' }),
  })
  return { res, session: /sp_session=([^;]*)/.exec(res.headers.get('set-cookie') ?? '')?.[1] || null }
}

const withCookie = (session: string) => ({ headers: { cookie: `sp_session=${session}` }, token: null })

describe.each(DB_KINDS)('sign-in and tokens on %s', (kind) => {
  describe('repeated failures from one address', () => {
    let s: TestServer
    const lines: string[] = []
    beforeAll(async () => {
      const sink = new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk))
          done()
        },
      })
      // The server's own logger (with its redaction), writing here.
      s = await startTestServer(kind, { log: createLogger('info', sink) })
    })
    afterAll(async () => {
      await s?.close()
    })

    it('when wrong bearer tokens keep coming, then after the free ones the address gets 429 with Retry-After, doubling, each failure logged at warn without the token', async () => {
      const wrong = (i: number) => `sp_wrong_guess_${i}_abcdefghijklmnop`
      const statuses: number[] = []
      for (let i = 0; i < FREE_FAILURES; i++) statuses.push((await s.api('/api/clients', { token: wrong(i) })).status)
      expect(statuses).toEqual(Array(FREE_FAILURES).fill(401))
      const locked = await s.api('/api/clients', { token: wrong(99) })
      expect(locked.status).toBe(429)
      expect(locked.headers.get('content-type')).toContain('application/problem+json')
      expect(locked.headers.get('retry-after')).toBe('1')
      expect(await json(locked)).toMatchObject({ status: 429, code: 'TOO_MANY_FAILED_SIGN_INS', retryAfter: 1 })
      // Locked out: even the right token is not looked at.
      expect((await s.api('/api/clients')).status).toBe(429)
      // After the wait the next failure counts again and locks for twice as long.
      const after = await pollFor('the lock-out to pass', async () => {
        const res = await s.api('/api/clients', { token: wrong(100) })
        return res.status === 429 ? null : res.status
      })
      expect(after).toBe(401)
      const longer = await s.api('/api/clients', { token: wrong(101) })
      expect({ status: longer.status, retryAfter: longer.headers.get('retry-after') }).toEqual({ status: 429, retryAfter: '2' })
      // A success forgets the address.
      await pollFor('the admin token to be accepted', async () => ((await s.api('/api/clients')).status === 200 ? true : null))
      expect((await s.api('/api/clients', { token: wrong(102) })).status).toBe(401)

      const warns = lines.map((l) => JSON.parse(l) as { level: number; msg: string; via?: string; failures?: number }).filter((l) => l.level === 40 && l.msg === 'authentication failed')
      expect(warns.map((w) => w.via)).toEqual(Array(FREE_FAILURES + 2).fill('bearer'))
      expect(warns.map((w) => w.failures)).toEqual([...Array.from({ length: FREE_FAILURES + 1 }, (_, i) => i + 1), 1])
      const all = lines.join('')
      for (const i of [0, 5, 99, 100, 101, 102]) expect(all).not.toContain(wrong(i))
      expect(all).not.toContain(ADMIN_TOKEN)
    })

    it('when wrong tokens are typed into the sign-in form, then it slows down the same way (429 with Retry-After) and logs at warn', async () => {
      const other = await startTestServer(kind, { database: s.database })
      try {
        const answers: string[] = []
        for (let i = 0; i < FREE_FAILURES; i++) {
          const { res } = await signIn(other.url, `not-a-token-${i}`)
          answers.push(`${res.status} ${res.headers.get('location')}`)
        }
        expect(answers).toEqual(Array(FREE_FAILURES).fill('303 /login?m=invalid&next=%2F'))
        const page = (await signIn(other.url, ADMIN_TOKEN)).res
        expect({ status: page.status, retryAfter: page.headers.get('retry-after'), type: page.headers.get('content-type') }).toMatchObject({ status: 429, retryAfter: '1', type: expect.stringContaining('text/html') })
        expect(await page.text()).toContain('Too many failed sign-ins')
        const api = (await signIn(other.url, ADMIN_TOKEN, 'application/json')).res
        expect(api.status).toBe(429)
        expect(await json(api)).toMatchObject({ code: 'TOO_MANY_FAILED_SIGN_INS' })
        const session = await pollFor('the form to accept the right token again', async () => (await signIn(other.url, ADMIN_TOKEN)).session)
        expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/)
      } finally {
        await other.close()
      }
    })
  })

  describe('browser sessions and bodies', () => {
    let s: TestServer
    beforeAll(async () => {
      s = await startTestServer(kind)
    })
    afterAll(async () => {
      await s?.close()
    })

    it('when a person signs in, then the cookie holds a random session id, not the token, and it ends at logout', async () => {
      const { session } = await signIn(s.url, ADMIN_TOKEN)
      expect(session).toMatch(/^[A-Za-z0-9_-]{43}$/)
      expect(session).not.toContain(ADMIN_TOKEN)
      expect((await s.api('/api/clients', withCookie(session!))).status).toBe(200)
      const out = await fetch(s.url + '/logout', { method: 'POST', redirect: 'manual', headers: { cookie: `sp_session=${session}` } })
      expect(out.status).toBe(303)
      expect(await json(await s.api('/api/clients', withCookie(session!)))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' })
      const page = await fetch(s.url + '/', { redirect: 'manual', headers: { cookie: `sp_session=${session}` } })
      expect(page.headers.get('location')).toMatch(/^\/login\?m=revoked/)
    })

    it('when the token is used as the cookie, then it is no session', async () => {
      expect((await s.api('/api/clients', withCookie(ADMIN_TOKEN))).status).toBe(401)
    })

    it('when a token is revoked, then its browser sessions end at once', async () => {
      const { id, token } = await json<{ id: number; token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'client', label: 'desk' } }))
      const { session } = await signIn(s.url, token)
      expect((await s.api('/api/clients', withCookie(session!))).status).toBe(200)
      expect((await s.api(`/api/tokens/${id}`, { method: 'DELETE' })).status).toBe(204)
      expect((await s.api('/api/clients', withCookie(session!))).status).toBe(401)
      const rows = await s.running.stores.database.db.selectFrom('web_sessions').select(['token_id', 'ended_at']).where('token_id', '=', id).execute()
      expect(rows).toHaveLength(1)
      expect(rows[0].ended_at).not.toBeNull()
    })

    it('when the sp_session cookie is malformed, then every page answers as signed out (never 500)', async () => {
      for (const bad of ['%E0%A4%A', '%', 'x'.repeat(5000), '"quoted"', '%00']) {
        const headers = { cookie: `sp_session=${bad}` }
        expect((await fetch(s.url + '/login', { headers })).status).toBe(200)
        const page = await fetch(s.url + '/settings', { headers, redirect: 'manual' })
        expect(page.status).toBe(303)
        expect(page.headers.get('location')).toMatch(/^\/login/)
        expect(await json(await fetch(s.url + '/api/clients', { headers }))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' })
      }
    })

    it('when a body is corrupt gzip, then 400 BODY_ENCODING_INVALID before authentication, and nothing changes', async () => {
      const before = (await json<{ items: unknown[] }>(await s.api('/api/clients'))).items.length
      const garbage = Buffer.concat([gzipSync(Buffer.from('{"lastName":"A","firstName":"B"}')).subarray(0, 12), Buffer.from([1, 2, 3, 4, 5])])
      for (const token of [null, ADMIN_TOKEN]) {
        for (const encoding of ['gzip', 'deflate', 'br']) {
          const res = await s.api('/api/clients', { method: 'POST', token, headers: { 'content-type': 'application/json', 'content-encoding': encoding }, body: garbage })
          expect(res.headers.get('content-type')).toContain('application/problem+json')
          expect(await json(res)).toMatchObject({ status: 400, code: 'BODY_ENCODING_INVALID' })
        }
      }
      expect((await json<{ items: unknown[] }>(await s.api('/api/clients'))).items.length).toBe(before)
    })

    it('when an API answer carries records, then it says Cache-Control: no-store', async () => {
      await s.api('/api/clients', { method: 'POST', json: { lastName: 'Okafor', firstName: 'Amara', notes: 'private' } })
      for (const path of ['/api/clients', '/api/lookup?barcode=C-000001', '/api/tokens', '/api/clients/999999']) {
        expect((await s.api(path)).headers.get('cache-control')).toBe('no-store')
      }
    })
  })

  describe('STUDIO_ADMIN_TOKEN across restarts', () => {
    let database: TestDatabase
    beforeAll(async () => {
      database = await freshDatabase(kind)
    })
    afterAll(async () => {
      await database?.dispose()
    })

    it('when STUDIO_ADMIN_TOKEN is revoked, then it stays revoked after a restart, and a new value makes a new admin token', async () => {
      const first = await startTestServer(kind, { database })
      const own = (await json<{ items: Array<{ id: number; label: string }> }>(await first.api('/api/tokens'))).items.find((t) => t.label === 'STUDIO_ADMIN_TOKEN')!
      expect((await first.api(`/api/tokens/${own.id}`, { method: 'DELETE' })).status).toBe(204)
      expect((await first.api('/api/clients')).status).toBe(401)
      await first.close()
      const again = await startTestServer(kind, { database })
      expect((await again.api('/api/clients')).status).toBe(401)
      await again.close()
      const fresh = 'Kq8x2-Lm4Zp9_Rt7Vw3Ny6Bc1'
      const renewed = await startTestServer(kind, { database, config: { adminToken: fresh } })
      try {
        expect((await renewed.api('/api/clients', { token: fresh })).status).toBe(200)
        expect((await renewed.api('/api/clients', { token: ADMIN_TOKEN })).status).toBe(401)
      } finally {
        await renewed.close()
      }
    })

    it('when STUDIO_ADMIN_TOKEN is weak, then the server refuses to start saying why', async () => {
      for (const weak of ['admin', 'password1234567890123456', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'has spaces in it but is long enough ok']) {
        await expect(startTestServer(kind, { database, config: { adminToken: weak } })).rejects.toMatchObject({ code: 'CONFIG_INVALID', message: expect.stringContaining('STUDIO_ADMIN_TOKEN is too weak') })
      }
    })
  })
})
