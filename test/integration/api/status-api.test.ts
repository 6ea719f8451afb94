import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { DEFAULT_TRACK } from '../../../src/domain/status-track.ts'

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

describe.each(DB_KINDS)('production statuses and advances on %s', (kind) => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer(kind)
  })
  afterAll(async () => {
    await s?.close()
  })

  const newOrder = async () => json<{ id: number; status: string; version: number }>(await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Bay Photo', productionOrderNumber: 'auto' } }))

  it('when the tracks are read, then the seeded default track is there', async () => {
    const tracks = await json<Array<{ orderType: string; statuses: Array<{ key: string }> }>>(await s.api('/api/production-statuses'))
    expect(tracks.map((t) => t.orderType)).toEqual(['default'])
    expect(tracks[0].statuses.map((st) => st.key)).toEqual(DEFAULT_TRACK.statuses.map((st) => st.key))
  })

  it('when an order advances without and with a target, then each step writes history with who', async () => {
    const order = await newOrder()
    const next = await json<{ from: string; to: string; order: { status: string } }>(await s.api(`/api/production-orders/${order.id}/advance`, { method: 'POST' }))
    expect(next).toMatchObject({ from: 'entered', to: 'retouching', order: { status: 'retouching' } })
    const chosen = await json<{ to: string; flags: string[] }>(await s.api(`/api/production-orders/${order.id}/advance`, { method: 'POST', json: { to: 'finishing' } }))
    expect(chosen).toMatchObject({ to: 'finishing', flags: ['skips-steps'] })
    const history = await json<{ items: Array<{ fromStatus: string | null; toStatus: string; by: string }> }>(await s.api(`/api/production-orders/${order.id}/history`))
    expect(history.items.map((h) => [h.fromStatus, h.toStatus])).toEqual([[null, 'entered'], ['entered', 'retouching'], ['retouching', 'finishing']])
    expect(history.items[1].by).toBe('STUDIO_ADMIN_TOKEN')
  })

  it('when an advance is refused, then the code says why and nothing changes', async () => {
    const order = await newOrder()
    expect(await json(await s.api(`/api/production-orders/${order.id}/advance`, { method: 'POST', json: { to: 'entered' } }))).toMatchObject({ status: 409, code: 'ALREADY_AT_STATUS' })
    expect(await json(await s.api(`/api/production-orders/${order.id}/advance`, { method: 'POST', json: { to: 'shipped' } }))).toMatchObject({ status: 400, code: 'STATUS_NOT_IN_TRACK' })
    expect(await json(await s.api(`/api/production-orders/${order.id}/advance`, { method: 'POST', json: { to: 'picked-up' } }))).toMatchObject({ to: 'picked-up' })
    expect(await json(await s.api(`/api/production-orders/${order.id}/advance`, { method: 'POST' }))).toMatchObject({ status: 409, code: 'FINAL_STATUS' })
    expect(await json(await s.api(`/api/production-orders/${order.id}/advance`, { method: 'POST', json: { to: 'cancelled' } }))).toMatchObject({ to: 'cancelled' })
    expect(await json(await s.api(`/api/production-orders/${order.id}/advance`, { method: 'POST', json: { to: 'entered' } }))).toMatchObject({ status: 409, code: 'ORDER_CANCELLED' })
    expect(await json(await s.api(`/api/production-orders/${order.id}/advance`, { method: 'POST', json: { bogus: 1 } }))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' })
    const history = await json<{ items: unknown[] }>(await s.api(`/api/production-orders/${order.id}/history`))
    expect(history.items).toHaveLength(3)
  })

  it('when 200 advances of one order race, then exactly one wins per step and the rest get CONCURRENT_CHANGE', async () => {
    const order = await newOrder()
    const results = await Promise.all(Array.from({ length: 200 }, () => s.api(`/api/production-orders/${order.id}/advance`, { method: 'POST' }).then(async (r) => ({ status: r.status, body: await json(r) }))))
    const winners = results.filter((r) => r.status === 200)
    const losers = results.filter((r) => r.status !== 200)
    // Each winner moved the order one step from a distinct status: never two winners of one step.
    const fromStatuses = winners.map((w) => w.body.from as string)
    expect(new Set(fromStatuses).size).toBe(winners.length)
    expect(winners.length).toBeGreaterThanOrEqual(1)
    expect(winners.length).toBeLessThanOrEqual(7)
    for (const l of losers) expect(['CONCURRENT_CHANGE', 'FINAL_STATUS']).toContain(l.body.code)
    const history = await json<{ items: Array<{ fromStatus: string | null; toStatus: string }> }>(await s.api(`/api/production-orders/${order.id}/history`))
    expect(history.items.length).toBe(1 + winners.length)
    const final = await json<{ status: string; version: number }>(await s.api(`/api/production-orders/${order.id}`))
    expect(final.version).toBe(winners.length)
    expect(final.status).toBe(history.items[history.items.length - 1].toStatus)
  })

  it('when 200 clients are created at once, then they get 200 distinct numbers', async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => s.api('/api/clients', { method: 'POST', json: { lastName: `Race${i}` } }).then((r) => json<{ number: number }>(r))))
    const numbers = results.map((r) => r.number)
    expect(numbers.every((n) => Number.isInteger(n) && n > 0)).toBe(true)
    expect(new Set(numbers).size).toBe(200)
  })

  it('when a track is replaced, then it is validated and statuses in use cannot vanish', async () => {
    const invalid = await s.api('/api/production-statuses', { method: 'PUT', json: [{ orderType: 'default', statuses: [{ key: 'x', name: 'X', sort: 1, durationDays: 0, kind: 'normal' }, { key: 'y', name: 'Y', sort: 2, durationDays: 0, kind: 'normal' }] }] })
    expect(await json(invalid)).toMatchObject({ status: 400, code: 'STATUS_TRACK_INVALID' })
    await newOrder() // an order in 'entered' holds that status
    const dropping = [{ orderType: 'default', statuses: DEFAULT_TRACK.statuses.filter((st) => st.key !== 'retouching' && st.key !== 'entered').map((st, i) => (i === 0 ? { ...st, kind: 'initial' } : st)) }]
    expect(await json(await s.api('/api/production-statuses', { method: 'PUT', json: dropping }))).toMatchObject({ status: 409, code: 'STATUS_IN_USE' })
    const albums = { orderType: 'albums', statuses: [{ key: 'design', name: 'Design', sort: 10, durationDays: 5, kind: 'initial' }, { key: 'print', name: 'Print', sort: 20, durationDays: 5, kind: 'normal' }, { key: 'delivered', name: 'Delivered', sort: 30, durationDays: 0, kind: 'final' }] }
    const put = await s.api('/api/production-statuses', { method: 'PUT', json: [DEFAULT_TRACK, albums] })
    expect(put.status).toBe(200)
    const album = await json<{ id: number; status: string }>(await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Album Co', orderType: 'albums' } }))
    expect(album.status).toBe('design')
    expect(await json(await s.api(`/api/production-orders/${album.id}/advance`, { method: 'POST', json: { to: 'retouching' } }))).toMatchObject({ code: 'STATUS_NOT_IN_TRACK' })
  })
})
