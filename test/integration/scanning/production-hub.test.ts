import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { DEFAULT_TRACK } from '../../../src/domain/status-track.ts'
import { json, makeOrder } from './helpers.ts'

type Summary = { today: string; tracks: Array<{ orderType: string; statuses: Array<{ key: string; count: number; late: number }> }> }
type Orders = { items: Array<{ id: number; barcode: string; status: { key: string }; daysLate: number; statusDueDate: string; client: { name: string } | null; version: number }> }

describe.each(DB_KINDS)('the Production hub API on %s', (kind) => {
  let s: TestServer
  let clientToken: string
  const orders: Record<string, { id: number; barcode: string; clientId?: number }> = {}
  const setDue = (id: number, due: string) => s.running.stores.database.db.updateTable('production_orders').set({ status_due_date: due }).where('id', '=', id).execute()
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)

  beforeAll(async () => {
    s = await startTestServer(kind)
    const album = { orderType: 'album', statuses: DEFAULT_TRACK.statuses.filter((st) => !['sent-to-lab', 'received-from-lab'].includes(st.key)) }
    expect((await s.api('/api/production-statuses', { method: 'PUT', json: [DEFAULT_TRACK, album] })).status).toBe(200)
    orders.a = await makeOrder(s, 1) // retouching
    orders.b = await makeOrder(s, 1, orders.a.clientId!) // retouching, 5 days late
    orders.c = await makeOrder(s, 3, orders.a.clientId!) // sent-to-lab, 2 days late
    orders.held = await makeOrder(s, 1, orders.a.clientId!)
    await s.api(`/api/production-orders/${orders.held.id}/advance`, { method: 'POST', json: { to: 'on-hold' } })
    const albumOrder = await json<{ id: number; barcode: string }>(await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Album Co', orderType: 'album', productionOrderNumber: 'auto', clientId: orders.a.clientId! } }))
    orders.album = albumOrder
    await setDue(orders.b.id, daysAgo(5))
    await setDue(orders.c.id, daysAgo(2))
    clientToken = (await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'client' } }))).token
  })
  afterAll(async () => {
    await s?.close()
  })

  it('when the summary is read, then each track counts its orders per status, late ones apart', async () => {
    const summary = await json<Summary>(await s.api('/api/production/summary', { token: clientToken }))
    const counts = (t: string) => Object.fromEntries(summary.tracks.find((x) => x.orderType === t)!.statuses.filter((x) => x.count).map((x) => [x.key, [x.count, x.late]]))
    expect(counts('default')).toEqual({ retouching: [2, 1], 'sent-to-lab': [1, 1], 'on-hold': [1, 0] })
    expect(counts('album')).toEqual({ entered: [1, 0] })
    expect(summary.tracks.find((x) => x.orderType === 'album')!.statuses.map((x) => x.key)).not.toContain('sent-to-lab')
  })

  it('when orders are listed, then late orders come first with their client, due date and days late; filters narrow them', async () => {
    const all = await json<Orders>(await s.api('/api/production/orders'))
    expect(all.items.slice(0, 2).map((o) => [o.id, o.daysLate])).toEqual([[orders.b.id, 5], [orders.c.id, 2]])
    expect(all.items[0]).toMatchObject({ client: { name: 'Okafor, Amara' }, statusDueDate: daysAgo(5), status: { key: 'retouching' } })
    expect(all.items).toHaveLength(5)
    expect((await json<Orders>(await s.api('/api/production/orders?late=1'))).items.map((o) => o.id)).toEqual([orders.b.id, orders.c.id])
    expect((await json<Orders>(await s.api('/api/production/orders?status=retouching'))).items.map((o) => o.id)).toEqual([orders.b.id, orders.a.id])
    expect((await json<Orders>(await s.api('/api/production/orders?track=album'))).items.map((o) => o.id)).toEqual([orders.album.id])
    expect((await json<Orders>(await s.api('/api/production/orders?track=default'))).items).toHaveLength(4)
    expect(await json(await s.api('/api/production/orders?status=%3Cx%3E'))).toMatchObject({ status: 400, code: 'QUERY_INVALID' })
    expect(await json(await s.api('/api/production/orders?limit=9999'))).toMatchObject({ status: 400, code: 'QUERY_INVALID' })
  })

  it('when a held order is released by hand with a reason, then its history row says who, where and why; a second click with the same version changes nothing', async () => {
    const { version } = await json<{ version: number }>(await s.api(`/api/production-orders/${orders.held.id}`))
    const body = { to: 'retouching', reason: 'Client approved the proofs', version }
    const [first, second] = await Promise.all([1, 2].map(() => s.api(`/api/production-orders/${orders.held.id}/status`, { method: 'POST', json: body, token: clientToken })))
    const answers = [await json(first), await json(second)]
    const ok = answers.filter((x) => 'order' in x)
    expect(ok).toHaveLength(1)
    expect(ok[0]).toMatchObject({ from: 'on-hold', to: 'retouching', flags: ['leaves-hold'] })
    expect(answers.filter((x) => x.code === 'CONCURRENT_CHANGE')).toHaveLength(1)
    const history = await json<{ items: Array<{ fromStatus: string; toStatus: string; reason: string | null; by: string; station: string | null }> }>(await s.api(`/api/production-orders/${orders.held.id}/history`))
    expect(history.items.filter((h) => h.fromStatus === 'on-hold')).toHaveLength(1)
    expect(history.items.at(-1)).toMatchObject({ fromStatus: 'on-hold', toStatus: 'retouching', reason: 'Client approved the proofs', station: null })
  })

  it('when the body is bad or the caller may not, then a problem with its code and nothing changes', async () => {
    const id = orders.a.id
    const before = await json<{ version: number }>(await s.api(`/api/production-orders/${id}`))
    const post = (json: unknown, token?: string) => s.api(`/api/production-orders/${id}/status`, { method: 'POST', json, ...(token ? { token } : {}) }).then((r) => r.json() as Promise<{ status: number; code: string }>)
    expect(await post({ to: 'finishing' })).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' })
    expect(await post({ to: 'finishing', reason: '   ' })).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' })
    expect(await post({ to: 'finishing', reason: 'x'.repeat(501) })).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' })
    expect(await post({ to: 'nowhere', reason: 'test' })).toMatchObject({ status: 400, code: 'STATUS_NOT_IN_TRACK' })
    expect(await post({ to: 'retouching', reason: 'test' })).toMatchObject({ status: 409, code: 'ALREADY_AT_STATUS' })
    expect(await post({ to: 'finishing', reason: 'test', version: before.version + 7 })).toMatchObject({ status: 409, code: 'CONCURRENT_CHANGE' })
    expect(await post({ to: 'finishing', reason: 'test', extra: 1 })).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' })
    const station = (await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'station', station: 'x' } }))).token
    expect(await post({ to: 'finishing', reason: 'test' }, station)).toMatchObject({ status: 403, code: 'FORBIDDEN' })
    expect((await s.api('/api/production/summary', { token: station })).status).toBe(403)
    expect(await json(await s.api('/api/production-orders/999999/status', { method: 'POST', json: { to: 'finishing', reason: 'test' } }))).toMatchObject({ status: 404, code: 'RECORD_NOT_FOUND' })
    expect(await json(await s.api(`/api/production-orders/${id}`))).toMatchObject({ version: before.version, status: 'retouching' })
  })
})
