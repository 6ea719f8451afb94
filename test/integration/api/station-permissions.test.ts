import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { SseClient } from '../scanning/helpers.ts'

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

/** Personal data a station screen never shows: none of it may reach a station token. */
const PRIVATE = ['4 Elm Street', '04101', '(207) 555-0199', 'zoe@example.com', 'Allergic to flash', 'Paid in cash at the door', 'Rush: wedding on Friday', 'Ελένη']

describe.each(DB_KINDS)('what station and client tokens may do, on %s', (kind) => {
  let s: TestServer
  let station: string
  let client: string
  let barcodes: string[]
  beforeAll(async () => {
    s = await startTestServer(kind)
    const c = await json<{ id: number; barcode: string }>(
      await s.api('/api/clients', {
        method: 'POST',
        json: {
          lastName: 'Papadopoulou',
          firstName: 'Zoë',
          organization: 'Lincoln High',
          addresses: [{ label: 'home', lines: ['4 Elm Street'], city: 'Portland', region: 'ME', postalCode: '04101', country: 'USA' }],
          phones: [{ label: 'mobile', number: '(207) 555-0199' }],
          email: 'zoe@example.com',
          familyMembers: ['Ελένη'],
          notes: 'Allergic to flash',
        },
      }),
    )
    const session = await json<{ id: number; barcode: string }>(await s.api('/api/sessions', { method: 'POST', json: { clientId: c.id, sessionType: 'Senior', startsAt: '2026-12-01T15:00:00Z', endsAt: '2026-12-01T16:00:00Z', photographer: 'Rosa', notes: 'Allergic to flash' } }))
    const invoice = await json<{ id: number; barcode: string }>(
      await s.api('/api/invoices', { method: 'POST', json: { invoiceType: 'initial-order', clientId: c.id, sessionId: session.id, lines: [{ item: '8x10', quantity: 3, unitPrice: 2500 }], payments: [{ date: '2026-11-20', method: 'Paid in cash at the door', amount: 5000 }], terms: 'Rush: wedding on Friday' } }),
    )
    const order = await json<{ id: number }>(await s.api('/api/production-orders', { method: 'POST', json: { clientId: c.id, vendor: 'Lab', orderType: 'prints', studioNotes: 'Rush: wedding on Friday', vendorNotes: 'Allergic to flash' } }))
    const numbered = await json<{ barcode: string }>(await s.api(`/api/production-orders/${order.id}`, { method: 'PATCH', json: { productionOrderNumber: 'auto' } }))
    barcodes = [c.barcode, session.barcode, invoice.barcode, numbered.barcode]
    expect((await s.api('/api/stations', { method: 'POST', json: { name: 'desk', mode: 'lookup' } })).status).toBe(201)
    station = (await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'station', station: 'desk' } }))).token
    client = (await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'client' } }))).token
  })
  afterAll(async () => {
    await s?.close()
  })

  it('when a station token looks a barcode up, then it reads the summary its screen shows, never addresses, phones, email, notes, lines or payments', async () => {
    const seen = new Map<string, string[]>()
    for (const barcode of barcodes) {
      const res = await s.api(`/api/lookup?barcode=${barcode}`, { token: station })
      expect(res.status).toBe(200)
      const text = await res.text()
      for (const secret of PRIVATE) expect(text).not.toContain(secret)
      const body = JSON.parse(text) as { type: string; record: Record<string, unknown> }
      seen.set(body.type, Object.keys(body.record).sort())
    }
    expect(Object.fromEntries(seen)).toEqual({
      client: ['barcode', 'firstName', 'id', 'lastName', 'number', 'organization', 'status'],
      session: ['barcode', 'clientId', 'endsAt', 'id', 'location', 'number', 'photographer', 'sessionType', 'startsAt', 'status'],
      invoice: ['barcode', 'clientId', 'id', 'invoiceDate', 'invoiceType', 'number', 'totals'],
      'production-order': ['barcode', 'id', 'number', 'orderType', 'productionOrderNumber', 'status', 'statusDueDate', 'vendor'],
    })
    // A client token (the front desk) still reads the whole record.
    expect(await (await s.api(`/api/lookup?barcode=${barcodes[0]}`, { token: client })).text()).toContain('Allergic to flash')
  })

  it('when a station token scans records at its station, then the scan answer, the scan list and the live stream carry the summary only; an admin still sees whole records', async () => {
    expect((await s.api('/api/stations', { method: 'POST', json: { name: 'kiosk', mode: 'lookup' } })).status).toBe(201)
    const kiosk = (await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'station', station: 'kiosk' } }))).token
    const stream = await SseClient.open(s, '/api/stations/kiosk/events', { token: kiosk })
    const adminStream = await SseClient.open(s, '/api/stations/kiosk/events')
    expect(stream.status).toBe(200)
    await s.api('/api/stations/kiosk/close', { method: 'POST' })
    for (const barcode of barcodes) {
      const res = await s.api('/api/stations/kiosk/scans', { method: 'POST', token: kiosk, json: { data: barcode } })
      const text = await res.text()
      expect(JSON.parse(text)).toMatchObject({ outcome: 'opened' })
      for (const secret of PRIVATE) expect(text).not.toContain(secret)
    }
    const listed = await (await s.api('/api/stations/kiosk/scans?limit=10', { token: kiosk })).text()
    expect((JSON.parse(listed) as { items: unknown[] }).items).toHaveLength(4)
    for (const secret of PRIVATE) expect(listed).not.toContain(secret)
    // Four scans reach each stream; the station's own stream has no personal data in any frame.
    await expect.poll(() => stream.results().length).toBe(4)
    await expect.poll(() => adminStream.results().length).toBe(4)
    const frames = stream.events.map((e) => e.data).join('\n')
    for (const secret of PRIVATE) expect(frames).not.toContain(secret)
    expect(stream.results<{ record: { barcode: string } }>().map((r) => r.record.barcode)).toEqual(barcodes)
    expect(adminStream.events.map((e) => e.data).join('\n')).toContain('Allergic to flash')
    expect(await (await s.api('/api/stations/kiosk/scans?limit=10')).text()).toContain('Allergic to flash')
    await stream.close()
    await adminStream.close()
    await s.api('/api/stations/kiosk/close', { method: 'POST' })
  })

  it('when a client token posts a mode card as a scan, then 403 MODE_CARD_FORBIDDEN and the station keeps its mode', async () => {
    for (const data of ['MODE-ADVANCE', 'mode-advance', ']C0MODE-ADVANCE', 'TO-SENT-TO-LAB', ' MODE-LOOKUP ']) {
      const res = await s.api('/api/stations/desk/scans', { method: 'POST', token: client, json: { data } })
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      expect(await json(res)).toMatchObject({ status: 403, code: 'MODE_CARD_FORBIDDEN' })
    }
    expect(await json(await s.api('/api/stations/desk', { method: 'PATCH', token: client, json: { mode: 'advance' } }))).toMatchObject({ status: 403 })
    expect(await json(await s.api('/api/stations/desk'))).toMatchObject({ mode: 'lookup', advanceTo: null })
    const log = await json<{ items: unknown[] }>(await s.api('/api/stations/desk/scans'))
    expect(log.items).toHaveLength(0)
    // The station's own token (which may PATCH it) and an admin may.
    expect(await json(await s.api('/api/stations/desk/scans', { method: 'POST', token: station, json: { data: 'MODE-ADVANCE' } }))).toMatchObject({ outcome: 'mode-changed' })
    expect(await json(await s.api('/api/stations/desk/scans', { method: 'POST', json: { data: 'MODE-LOOKUP' } }))).toMatchObject({ outcome: 'mode-changed' })
    expect(await json(await s.api('/api/stations/desk'))).toMatchObject({ mode: 'lookup' })
  })
})
