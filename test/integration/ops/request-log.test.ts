import { describe, expect, it } from 'vitest'
import { createLogger } from '../../../src/start.ts'
import { startTestServer, ADMIN_TOKEN } from '../../support/server.ts'

interface Line {
  level: number
  msg: string
  reqId?: string
  req?: { id: string; method: string; path?: string; url?: string; headers?: Record<string, string> }
  res?: { statusCode: number }
  responseTime?: number
}

async function withLines(level: string, fn: (api: Awaited<ReturnType<typeof startTestServer>>, lines: () => Line[]) => Promise<void>): Promise<void> {
  const raw: string[] = []
  const s = await startTestServer('sqlite', { log: createLogger(level, { write: (l: string) => void raw.push(l) }) })
  try {
    await fn(s, () => raw.map((l) => JSON.parse(l) as Line))
  } finally {
    await s.close()
  }
}

describe('request log', () => {
  it('when requests come at info, then each answered request is one line (method, path without its query, status, id, time), health probes are left out, and the id is the one x-request-id carries back', async () => {
    await withLines('info', async (s, lines) => {
      const a = await s.api('/api/clients?q=Secret-Query&limit=5', { headers: { 'x-request-id': 'desk-7.a_1' } })
      expect(a.headers.get('x-request-id')).toBe('desk-7.a_1')
      const b = await s.api('/api/clients/999999')
      const bId = b.headers.get('x-request-id')!
      expect(bId).toMatch(/^[0-9a-f-]{36}$/)
      // A given id that is not a plain token is replaced.
      const c = await s.api('/api/clients', { headers: { 'x-request-id': 'bad id\twith spaces' } })
      expect(c.headers.get('x-request-id')).not.toBe('bad id\twith spaces')
      await fetch(s.url + '/api/health')
      const requestLines = () => lines().filter((l) => l.req)
      expect(requestLines().map((l) => l.msg)).toEqual(['GET /api/clients 200', 'GET /api/clients/999999 404', 'GET /api/clients 200'])
      const [first, second] = requestLines()
      expect(first).toMatchObject({ level: 30, req: { id: 'desk-7.a_1', method: 'GET', path: '/api/clients' }, res: { statusCode: 200 } })
      expect(typeof first.responseTime).toBe('number')
      expect(second.req!.id).toBe(bId)
      const all = JSON.stringify(lines())
      expect(all).not.toContain('Secret-Query')
      expect(all).not.toContain(ADMIN_TOKEN)
    })
  })

  it('when requests come at warn, then no request line is written; at debug, health probes and headers are, with the token redacted', async () => {
    await withLines('warn', async (s, lines) => {
      expect((await s.api('/api/clients')).status).toBe(200)
      expect(lines().filter((l) => l.req)).toEqual([])
    })
    await withLines('debug', async (s, lines) => {
      await fetch(s.url + '/api/health')
      expect((await s.api('/api/clients?limit=1')).status).toBe(200)
      const req = lines().filter((l) => l.req)
      expect(req.map((l) => [l.level, l.msg])).toEqual([
        [20, 'GET /api/health 200'],
        [30, 'GET /api/clients 200'],
      ])
      expect(req[1].req!.url).toBe('/api/clients?limit=1')
      expect(req[1].req!.headers!.authorization).toBe('[redacted]')
    })
  })

  it('when a request fails authentication, then the warning line carries the request id of its answer', async () => {
    await withLines('info', async (s, lines) => {
      const res = await s.api('/api/clients', { token: 'sp_wrong_token_000000000000000' })
      expect(res.status).toBe(401)
      const id = res.headers.get('x-request-id')
      const warn = lines().find((l) => l.msg === 'authentication failed')
      expect(warn?.reqId).toBe(id)
    })
  })
})
