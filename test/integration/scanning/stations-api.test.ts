import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { DEFAULT_TRACK } from '../../../src/domain/status-track.ts'
import { json, makeOrder, scan, SseClient } from './helpers.ts'

describe.each(DB_KINDS)('scanner stations over HTTP on %s', (kind) => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer(kind)
    // An "album" order type whose track has no lab steps (for STATUS_NOT_IN_TRACK).
    const album = { orderType: 'album', statuses: DEFAULT_TRACK.statuses.filter((st) => !['sent-to-lab', 'received-from-lab'].includes(st.key)) }
    const put = await s.api('/api/production-statuses', { method: 'PUT', json: [DEFAULT_TRACK, album] })
    expect(put.status).toBe(200)
    expect((await s.api('/api/stations', { method: 'POST', json: { name: 'desk', mode: 'lookup' } })).status).toBe(201)
    expect((await s.api('/api/stations', { method: 'POST', json: { name: 'prod', mode: 'advance' } })).status).toBe(201)
  })
  afterAll(async () => {
    await s?.close()
  })

  it('when stations are created, listed, patched and deleted, then the API shows each change and validates targets', async () => {
    expect(await json(await s.api('/api/stations', { method: 'POST', json: { name: 'desk', mode: 'lookup' } }))).toMatchObject({ status: 409, code: 'STATION_EXISTS' })
    expect(await json(await s.api('/api/stations', { method: 'POST', json: { name: 'x', mode: 'sideways' } }))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' })
    expect(await json(await s.api('/api/stations', { method: 'POST', json: { name: 'bad name!', mode: 'lookup' } }))).toMatchObject({ status: 400 })
    expect(await json(await s.api('/api/stations', { method: 'POST', json: { name: 'temp', mode: 'advance', advanceTo: 'nowhere' } }))).toMatchObject({ status: 400, code: 'STATUS_NOT_IN_TRACK' })
    const created = await json(await s.api('/api/stations', { method: 'POST', json: { name: 'temp', mode: 'advance', advanceTo: 'sent-to-lab' } }))
    expect(created).toMatchObject({ name: 'temp', mode: 'advance', advanceTo: 'sent-to-lab', openRecord: null })
    const list = await json<{ items: Array<{ name: string }> }>(await s.api('/api/stations'))
    expect(list.items.map((x) => x.name)).toEqual(expect.arrayContaining(['desk', 'prod', 'temp']))
    expect(await json(await s.api('/api/stations/temp', { method: 'PATCH', json: { mode: 'lookup', advanceTo: null } }))).toMatchObject({ mode: 'lookup', advanceTo: null })
    expect(await json(await s.api('/api/stations/temp', { method: 'PATCH', json: { advanceTo: 'bogus' } }))).toMatchObject({ status: 400, code: 'STATUS_NOT_IN_TRACK' })
    expect(await json(await s.api('/api/stations/temp'))).toMatchObject({ name: 'temp', mode: 'lookup', scanners: [] })
    expect((await s.api('/api/stations/temp', { method: 'DELETE' })).status).toBe(204)
    expect(await json(await s.api('/api/stations/temp'))).toMatchObject({ status: 404, code: 'STATION_NOT_FOUND' })
  })

  it('when scanners are added, then URIs are validated, unknown stations refused, and each shows its live state', async () => {
    expect(await json(await s.api('/api/scanners', { method: 'POST', json: { name: 'bad', station: 'desk', uri: 'ftp://x' } }))).toMatchObject({ status: 400, code: 'SCANNER_URI_INVALID' })
    expect(await json(await s.api('/api/scanners', { method: 'POST', json: { name: 'orphan', station: 'nope', uri: 'sim:orphan' } }))).toMatchObject({ status: 422, code: 'REFERENCE_NOT_FOUND', details: { station: 'nope' } })
    const sim = await json(await s.api('/api/scanners', { method: 'POST', json: { name: 'desk-sim', station: 'desk', uri: 'sim:desk-sim' } }))
    expect(sim).toMatchObject({ name: 'desk-sim', station: 'desk', uri: 'sim:desk-sim', state: { connected: true, lastError: null } })
    // A serial port that does not exist: stored, shown with its error, retried — not fatal.
    const serial = await json(await s.api('/api/scanners', { method: 'POST', json: { name: 'desk-serial', station: 'desk', uri: 'serial:/dev/ttyNOPE0?baud=9600' } }))
    expect(serial).toMatchObject({ name: 'desk-serial', state: { connected: false, lastError: { code: 'SCANNER_UNAVAILABLE' } } })
    expect(await json(await s.api('/api/scanners', { method: 'POST', json: { name: 'desk-sim', station: 'desk', uri: 'sim:other' } }))).toMatchObject({ status: 409, code: 'SCANNER_EXISTS' })
    const list = await json<{ items: Array<{ name: string; state: { connected: boolean } }> }>(await s.api('/api/scanners'))
    expect(list.items.map((x) => [x.name, x.state.connected])).toEqual(expect.arrayContaining([['desk-sim', true], ['desk-serial', false]]))
    expect((await s.api('/api/scanners/desk-serial', { method: 'DELETE' })).status).toBe(204)
    expect((await s.api('/api/scanners/desk-sim', { method: 'DELETE' })).status).toBe(204)
    expect((await s.api('/api/scanners/desk-sim')).status).toBe(404)
  })

  it('when a record is scanned at a lookup station, then it opens, a second record replaces it, and unknown or malformed barcodes are errors', async () => {
    const order = await makeOrder(s, 0)
    const opened = await scan(s, 'desk', order.barcode)
    expect(opened).toMatchObject({ outcome: 'opened', type: 'production-order', record: { id: order.id }, status: { key: 'entered', name: 'Order Entered' }, client: { name: 'Okafor, Amara' } })
    expect(opened.scanId).toBeGreaterThan(0)
    const client = await json<{ barcode: string }>(await s.api(`/api/clients/${order.clientId}`))
    expect(await scan(s, 'desk', client.barcode)).toMatchObject({ outcome: 'opened', type: 'client', replaced: { type: 'production-order', id: order.id } })
    expect(await json(await s.api('/api/stations/desk/close', { method: 'POST' }))).toMatchObject({ openRecord: null })
    expect(await scan(s, 'desk', client.barcode.toLowerCase().replace('-', ''))).toMatchObject({ outcome: 'opened', type: 'client', client: { name: 'Okafor, Amara' } })
    await s.api('/api/stations/desk/close', { method: 'POST' })
    expect(await scan(s, 'desk', 'C-999999')).toMatchObject({ outcome: 'error', code: 'RECORD_NOT_FOUND' })
    expect(await scan(s, 'desk', 'hello')).toMatchObject({ outcome: 'error', code: 'BARCODE_INVALID' })
    expect(await scan(s, 'desk', 'PO-\u0007001')).toMatchObject({ outcome: 'error', code: 'BARCODE_INVALID' })
    expect(await scan(s, 'desk', 'C-' + '1'.repeat(300))).toMatchObject({ outcome: 'error', code: 'BARCODE_INVALID' })
    expect(await scan(s, 'desk', '   ')).toMatchObject({ outcome: 'error', code: 'BARCODE_INVALID' })
  })

  it('when orders are scanned at an advance station, then every outcome code comes back with the current status', async () => {
    const a = await makeOrder(s, 0)
    const adv = await scan(s, 'prod', a.barcode)
    expect(adv).toMatchObject({ outcome: 'advanced', from: 'entered', to: 'retouching', toName: 'Retouching', flags: [], status: { key: 'retouching', name: 'Retouching' }, client: { name: 'Okafor, Amara' } })
    const history = await json<{ items: Array<{ toStatus: string; station: string | null; by: string }> }>(await s.api(`/api/production-orders/${a.id}/history`))
    expect(history.items.at(-1)).toMatchObject({ fromStatus: 'entered', toStatus: 'retouching', station: 'prod' })

    // Read twice within the debounce window.
    expect(await scan(s, 'prod', a.barcode)).toMatchObject({ outcome: 'warning', code: 'DUPLICATE_SCAN' })

    // Client, session, invoice barcodes at the production station.
    const client = await json<{ barcode: string }>(await s.api(`/api/clients/${a.clientId}`))
    expect(await scan(s, 'prod', client.barcode)).toMatchObject({ outcome: 'error', code: 'WRONG_RECORD_TYPE' })
    expect(await scan(s, 'prod', 'INV-000001')).toMatchObject({ outcome: 'error', code: 'WRONG_RECORD_TYPE' })
    expect(await scan(s, 'prod', 'PO-987654')).toMatchObject({ outcome: 'error', code: 'RECORD_NOT_FOUND' })
    expect(await scan(s, 'prod', '!!!')).toMatchObject({ outcome: 'error', code: 'BARCODE_INVALID' })

    const final = await makeOrder(s, 7, a.clientId)
    expect(await scan(s, 'prod', final.barcode)).toMatchObject({ outcome: 'error', code: 'FINAL_STATUS', status: { key: 'picked-up', name: 'Picked Up' } })

    const held = await makeOrder(s, 1, a.clientId)
    await s.api(`/api/production-orders/${held.id}/advance`, { method: 'POST', json: { to: 'on-hold' } })
    expect(await scan(s, 'prod', held.barcode)).toMatchObject({ outcome: 'error', code: 'ORDER_ON_HOLD', status: { key: 'on-hold' } })

    const cancelled = await makeOrder(s, 1, a.clientId)
    await s.api(`/api/production-orders/${cancelled.id}/advance`, { method: 'POST', json: { to: 'cancelled' } })
    expect(await scan(s, 'prod', cancelled.barcode)).toMatchObject({ outcome: 'error', code: 'ORDER_CANCELLED', status: { key: 'cancelled', name: 'Cancelled' } })

    // A target status: skips steps (flagged), already there (warning), duplicate in batch, backwards (refused).
    expect((await s.api('/api/stations/prod', { method: 'PATCH', json: { advanceTo: 'sent-to-lab' } })).status).toBe(200)
    const b = await makeOrder(s, 0, a.clientId)
    expect(await scan(s, 'prod', b.barcode)).toMatchObject({ outcome: 'advanced', from: 'entered', to: 'sent-to-lab', flags: ['skips-steps'] })
    const c = await makeOrder(s, 3, a.clientId)
    expect(await scan(s, 'prod', c.barcode)).toMatchObject({ outcome: 'warning', code: 'ALREADY_AT_STATUS', status: { key: 'sent-to-lab' } })
    const late = await makeOrder(s, 5, a.clientId)
    expect(await scan(s, 'prod', late.barcode)).toMatchObject({ outcome: 'error', code: 'BACKWARD_MOVE', status: { key: 'finishing' } })

    // An order type whose track lacks the target.
    const albumOrder = await json<{ id: number; barcode: string }>(
      await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Album Co', orderType: 'album', productionOrderNumber: 'auto', clientId: a.clientId } }),
    )
    expect(await scan(s, 'prod', albumOrder.barcode)).toMatchObject({ outcome: 'error', code: 'STATUS_NOT_IN_TRACK', status: { key: 'entered' } })

    // Duplicate within the batch (outside the debounce window): re-scan b after a fresh window.
    const d = await makeOrder(s, 0, a.clientId)
    await s.api('/api/stations/prod', { method: 'PATCH', json: { advanceTo: null } })
    expect(await scan(s, 'prod', d.barcode)).toMatchObject({ outcome: 'advanced', to: 'retouching' })
    await new Promise((r) => setTimeout(r, 1600))
    expect(await scan(s, 'prod', d.barcode)).toMatchObject({ outcome: 'warning', code: 'DUPLICATE_SCAN', status: { key: 'retouching' } })
    // A new batch (mode changed) lets the same order move on.
    await s.api('/api/stations/prod', { method: 'PATCH', json: { mode: 'advance' } })
    expect(await scan(s, 'prod', d.barcode)).toMatchObject({ outcome: 'advanced', from: 'retouching', to: 'ready-to-send' })

    // Every scan is in the log, newest first.
    const log = await json<{ items: Array<{ scanId: number; outcome: string; code?: string }> }>(await s.api('/api/stations/prod/scans?limit=100'))
    const codes = new Set(log.items.map((x) => x.code ?? x.outcome))
    for (const code of ['advanced', 'DUPLICATE_SCAN', 'WRONG_RECORD_TYPE', 'RECORD_NOT_FOUND', 'BARCODE_INVALID', 'FINAL_STATUS', 'ORDER_ON_HOLD', 'ORDER_CANCELLED', 'ALREADY_AT_STATUS', 'STATUS_NOT_IN_TRACK', 'BACKWARD_MOVE']) expect(codes).toContain(code)
    expect(log.items[0].scanId).toBeGreaterThan(log.items[1].scanId)
    expect((await s.api('/api/stations/prod/scans?limit=0')).status).toBe(400)
  })

  it('when the body is malformed or the station unknown, then 400 and 404', async () => {
    expect(await json(await s.api('/api/stations/prod/scans', { method: 'POST', json: { barcode: 'PO-1' } }))).toMatchObject({ status: 400 })
    expect(await json(await s.api('/api/stations/prod/scans', { method: 'POST', json: { data: 12 } }))).toMatchObject({ status: 400 })
    expect((await s.api('/api/stations/prod/scans', { method: 'POST', body: 'PO-1' })).status).toBe(400)
    expect(await json(await s.api('/api/stations/ghost/scans', { method: 'POST', json: { data: 'PO-1' } }))).toMatchObject({ status: 404, code: 'STATION_NOT_FOUND' })
  })

  it('when a station token scans, then only at its own station; a client token may scan anywhere', async () => {
    const station = await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'station', station: 'desk' } }))
    const client = await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'client' } }))
    await s.api('/api/stations/desk/close', { method: 'POST' })
    expect(await scan(s, 'desk', 'C-424242', station.token)).toMatchObject({ code: 'RECORD_NOT_FOUND' })
    expect(await json(await s.api('/api/stations/prod/scans', { method: 'POST', json: { data: 'PO-1' }, token: station.token }))).toMatchObject({ status: 403, code: 'FORBIDDEN' })
    expect((await s.api('/api/stations/prod/events', { token: station.token })).status).toBe(403)
    expect((await s.api('/api/stations/prod/undo', { method: 'POST', token: station.token })).status).toBe(403)
    expect((await s.api('/api/stations/prod', { method: 'PATCH', json: { mode: 'lookup' }, token: station.token })).status).toBe(403)
    expect((await s.api('/api/stations', { method: 'POST', json: { name: 'mine', mode: 'lookup' }, token: station.token })).status).toBe(403)
    expect(await scan(s, 'prod', 'PO-424242', client.token)).toMatchObject({ code: 'RECORD_NOT_FOUND' })
    expect((await s.api('/api/scanners', { method: 'POST', json: { name: 'c', station: 'desk', uri: 'sim:c' }, token: client.token })).status).toBe(403)
  })

  it('when a station advances an order, then undo puts it back once, and refuses when the order moved since', async () => {
    await s.api('/api/stations', { method: 'POST', json: { name: 'undo-st', mode: 'advance' } })
    expect(await json(await s.api('/api/stations/undo-st/undo', { method: 'POST' }))).toMatchObject({ status: 409, code: 'NOTHING_TO_UNDO' })
    const o = await makeOrder(s, 1)
    expect(await scan(s, 'undo-st', o.barcode)).toMatchObject({ outcome: 'advanced', from: 'retouching', to: 'ready-to-send' })
    const undone = await json(await s.api('/api/stations/undo-st/undo', { method: 'POST' }))
    expect(undone).toMatchObject({ outcome: 'undone', from: 'ready-to-send', to: 'retouching', status: { key: 'retouching' } })
    expect(await json(await s.api(`/api/production-orders/${o.id}`))).toMatchObject({ status: 'retouching' })
    expect(await json(await s.api('/api/stations/undo-st/undo', { method: 'POST' }))).toMatchObject({ status: 409, code: 'NOTHING_TO_UNDO' })

    const p = await makeOrder(s, 1, o.clientId)
    await scan(s, 'undo-st', p.barcode)
    await s.api(`/api/production-orders/${p.id}/advance`, { method: 'POST', json: {} }) // someone moved it on
    expect(await json(await s.api('/api/stations/undo-st/undo', { method: 'POST' }))).toMatchObject({ status: 409, code: 'UNDO_REFUSED' })
    expect(await json(await s.api(`/api/production-orders/${p.id}`))).toMatchObject({ status: 'sent-to-lab' })
  })

  it('when mode cards are listed and scanned, then the station switches mode and target', async () => {
    await s.api('/api/stations', { method: 'POST', json: { name: 'cards', mode: 'lookup' } })
    const list = await json<{ cards: Array<{ payload: string; label: string }> }>(await s.api('/api/stations/cards/mode-cards'))
    const payloads = list.cards.map((c) => c.payload)
    expect(payloads).toEqual(expect.arrayContaining(['MODE-LOOKUP', 'MODE-ADVANCE', 'TO-SENT-TO-LAB', 'TO-PICKED-UP', 'STATION-CLOSE', 'STATION-UNDO']))
    for (const p of payloads) expect(p).toMatch(/^[A-Z0-9-]+$/)
    expect(await scan(s, 'cards', 'TO-SENT-TO-LAB')).toMatchObject({ outcome: 'mode-changed', mode: 'advance', advanceTo: 'sent-to-lab' })
    const o = await makeOrder(s, 0)
    expect(await scan(s, 'cards', o.barcode)).toMatchObject({ outcome: 'advanced', to: 'sent-to-lab' })
    expect(await scan(s, 'cards', 'STATION-UNDO')).toMatchObject({ outcome: 'undone', to: 'entered' })
    expect(await scan(s, 'cards', 'STATION-UNDO')).toMatchObject({ outcome: 'warning', code: 'DUPLICATE_SCAN' })
    expect(await scan(s, 'cards', 'MODE-ADVANCE')).toMatchObject({ outcome: 'mode-changed', mode: 'advance', advanceTo: null })
    expect(await scan(s, 'cards', o.barcode)).toMatchObject({ outcome: 'advanced', to: 'retouching' })
    expect(await scan(s, 'cards', 'TO-NOWHERE')).toMatchObject({ outcome: 'error', code: 'STATUS_NOT_IN_TRACK' })
    expect(await scan(s, 'cards', 'mode-lookup')).toMatchObject({ outcome: 'mode-changed', mode: 'lookup' })
    expect(await scan(s, 'cards', o.barcode)).toMatchObject({ outcome: 'opened' })
    expect(await scan(s, 'cards', 'STATION-CLOSE')).toMatchObject({ outcome: 'closed' })
    expect(await json(await s.api('/api/stations/cards'))).toMatchObject({ mode: 'lookup', openRecord: null })
  })

  it('when results stream over SSE, then each carries its scan id, and Last-Event-ID replays what was missed', async () => {
    await s.api('/api/stations', { method: 'POST', json: { name: 'live', mode: 'advance' } })
    const sse = await SseClient.open(s, '/api/stations/live/events')
    expect(sse.status).toBe(200)
    expect(sse.contentType).toContain('text/event-stream')
    const o1 = await makeOrder(s, 0)
    const r1 = await scan(s, 'live', o1.barcode)
    const e1 = await sse.next()
    expect(e1.id).toBe(String(r1.scanId))
    expect(JSON.parse(e1.data)).toEqual(r1)
    await sse.close()

    // Missed while disconnected.
    const o2 = await makeOrder(s, 0, o1.clientId)
    const r2 = await scan(s, 'live', o2.barcode)
    const r3 = await scan(s, 'live', 'C-1')
    const resumed = await SseClient.open(s, '/api/stations/live/events', { lastEventId: String(r1.scanId) })
    const first = await resumed.next()
    const second = await resumed.next((e) => e.event === 'message' && e.id === String(r3.scanId))
    expect(first.id).toBe(String(r2.scanId))
    expect(JSON.parse(second.data)).toMatchObject({ code: 'WRONG_RECORD_TYPE' })
    const r4 = await scan(s, 'live', o1.barcode)
    await resumed.next((e) => e.id === String(r4.scanId))
    expect(resumed.results<{ scanId: number }>().map((r) => r.scanId)).toEqual([r2.scanId, r3.scanId, r4.scanId])
    await resumed.close()
    expect((await s.api('/api/stations/live/events', { headers: { 'last-event-id': 'abc' } })).status).toBe(400)
    expect((await s.api('/api/stations/ghost/events')).status).toBe(404)
  })
})
