import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { fullClient } from './records-api-fixtures.ts'

type Json = Record<string, unknown>

async function json<T = Json>(res: Response): Promise<T> {
  return (await res.json()) as T
}

/** Every field of the record except the ones a PATCH may change on its own. */
function without(record: Json, ...keys: string[]): Json {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !keys.includes(k)))
}

describe.each(DB_KINDS)('PATCH changes exactly the fields it names, on %s', (kind) => {
  let s: TestServer
  let clientId: number
  let sessionId: number
  beforeAll(async () => {
    s = await startTestServer(kind)
    clientId = (await json<{ id: number }>(await s.api('/api/clients', { method: 'POST', json: fullClient }))).id
    sessionId = (
      await json<{ id: number }>(
        await s.api('/api/sessions', {
          method: 'POST',
          json: { clientId, sessionType: 'Senior', startsAt: '2026-12-01T15:00:00Z', endsAt: '2026-12-01T16:00:00Z', photographer: 'Rosa', location: 'Bug Light Park', fee: 15000, deposit: 5000 },
        }),
      )
    ).id
  })
  afterAll(async () => {
    await s?.close()
  })

  async function patch(path: string, body: unknown): Promise<{ status: number; body: Json }> {
    const res = await s.api(path, { method: 'PATCH', json: body })
    return { status: res.status, body: await json(res) }
  }

  it("when a client's email is patched, then name, phones, addresses and family are kept", async () => {
    const created = await json(await s.api('/api/clients', { method: 'POST', json: fullClient }))
    const res = await patch(`/api/clients/${created.id}`, { email: 'new@example.com' })
    expect(res.status).toBe(200)
    expect(res.body.email).toBe('new@example.com')
    const read = await json(await s.api(`/api/clients/${created.id}`))
    expect(without(read, 'email', 'updatedAt')).toEqual(without(created, 'email', 'updatedAt'))
    expect(read).toMatchObject({ firstName: 'Amara', status: 'prospect', familyMembers: ['Chidi Okafor'], phones: fullClient.phones, addresses: fullClient.addresses })
  })

  it("when a session's notes are patched, then location, fee and deposit are kept", async () => {
    const created = await json(await s.api(`/api/sessions/${sessionId}`))
    const res = await patch(`/api/sessions/${sessionId}`, { notes: 'bring the red chair' })
    expect(res.status).toBe(200)
    const read = await json(await s.api(`/api/sessions/${sessionId}`))
    expect(read).toMatchObject({ notes: 'bring the red chair', location: 'Bug Light Park', fee: 15000, deposit: 5000, status: 'booked' })
    expect(without(read, 'notes', 'updatedAt')).toEqual(without(created, 'notes', 'updatedAt'))
  })

  it("when an invoice's terms are patched, then its lines and payments are kept and the totals stay", async () => {
    const created = await json(
      await s.api('/api/invoices', {
        method: 'POST',
        json: { invoiceType: 'initial-order', clientId, sessionId, lines: [{ item: '8x10', quantity: 3, unitPrice: 2500 }], discount: 500, tax: 600, shipping: 1000, payments: [{ date: '2026-11-20', method: 'card', amount: 5000 }] },
      }),
    )
    const res = await patch(`/api/invoices/${created.id}`, { terms: 'Net 30' })
    expect(res.status).toBe(200)
    expect(res.body.totals).toEqual({ subtotal: 7500, total: 8600, paid: 5000, balanceDue: 3600 })
    const read = await json(await s.api(`/api/invoices/${created.id}`))
    expect(read.terms).toBe('Net 30')
    expect(without(read, 'terms', 'updatedAt')).toEqual(without(created, 'terms', 'updatedAt'))
  })

  it("when an invoice's payments are patched, then the balance is recomputed from the kept lines", async () => {
    const created = await json(
      await s.api('/api/invoices', { method: 'POST', json: { invoiceType: 'generic', clientId, lines: [{ item: 'Album', quantity: 1, unitPrice: 40000 }], tax: 3200 } }),
    )
    const res = await patch(`/api/invoices/${created.id}`, { payments: [{ date: '2026-11-21', method: 'cash', amount: 10000 }] })
    expect(res.status).toBe(200)
    expect(res.body.totals).toEqual({ subtotal: 40000, total: 43200, paid: 10000, balanceDue: 33200 })
    expect(res.body.lines).toEqual(created.lines)
  })

  it('when an order is given the next production order number ("auto"), then its lines, invoices and address are kept', async () => {
    const invoice = await json(await s.api('/api/invoices', { method: 'POST', json: { invoiceType: 'generic', clientId } }))
    const created = await json(
      await s.api('/api/production-orders', {
        method: 'POST',
        json: { vendor: 'Bay Photo', vendorAddress: ['920 Disc Dr', 'Scotts Valley CA'], clientId, sessionId, invoiceIds: [invoice.id], studioNotes: 'rush', lines: [{ item: '8x10', quantity: 3, unitPrice: 900, description: 'lustre' }] },
      }),
    )
    const res = await patch(`/api/production-orders/${created.id}`, { productionOrderNumber: 'auto' })
    expect(res.status).toBe(200)
    expect(res.body.productionOrderNumber).toEqual(expect.any(Number))
    const read = await json(await s.api(`/api/production-orders/${created.id}`))
    expect(read.lines).toEqual([{ item: '8x10', quantity: 3, unitPrice: 900, description: 'lustre', imageNumber: null }])
    expect(without(read, 'productionOrderNumber', 'barcode', 'updatedAt')).toEqual(without(created, 'productionOrderNumber', 'barcode', 'updatedAt'))
  })

  it('when a PATCH names no field, then 400 VALIDATION_FAILED and nothing changes', async () => {
    const invoice = await json(await s.api('/api/invoices', { method: 'POST', json: { invoiceType: 'generic', clientId, lines: [{ item: 'Print', quantity: 2, unitPrice: 1000 }] } }))
    const order = await json(await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Framer', lines: [{ item: 'Frame', quantity: 1 }] } }))
    const cases: Array<[string, Json]> = [
      [`/api/clients/${clientId}`, await json(await s.api(`/api/clients/${clientId}`))],
      [`/api/sessions/${sessionId}`, await json(await s.api(`/api/sessions/${sessionId}`))],
      [`/api/invoices/${invoice.id}`, invoice],
      [`/api/production-orders/${order.id}`, order],
    ]
    for (const [path, before] of cases) {
      const res = await patch(path, {})
      expect(res.status, path).toBe(400)
      expect(res.body.code, path).toBe('VALIDATION_FAILED')
      expect(await json(await s.api(path)), path).toEqual(before)
    }
  })

  it('when a PATCH names an unknown, read-only or mistyped field, then 400 VALIDATION_FAILED and nothing changes', async () => {
    const before = await json(await s.api(`/api/clients/${clientId}`))
    for (const body of [{ shoeSize: 9 }, { number: 5 }, { id: 7 }, { barcode: 'C-000009' }, { firstName: 5 }, { phones: 'none' }, { email: 'not-an-email' }, { lastName: '' }, { lastName: null }]) {
      const res = await patch(`/api/clients/${clientId}`, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.code).toBe('VALIDATION_FAILED')
    }
    const orderBefore = await json(await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Lab' } }))
    for (const body of [{ orderType: 'album' }, { status: 'shipped' }, { version: 9 }, { productionOrderNumber: null }, { lines: [{ item: 'x', quantity: 0 }] }]) {
      const res = await patch(`/api/production-orders/${orderBefore.id}`, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
    }
    expect(await json(await s.api(`/api/clients/${clientId}`))).toEqual(before)
    expect(await json(await s.api(`/api/production-orders/${orderBefore.id}`))).toEqual(orderBefore)
  })

  it('when a nullable field is patched to null, then it is cleared and nothing else changes', async () => {
    const created = await json(await s.api('/api/clients', { method: 'POST', json: fullClient }))
    const res = await patch(`/api/clients/${created.id}`, { organization: null, notes: null })
    expect(res.status).toBe(200)
    const read = await json(await s.api(`/api/clients/${created.id}`))
    expect(read).toMatchObject({ organization: null, notes: null })
    expect(without(read, 'organization', 'notes', 'updatedAt')).toEqual(without(created, 'organization', 'notes', 'updatedAt'))
  })

  it('when a confirmation time is patched with an offset, then it is stored as a UTC instant like on create', async () => {
    const res = await patch(`/api/sessions/${sessionId}`, { confirmedAt: '2026-11-30T09:15:00+02:00', confirmedBy: 'Amara' })
    expect(res.status).toBe(200)
    expect((await json(await s.api(`/api/sessions/${sessionId}`))).confirmedAt).toBe('2026-11-30T07:15:00.000Z')
  })

  it('when many PATCHes of different fields of one client race, on two servers where the database allows, then every one of them is kept', async () => {
    const second = kind === 'mariadb' ? await startTestServer(kind, { database: s.database }) : s
    try {
      const created = await json(await s.api('/api/clients', { method: 'POST', json: { lastName: 'Race' } }))
      const bodies: Json[] = [
        { firstName: 'Ada' },
        { salutation: 'Dr.' },
        { organization: 'Harbour School' },
        { email: 'race@example.com' },
        { status: 'inactive' },
        { leadSource: 'walk-in' },
        { notes: 'raced' },
        { familyMembers: ['Ben Race'] },
        { phones: [{ label: 'work', number: '555-0199' }] },
        { addresses: [{ label: 'work', lines: ['1 Pier Rd'], city: 'Bath', region: '', postalCode: '', country: '' }] },
      ]
      const results = await Promise.all(bodies.map((body, i) => (i % 2 === 0 ? s : second).api(`/api/clients/${created.id}`, { method: 'PATCH', json: body })))
      expect(results.map((r) => r.status)).toEqual(bodies.map(() => 200))
      const read = await json(await s.api(`/api/clients/${created.id}`))
      for (const body of bodies) expect(read).toMatchObject(body)
    } finally {
      if (second !== s) await second.close()
    }
  })
})
