import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { json, makeOrder, scan } from './helpers.ts'

type History = { items: Array<{ fromStatus: string | null; toStatus: string; station: string | null; by: string; reason: string | null }> }

describe.each(DB_KINDS)('the production floor over HTTP on %s', (kind) => {
  let s: TestServer
  const history = async (id: number) => (await json<History>(await s.api(`/api/production-orders/${id}/history`))).items
  const status = async (id: number) => (await json<{ status: string; version: number }>(await s.api(`/api/production-orders/${id}`))).status
  const station = async (name: string) => json<{ batch: { id: number }; target: string; advanceTo: string | null; openRecord: { type: string; id: number } | null }>(await s.api(`/api/stations/${name}`))
  beforeAll(async () => {
    s = await startTestServer(kind)
  })
  afterAll(async () => {
    await s?.close()
  })

  it('when a chosen-status station reads an order in its final status or one further on, then BACKWARD_MOVE / LEAVES_FINAL_STATUS refuse it and nothing changes, unless an admin allows backward moves there', async () => {
    await s.api('/api/stations', { method: 'POST', json: { name: 'pickup', mode: 'advance', advanceTo: 'ready-for-pickup' } })
    const delivered = await makeOrder(s, 7)
    const finishing = await makeOrder(s, 5, delivered.clientId)
    const delivered2 = await makeOrder(s, 7, delivered.clientId)
    expect(await scan(s, 'pickup', delivered.barcode)).toMatchObject({ outcome: 'error', code: 'LEAVES_FINAL_STATUS', status: { key: 'picked-up' } })
    expect(await status(delivered.id)).toBe('picked-up')
    expect(await history(delivered.id)).toHaveLength(8)
    await s.api('/api/stations/pickup', { method: 'PATCH', json: { advanceTo: 'retouching' } })
    expect(await scan(s, 'pickup', finishing.barcode)).toMatchObject({ outcome: 'error', code: 'BACKWARD_MOVE', status: { key: 'finishing' } })
    expect(await history(finishing.id)).toHaveLength(6)
    // A station token may not allow it; an admin may.
    const token = (await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'station', station: 'pickup' } }))).token
    expect(await json(await s.api('/api/stations/pickup', { method: 'PATCH', json: { allowBackward: true }, token }))).toMatchObject({ status: 403, code: 'FORBIDDEN' })
    expect(await json(await s.api('/api/stations/pickup', { method: 'PATCH', json: { allowBackward: true } }))).toMatchObject({ allowBackward: true })
    expect(await scan(s, 'pickup', finishing.barcode)).toMatchObject({ outcome: 'advanced', from: 'finishing', to: 'retouching', flags: ['backwards'] })
    expect(await scan(s, 'pickup', delivered2.barcode)).toMatchObject({ outcome: 'advanced', from: 'picked-up', to: 'retouching', flags: ['backwards'] })
  })

  it('when a station advances three orders and undo is asked three times, then exactly one order goes back and the other two undos answer NOTHING_TO_UNDO', async () => {
    await s.api('/api/stations', { method: 'POST', json: { name: 'undo3', mode: 'advance' } })
    const a = await makeOrder(s, 0)
    const b = await makeOrder(s, 0, a.clientId)
    const c = await makeOrder(s, 0, a.clientId)
    for (const o of [a, b, c]) expect(await scan(s, 'undo3', o.barcode)).toMatchObject({ outcome: 'advanced' })
    const answers = []
    for (let i = 0; i < 3; i++) answers.push(await json<{ status?: number; code?: string; outcome?: string }>(await s.api('/api/stations/undo3/undo', { method: 'POST' })))
    expect(answers.map((x) => x.code)).toEqual(['ADVANCE_UNDONE', 'NOTHING_TO_UNDO', 'NOTHING_TO_UNDO'])
    expect(answers.slice(1).map((x) => x.status)).toEqual([409, 409])
    expect([await status(a.id), await status(b.id), await status(c.id)]).toEqual(['retouching', 'retouching', 'entered'])
    const reverts = (await Promise.all([a, b, c].map((o) => history(o.id)))).flat().filter((h) => h.fromStatus === 'retouching' && h.toStatus === 'entered')
    expect(reverts).toHaveLength(1)
  })

  it('when the status is "a chosen status" with none picked yet, then an order scanned is refused TARGET_NOT_CHOSEN and not moved; once picked, it goes there', async () => {
    await s.api('/api/stations', { method: 'POST', json: { name: 'choose', mode: 'advance' } })
    expect(await json(await s.api('/api/stations/choose', { method: 'PATCH', json: { target: 'chosen' } }))).toMatchObject({ target: 'chosen', advanceTo: null })
    const o = await makeOrder(s, 0)
    expect(await scan(s, 'choose', o.barcode)).toMatchObject({ outcome: 'error', code: 'TARGET_NOT_CHOSEN' })
    expect(await history(o.id)).toHaveLength(1)
    expect(await json(await s.api('/api/stations/choose', { method: 'PATCH', json: { advanceTo: 'sent-to-lab' } }))).toMatchObject({ target: 'chosen', advanceTo: 'sent-to-lab' })
    expect(await scan(s, 'choose', o.barcode)).toMatchObject({ outcome: 'advanced', to: 'sent-to-lab' })
    expect(await json(await s.api('/api/stations/choose', { method: 'PATCH', json: { target: 'next', advanceTo: 'finishing' } }))).toMatchObject({ status: 400 })
  })

  it('when New batch is pressed (twice, a double click), then one new batch starts and an order of the last batch advances again; the card does the same', async () => {
    await s.api('/api/stations', { method: 'POST', json: { name: 'batches', mode: 'advance' } })
    const o = await makeOrder(s, 0)
    const first = await scan(s, 'batches', o.barcode)
    expect(first).toMatchObject({ outcome: 'advanced', batch: (await station('batches')).batch.id })
    const before = (await station('batches')).batch.id
    const [x, y] = [await json<{ batch: { id: number } }>(await s.api('/api/stations/batches/batch', { method: 'POST' })), await json<{ batch: { id: number } }>(await s.api('/api/stations/batches/batch', { method: 'POST' }))]
    expect([x.batch.id, y.batch.id]).toEqual([before + 1, before + 1])
    expect(await scan(s, 'batches', o.barcode)).toMatchObject({ outcome: 'advanced', to: 'ready-to-send', batch: before + 1 })
    expect(await scan(s, 'batches', 'STATION-NEW-BATCH')).toMatchObject({ outcome: 'batch-started', batch: before + 2 })
    // Read again (another spelling, past the re-read filter): the batch is still empty, so it stays.
    expect(await scan(s, 'batches', 'station-new-batch')).toMatchObject({ outcome: 'batch-started', batch: before + 2 })
    expect(await scan(s, 'batches', o.barcode)).toMatchObject({ outcome: 'advanced', to: 'sent-to-lab', batch: before + 2 })
  })

  it('when a station has been idle longer than the studio’s idle time (by the database’s clock), then its batch ends: the next scan starts the next one and an order of the last batch moves again', async () => {
    expect(await json(await s.api('/api/preferences/scanning'))).toEqual({ batchIdleMinutes: 30 })
    for (const bad of [{ batchIdleMinutes: 0 }, { batchIdleMinutes: 1441 }, { batchIdleMinutes: 2.5 }, { batchIdleMinutes: '30' }, { batchIdleMinutes: 30, extra: true }, {}]) {
      expect(await json(await s.api('/api/preferences/scanning', { method: 'PUT', json: bad }))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' })
    }
    const client = (await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'client' } }))).token
    expect(await json(await s.api('/api/preferences/scanning', { method: 'PUT', json: { batchIdleMinutes: 5 }, token: client }))).toMatchObject({ status: 403, code: 'FORBIDDEN' })
    expect(await json(await s.api('/api/preferences/scanning'))).toEqual({ batchIdleMinutes: 30 })
    expect(await json(await s.api('/api/preferences/scanning', { method: 'PUT', json: { batchIdleMinutes: 20 } }))).toEqual({ batchIdleMinutes: 20 })
    await s.api('/api/stations', { method: 'POST', json: { name: 'idle', mode: 'advance' } })
    const o = await makeOrder(s, 0)
    const first = await scan(s, 'idle', o.barcode)
    expect(first).toMatchObject({ outcome: 'advanced' })
    // The last scan was 19 minutes ago: still the batch.
    const db = s.running.stores.database.db
    const ago = (min: number) => db.updateTable('stations').set({ batch_last_scan_at: sql<number>`batch_last_scan_at - ${min * 60_000}` }).where('name', '=', 'idle').execute()
    // Each read spelled differently (lower case, no hyphen): the 1.5 s re-read filter does not take it.
    const spelled = (n: number) => [o.barcode.toLowerCase(), o.barcode.replace('-', ''), o.barcode.replace('-', '').toLowerCase()][n]
    await ago(19)
    expect(await scan(s, 'idle', spelled(0))).toMatchObject({ code: 'DUPLICATE_SCAN', message: expect.stringContaining('this batch'), batch: first.batch })
    await ago(21)
    expect(await scan(s, 'idle', spelled(1))).toMatchObject({ outcome: 'advanced', to: 'ready-to-send', batch: first.batch + 1 })
    await s.api('/api/preferences/scanning', { method: 'PUT', json: { batchIdleMinutes: 30 } })
  })

  it('when two different stations each move the same bag within a second, then both steps stand (a different station is a different step), the second says so and the first station is told', async () => {
    await s.api('/api/stations', { method: 'POST', json: { name: 'checkout', mode: 'advance' } })
    await s.api('/api/stations', { method: 'POST', json: { name: 'qc', mode: 'advance' } })
    const o = await makeOrder(s, 0)
    expect(await scan(s, 'checkout', o.barcode)).toMatchObject({ outcome: 'advanced', to: 'retouching' })
    const second = await scan(s, 'qc', o.barcode)
    expect(second).toMatchObject({ outcome: 'advanced', from: 'retouching', to: 'ready-to-send', alsoMovedAt: 'checkout' })
    const log = await json<{ items: Array<{ code?: string; outcome: string; movedAt?: string; record?: { id: number } }> }>(await s.api('/api/stations/checkout/scans?limit=5'))
    expect(log.items[0]).toMatchObject({ outcome: 'warning', code: 'MOVED_ON_ELSEWHERE', movedAt: 'qc', record: { id: o.id } })
    expect((await history(o.id)).map((h) => h.station)).toEqual([null, 'checkout', 'qc'])
  })

  it('when a lookup station reads a second record while one is open, then the scan replaces it (stations have no editing, so nothing unsaved is lost)', async () => {
    await s.api('/api/stations', { method: 'POST', json: { name: 'lookup1', mode: 'lookup' } })
    const o = await makeOrder(s, 0)
    const client = await json<{ id: number; barcode: string }>(await s.api(`/api/clients/${o.clientId}`))
    expect(await scan(s, 'lookup1', o.barcode)).toMatchObject({ outcome: 'opened', type: 'production-order' })
    expect(await scan(s, 'lookup1', client.barcode)).toMatchObject({ outcome: 'opened', type: 'client', replaced: { type: 'production-order', id: o.id } })
    expect((await station('lookup1')).openRecord).toMatchObject({ type: 'client', id: client.id })
  })

  it('when mode cards are listed, then the first status and New batch have cards', async () => {
    const list = await json<{ cards: Array<{ payload: string }> }>(await s.api('/api/stations/batches/mode-cards'))
    expect(list.cards.map((c) => c.payload)).toEqual(expect.arrayContaining(['TO-ENTERED', 'STATION-NEW-BATCH']))
  })
})
