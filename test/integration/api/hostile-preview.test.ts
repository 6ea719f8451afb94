import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { ZPL_20000_FIELDS, ZPL_GFA_BOMB, ZPL_GFA_BOMB_UNDERSTATED } from '../../fixtures/hostile/hostile-inputs.ts'

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

/**
 * Polls /api/health, one request after the other, until every request in `work` has settled.
 * Returns the health answers, and how many had arrived when the first of `work` settled.
 */
async function healthWhile(url: string, work: Promise<unknown>[]): Promise<{ statuses: number[]; beforeFirstDone: number }> {
  const statuses: number[] = []
  let beforeFirstDone = -1
  let pending = work.length
  for (const w of work) {
    void w.finally(() => {
      if (beforeFirstDone < 0) beforeFirstDone = statuses.length
      pending--
    })
  }
  do statuses.push((await fetch(`${url}/api/health`)).status)
  while (pending > 0)
  return { statuses, beforeFirstDone }
}

// Rendering does not depend on the dialect; SQLite keeps this fast.
describe('hostile ZPL previews', () => {
  let s: TestServer
  let token: string
  beforeAll(async () => {
    s = await startTestServer('sqlite')
    token = (await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'client' } }))).token
  })
  afterAll(async () => {
    await s?.close()
  })

  const preview = (zpl: string, query = '') =>
    s.api(`/api/preview${query}`, { method: 'POST', token, body: zpl, headers: { 'content-type': 'text/plain' } }).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), body: r.status === 200 ? null : await json<{ code: string; detail: string }>(r) }))

  it('when a 68 KB body whose ^GFA inflates to 50 MB is previewed, then 422 PREVIEW_TOO_COMPLEX, and health answers meanwhile', async () => {
    expect(ZPL_GFA_BOMB.length).toBeLessThan(70_000)
    const hostile = [preview(ZPL_GFA_BOMB), preview(ZPL_GFA_BOMB_UNDERSTATED)]
    const health = await healthWhile(s.url, hostile)
    const answers = await Promise.all(hostile)
    expect(answers.map((a) => [a.status, a.body?.code])).toEqual([
      [422, 'PREVIEW_TOO_COMPLEX'],
      [422, 'PREVIEW_TOO_COMPLEX'],
    ])
    expect(health.statuses.every((st) => st === 200)).toBe(true)
  })

  it('when 20,000 fields in 600 KB are previewed, then 422 PREVIEW_TOO_COMPLEX, and health answers meanwhile', async () => {
    expect(ZPL_20000_FIELDS.length).toBeGreaterThan(500_000)
    const hostile = [preview(ZPL_20000_FIELDS)]
    const health = await healthWhile(s.url, hostile)
    const [answer] = await Promise.all(hostile)
    expect([answer.status, answer.body?.code]).toEqual([422, 'PREVIEW_TOO_COMPLEX'])
    expect(health.statuses.every((st) => st === 200)).toBe(true)
  })

  it('when four 15×15 in previews at 24 dpmm arrive at once, then each gets 422 PREVIEW_TOO_LARGE, and health answers meanwhile', async () => {
    const zpl = '^XA^FO50,50^A0N,40^FDBig^FS^XZ'
    const hostile = Array.from({ length: 4 }, () => preview(zpl, '?dpmm=24&width=15&height=15'))
    const health = await healthWhile(s.url, hostile)
    const answers = await Promise.all(hostile)
    expect(answers.map((a) => [a.status, a.body?.code])).toEqual(Array.from({ length: 4 }, () => [422, 'PREVIEW_TOO_LARGE']))
    expect(health.statuses.every((st) => st === 200)).toBe(true)
  })

  it('when four heavy but legal previews render at once, then all four are PNGs and health answered before the first was done', async () => {
    const zpl = `^XA${Array.from({ length: 100 }, (_, i) => `^FO${(i * 37) % 800},${(i * 53) % 1200}^A0N,30^FDField ${i}^FS`).join('')}^XZ`
    // Warm: the renderer is loaded, so what follows measures rendering only.
    expect((await preview('^XA^FO10,10^A0N,20^FDwarm^FS^XZ')).status).toBe(200)
    const heavy = Array.from({ length: 4 }, () => preview(zpl, '?dpmm=12&width=4&height=6'))
    const health = await healthWhile(s.url, heavy)
    const answers = await Promise.all(heavy)
    expect(answers.map((a) => [a.status, a.type])).toEqual(Array.from({ length: 4 }, () => [200, 'image/png']))
    expect(health.statuses.every((st) => st === 200)).toBe(true)
    expect(health.beforeFirstDone).toBeGreaterThanOrEqual(1)
  })
})
