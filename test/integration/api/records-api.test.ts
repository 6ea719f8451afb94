import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'

const clientBody = { lastName: 'Okafor', firstName: 'Amara', phones: [{ label: 'mobile', number: '555-0188' }] }

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

describe.each(DB_KINDS)('records API on %s', (kind) => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer(kind)
  })
  afterAll(async () => {
    await s?.close()
  })

  it('when health is asked without a token, then it answers with the dialect', async () => {
    const res = await s.api('/api/health', { token: null })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'ok', database: kind === 'sqlite' ? 'sqlite' : 'mysql' })
  })

  it('when a client is created, then it gets a number, a barcode and can be read, listed and patched', async () => {
    const created = await s.api('/api/clients', { method: 'POST', json: clientBody })
    expect(created.status).toBe(201)
    const client = await json<{ id: number; number: number; barcode: string }>(created)
    expect(client.barcode).toBe(`C-${String(client.number).padStart(6, '0')}`)
    const got = await json(await s.api(`/api/clients/${client.id}`))
    expect(got).toMatchObject({ lastName: 'Okafor', firstName: 'Amara', phones: [{ label: 'mobile', number: '555-0188' }] })
    const patched = await s.api(`/api/clients/${client.id}`, { method: 'PATCH', json: { firstName: 'Ada', notes: 'VIP' } })
    expect(patched.status).toBe(200)
    expect(await patched.json()).toMatchObject({ firstName: 'Ada', lastName: 'Okafor', notes: 'VIP', number: client.number })
  })

  it('when records are listed with limit and after, then the pages cover every record once', async () => {
    for (let i = 0; i < 5; i++) await s.api('/api/clients', { method: 'POST', json: { lastName: `Page${i}` } })
    const seen: number[] = []
    let after = 0
    for (;;) {
      const page = await json<{ items: Array<{ id: number }>; nextAfter: number | null }>(await s.api(`/api/clients?limit=2&after=${after}`))
      expect(page.items.length).toBeLessThanOrEqual(2)
      seen.push(...page.items.map((c) => c.id))
      if (page.nextAfter === null) break
      after = page.nextAfter
    }
    expect(new Set(seen).size).toBe(seen.length)
    expect(seen.length).toBeGreaterThanOrEqual(6)
  })

  it('when bad input arrives, then it is a problem+json 400 with a stable code and nothing is written', async () => {
    const before = await json<{ items: unknown[] }>(await s.api('/api/clients?limit=500'))
    const cases: Array<[RequestInit & { json?: unknown }, string]> = [
      [{ method: 'POST', json: { lastName: 5 } }, 'VALIDATION_FAILED'],
      [{ method: 'POST', json: { lastName: 'X', shoeSize: 9 } }, 'VALIDATION_FAILED'],
      [{ method: 'POST', json: {} }, 'VALIDATION_FAILED'],
      [{ method: 'POST', body: '{"lastName": ', headers: { 'content-type': 'application/json' } }, 'MALFORMED_JSON'],
      [{ method: 'POST', body: JSON.stringify({ lastName: 'x'.repeat(1_100_000) }), headers: { 'content-type': 'application/json' } }, 'BODY_TOO_LARGE'],
      [{ method: 'POST', body: 'lastName=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 'BODY_REQUIRED'],
    ]
    for (const [init, code] of cases) {
      const res = await s.api('/api/clients', init)
      expect(res.status, code).toBe(400)
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      const problem = await json(res)
      expect(problem).toMatchObject({ status: 400, code })
      expect(typeof problem.title).toBe('string')
      expect(typeof problem.detail).toBe('string')
      expect(typeof problem.type).toBe('string')
    }
    const after = await json<{ items: unknown[] }>(await s.api('/api/clients?limit=500'))
    expect(after.items.length).toBe(before.items.length)
  })

  it('when an id or query is malformed, or a record is missing, then 400 / 404 with codes', async () => {
    expect(await json(await s.api('/api/clients/abc'))).toMatchObject({ status: 400, code: 'ID_INVALID' })
    expect(await json(await s.api('/api/clients?limit=0'))).toMatchObject({ status: 400, code: 'QUERY_INVALID' })
    expect(await json(await s.api('/api/clients/999999'))).toMatchObject({ status: 404, code: 'RECORD_NOT_FOUND' })
    expect(await json(await s.api('/api/nothing-here'))).toMatchObject({ status: 404, code: 'ROUTE_NOT_FOUND' })
    const patchMissing = await s.api('/api/clients/999999', { method: 'PATCH', json: { firstName: 'X' } })
    expect(patchMissing.status).toBe(404)
  })

  it('when a session, invoice and order are created, then references are checked and totals derived', async () => {
    const client = await json<{ id: number }>(await s.api('/api/clients', { method: 'POST', json: clientBody }))
    const badSession = await s.api('/api/sessions', { method: 'POST', json: { clientId: 999999, sessionType: 'Senior', startsAt: '2026-12-01T15:00:00Z', endsAt: '2026-12-01T16:00:00Z', photographer: 'Rosa' } })
    expect(await json(badSession)).toMatchObject({ status: 422, code: 'REFERENCE_NOT_FOUND' })
    const backwards = await s.api('/api/sessions', { method: 'POST', json: { clientId: client.id, sessionType: 'Senior', startsAt: '2026-12-01T15:00:00Z', endsAt: '2026-12-01T14:00:00Z', photographer: 'Rosa' } })
    expect(backwards.status).toBe(400)
    const sessionRes = await s.api('/api/sessions', { method: 'POST', json: { clientId: client.id, sessionType: 'Senior', startsAt: '2026-12-01T15:00:00Z', endsAt: '2026-12-01T16:00:00Z', photographer: 'Rosa Delgado', fee: 15000 } })
    expect(sessionRes.status).toBe(201)
    const session = await json<{ id: number; barcode: string; photographer: string }>(sessionRes)
    expect(session.barcode).toMatch(/^S-\d{6}$/)
    expect(session.photographer).toBe('Rosa Delgado')

    const invoiceRes = await s.api('/api/invoices', {
      method: 'POST',
      json: { invoiceType: 'initial-order', clientId: client.id, sessionId: session.id, lines: [{ item: '8x10', quantity: 3, unitPrice: 2500 }], discount: 500, tax: 600, shipping: 1000, payments: [{ date: '2026-11-20', method: 'card', amount: 5000 }] },
    })
    expect(invoiceRes.status).toBe(201)
    const invoice = await json<{ id: number; number: number; barcode: string; totals: Record<string, number>; billToClientId: number }>(invoiceRes)
    expect(invoice.totals).toEqual({ subtotal: 7500, total: 8600, paid: 5000, balanceDue: 3600 })
    expect(invoice.billToClientId).toBe(client.id)
    const renumber = await s.api(`/api/invoices/${invoice.id}`, { method: 'PATCH', json: { number: 5 } })
    expect(renumber.status).toBe(400)

    const orderRes = await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Bay Photo', clientId: client.id, invoiceIds: [invoice.id], lines: [{ item: '8x10', quantity: 3 }] } })
    expect(orderRes.status).toBe(201)
    const order = await json<{ id: number; barcode: string | null; status: string; productionOrderNumber: number | null }>(orderRes)
    expect(order).toMatchObject({ barcode: null, status: 'entered', productionOrderNumber: null })

    const assigned = await json<{ barcode: string; productionOrderNumber: number }>(await s.api(`/api/production-orders/${order.id}`, { method: 'PATCH', json: { productionOrderNumber: 777001 } }))
    expect(assigned).toMatchObject({ productionOrderNumber: 777001, barcode: 'PO-777001' })
    const again = await s.api(`/api/production-orders/${order.id}`, { method: 'PATCH', json: { productionOrderNumber: 777002 } })
    expect(await json(again)).toMatchObject({ status: 409, code: 'PRODUCTION_ORDER_NUMBER_ALREADY_ASSIGNED' })
    const other = await json<{ id: number }>(await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Framer' } }))
    const taken = await s.api(`/api/production-orders/${other.id}`, { method: 'PATCH', json: { productionOrderNumber: 777001 } })
    expect(await json(taken)).toMatchObject({ status: 409, code: 'PRODUCTION_ORDER_NUMBER_TAKEN' })
    const auto = await json<{ productionOrderNumber: number }>(await s.api(`/api/production-orders/${other.id}`, { method: 'PATCH', json: { productionOrderNumber: 'auto' } }))
    expect(auto.productionOrderNumber).toBeGreaterThan(0)
  })

  it('when a barcode is looked up, then the record comes back; bad and unknown barcodes get their codes', async () => {
    const client = await json<{ id: number; barcode: string }>(await s.api('/api/clients', { method: 'POST', json: clientBody }))
    const found = await json<{ type: string; record: { id: number } }>(await s.api(`/api/lookup?barcode=${encodeURIComponent(']C0' + client.barcode.toLowerCase())}`))
    expect(found).toMatchObject({ type: 'client', record: { id: client.id } })
    expect(await json(await s.api('/api/lookup?barcode=C-999999'))).toMatchObject({ status: 404, code: 'RECORD_NOT_FOUND' })
    expect(await json(await s.api('/api/lookup?barcode=hello'))).toMatchObject({ status: 400, code: 'BARCODE_INVALID' })
    expect(await json(await s.api('/api/lookup'))).toMatchObject({ status: 400, code: 'BARCODE_INVALID' })
  })

  it('when the barcoding preferences are put, then they are read back; bad ones are refused', async () => {
    const initial = await json(await s.api('/api/preferences/barcoding'))
    expect(initial).toEqual({ clientPrintouts: true, sessionPrintouts: true, invoicePrintouts: true, productionOrders: true, symbology: 'code128' })
    const put = await s.api('/api/preferences/barcoding', { method: 'PUT', json: { clientPrintouts: false, sessionPrintouts: true, invoicePrintouts: true, productionOrders: true, symbology: 'code39' } })
    expect(await json(put)).toMatchObject({ clientPrintouts: false, symbology: 'code39' })
    const bad = await s.api('/api/preferences/barcoding', { method: 'PUT', json: { clientPrintouts: 'yes', sessionPrintouts: true, invoicePrintouts: true, productionOrders: true } })
    expect(bad.status).toBe(400)
    expect(await json(await s.api('/api/preferences/barcoding'))).toMatchObject({ clientPrintouts: false, symbology: 'code39' })
  })

  it('when the studio header is put, then it is read back; an omitted time zone is kept and a bad one refused', async () => {
    const studio = { name: 'Harbour Light Studio', addressLines: ['1 Pier Rd'], phone: '555-0100', email: null, paper: 'a4', photographerFees: true }
    expect(await json(await s.api('/api/preferences/studio', { method: 'PUT', json: { ...studio, timeZone: 'europe/berlin' } }))).toMatchObject({ name: 'Harbour Light Studio', paper: 'a4', timeZone: 'Europe/Berlin', hasLogo: false })
    expect(await json(await s.api('/api/preferences/studio', { method: 'PUT', json: { ...studio, name: 'Harbour Light' } }))).toMatchObject({ name: 'Harbour Light', timeZone: 'Europe/Berlin' })
    expect(await json(await s.api('/api/preferences/studio', { method: 'PUT', json: { ...studio, timeZone: 'Mars/Olympus' } }))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' })
    expect(await json(await s.api('/api/preferences/studio'))).toMatchObject({ name: 'Harbour Light', timeZone: 'Europe/Berlin' })
  })

  it('when clients are searched, then name, email and phone match in any case, and % or _ are literal', async () => {
    const a = await json<{ id: number }>(await s.api('/api/clients', { method: 'POST', json: { lastName: 'Zanzibar-Search', firstName: 'Quentin', email: 'quentin@zanzi.example', phones: [{ label: 'mobile', number: '555-7788' }] } }))
    const b = await json<{ id: number }>(await s.api('/api/clients', { method: 'POST', json: { lastName: 'Zanzibar-Search', firstName: 'Ruth', notes: '100% satisfied' } }))
    const ids = async (q: string) => (await json<{ items: Array<{ id: number }> }>(await s.api(`/api/clients?limit=500&q=${encodeURIComponent(q)}`))).items.map((c) => c.id).sort((x, y) => x - y)
    expect(await ids('zanzibar-search')).toEqual([a.id, b.id])
    expect(await ids('ZANZIBAR quentin')).toEqual([a.id])
    expect(await ids('QUENTIN@ZANZI')).toEqual([a.id])
    expect(await ids('555-7788')).toEqual([a.id])
    expect(await ids('5557788')).toEqual([a.id])
    expect(await ids('(555) 77.88')).toEqual([a.id])
    expect(await ids('100%')).toEqual([b.id])
    expect(await ids('zanzibar_search')).toEqual([])
    expect(await json(await s.api(`/api/clients?q=${'x'.repeat(201)}`))).toMatchObject({ status: 400, code: 'QUERY_INVALID' })
  })

  it("when sessions, invoices and orders are listed by clientId, then only that client's come back", async () => {
    const mine = await json<{ id: number }>(await s.api('/api/clients', { method: 'POST', json: { lastName: 'Filter' } }))
    const other = await json<{ id: number }>(await s.api('/api/clients', { method: 'POST', json: { lastName: 'Other' } }))
    const session = { sessionType: 'Portrait', startsAt: '2026-12-01T15:00:00Z', endsAt: '2026-12-01T16:00:00Z', photographer: 'Rosa' }
    await s.api('/api/sessions', { method: 'POST', json: { ...session, clientId: mine.id } })
    await s.api('/api/sessions', { method: 'POST', json: { ...session, clientId: other.id } })
    await s.api('/api/invoices', { method: 'POST', json: { invoiceType: 'generic', clientId: other.id, billToClientId: mine.id } })
    await s.api('/api/invoices', { method: 'POST', json: { invoiceType: 'generic', clientId: other.id } })
    await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Lab', clientId: mine.id } })
    const sessions = await json<{ items: Array<{ clientId: number }> }>(await s.api(`/api/sessions?limit=500&clientId=${mine.id}`))
    expect(sessions.items.map((x) => x.clientId)).toEqual([mine.id])
    const invoices = await json<{ items: Array<{ billToClientId: number }> }>(await s.api(`/api/invoices?limit=500&clientId=${mine.id}`))
    expect(invoices.items.map((x) => x.billToClientId)).toEqual([mine.id])
    const orders = await json<{ items: Array<{ clientId: number }> }>(await s.api(`/api/production-orders?limit=500&clientId=${mine.id}`))
    expect(orders.items.map((x) => x.clientId)).toEqual([mine.id])
    expect(await json(await s.api('/api/sessions?clientId=abc'))).toMatchObject({ status: 400, code: 'QUERY_INVALID' })
  })
})
