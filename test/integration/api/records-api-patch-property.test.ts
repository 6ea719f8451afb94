/**
 * Property: for random records and random sets of fields, a PATCH changes the fields it names
 * (to what was sent) and leaves every other field byte-identical; a PATCH that is refused
 * changes nothing at all. Derived values (invoice totals, the order's barcode) follow the merged
 * record. Over HTTP, on SQLite and MariaDB.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { invoiceTotals, INVOICE_TYPES, type Invoice } from '../../../src/domain/records.ts'

type Json = Record<string, unknown>

const RUNS = 30
const MISSING_ID = 99_999_999

// ------------------------------------------------------------------ values the API accepts as they are
/** Text that survives trimming unchanged: any graphemes, and strings that look like JSON, SQL or LIKE patterns. */
const text = (maxLength = 12) =>
  fc.oneof(
    fc
      .string({ unit: 'grapheme', minLength: 1, maxLength })
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    fc.constantFrom(...['notes', '"lastName":"x"', '{"a":[1]}', "O'Brien; DROP TABLE x", '100% _done_ !', '\\u0000', 'Zoë Öztürk', '😀 smile'].filter((t) => t.length <= maxLength)),
  )
const maybeText = (maxLength?: number) => fc.option(text(maxLength), { nil: null })
const words = (max: number) => fc.array(text(), { maxLength: max })
const cents = fc.integer({ min: -100_000_000, max: 100_000_000 })
const email = fc.tuple(fc.stringMatching(/^[a-z0-9]{1,10}$/), fc.stringMatching(/^[a-z]{1,10}$/)).map(([user, host]) => `${user}@${host}.example`)
const instantMs = fc.integer({ min: Date.parse('2000-01-01T00:00:00Z'), max: Date.parse('2099-12-31T00:00:00Z') })
/** An ISO instant written with a random offset (the server keeps it as UTC). */
const instant = fc.tuple(instantMs, fc.integer({ min: -12 * 4, max: 14 * 4 })).map(([ms, quarterHours]) => {
  const minutes = quarterHours * 15
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 23)
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
})
const utc = (iso: string) => new Date(iso).toISOString()
const isoDate = instantMs.map((ms) => new Date(ms).toISOString().slice(0, 10))

const address = fc.record({ label: text(), lines: words(3), city: text(), region: text(), postalCode: text(10), country: text() })
const phone = fc.record({ label: text(), number: text() })

const clientFields = {
  lastName: text(),
  firstName: text(),
  salutation: maybeText(),
  organization: maybeText(),
  addresses: fc.array(address, { maxLength: 2 }),
  phones: fc.array(phone, { maxLength: 2 }),
  email: fc.option(email, { nil: null }),
  status: text(),
  familyMembers: words(3),
  leadSource: maybeText(),
  notes: maybeText(40),
}

const invoiceLine = fc.record({ item: text(), imageNumber: maybeText(), quantity: fc.integer({ min: -10_000, max: 10_000 }), unitPrice: cents })
const payment = fc.record({ date: isoDate, method: text(), amount: cents })
const orderLine = fc.record({ item: text(), imageNumber: maybeText(), quantity: fc.integer({ min: 1, max: 100_000 }), unitPrice: cents, description: maybeText() })

/** A random subset of the fields (possibly none: that PATCH must be refused). */
const subsetOf = <T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) => fc.record(fields, { requiredKeys: [] }) as fc.Arbitrary<Json>

// ------------------------------------------------------------------ checking one PATCH
interface Expectation {
  /** The status the PATCH must get. */
  status: number
  /** Each named field as it must read afterwards (normalised as the server stores it). */
  named: Json
}

function checkPatched(before: Json, after: Json, patch: Json, expected: Expectation, derived: string[]): void {
  for (const [field, value] of Object.entries(expected.named)) expect(after[field], field).toEqual(value)
  for (const field of Object.keys(before)) {
    if (field in patch || field === 'updatedAt' || derived.includes(field)) continue
    expect(JSON.stringify(after[field]), `${field} must be byte-identical`).toBe(JSON.stringify(before[field]))
  }
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort())
}

describe.each(DB_KINDS)('PATCH property on %s', (kind) => {
  let s: TestServer
  const clientIds: number[] = []
  const sessionIds: number[] = []
  const invoiceIds: number[] = []

  beforeAll(async () => {
    s = await startTestServer(kind)
    for (let i = 0; i < 3; i++) {
      const client = (await (await s.api('/api/clients', { method: 'POST', json: { lastName: `Ref${i}` } })).json()) as { id: number }
      clientIds.push(client.id)
      const session = { clientId: client.id, sessionType: 'Portrait', startsAt: '2026-12-01T15:00:00Z', endsAt: '2026-12-01T16:00:00Z', photographer: 'Rosa' }
      sessionIds.push(((await (await s.api('/api/sessions', { method: 'POST', json: session })).json()) as { id: number }).id)
      invoiceIds.push(((await (await s.api('/api/invoices', { method: 'POST', json: { invoiceType: 'generic', clientId: client.id } })).json()) as { id: number }).id)
    }
  })
  afterAll(async () => {
    await s?.close()
  })

  const ref = (ids: number[]) => fc.oneof({ arbitrary: fc.constantFrom(...ids), weight: 5 }, { arbitrary: fc.constant(MISSING_ID), weight: 1 })

  /** Creates a record, PATCHes it, and checks the property. */
  async function roundTrip(path: string, create: Json, patch: Json, expect_: (before: Json) => Expectation, derived: string[] = []): Promise<{ status: number; after: Json }> {
    const created = await s.api(path, { method: 'POST', json: create })
    expect(created.status, JSON.stringify(await created.clone().json())).toBe(201)
    const id = ((await created.json()) as { id: number }).id
    const before = (await (await s.api(`${path}/${id}`)).json()) as Json
    const expected = expect_(before)
    const res = await s.api(`${path}/${id}`, { method: 'PATCH', json: patch })
    const body = (await res.json()) as Json
    expect(res.status, JSON.stringify(body)).toBe(expected.status)
    const after = (await (await s.api(`${path}/${id}`)).json()) as Json
    if (expected.status !== 200) {
      expect(after, 'a refused PATCH changes nothing').toEqual(before)
      return { status: res.status, after }
    }
    expect(body).toEqual(after)
    checkPatched(before, after, patch, expected, derived)
    return { status: res.status, after }
  }

  it('when random fields of a random client are patched, then exactly those change', async () => {
    await fc.assert(
      fc.asyncProperty(fc.record(clientFields), subsetOf(clientFields), async (create, patch) => {
        await roundTrip('/api/clients', create, patch, () => ({ status: Object.keys(patch).length === 0 ? 400 : 200, named: patch }))
      }),
      { numRuns: RUNS },
    )
  })

  it('when random fields of a random session are patched, then exactly those change', async () => {
    const sessionFields = {
      clientId: ref(clientIds),
      sessionType: text(),
      startsAt: instant,
      endsAt: instant,
      location: text(),
      photographer: text(),
      assistant: maybeText(),
      bookedBy: maybeText(),
      status: text(),
      confirmedBy: maybeText(),
      confirmedAt: fc.option(instant, { nil: null }),
      notes: maybeText(40),
      fee: cents,
      deposit: cents,
    }
    const createSession = fc
      .record({ ...sessionFields, clientId: fc.constantFrom(...clientIds), minutes: fc.integer({ min: 0, max: 600 }) })
      .map(({ minutes, ...rest }) => ({ ...rest, endsAt: new Date(Date.parse(rest.startsAt) + minutes * 60_000).toISOString() }))
    await fc.assert(
      fc.asyncProperty(createSession, subsetOf(sessionFields), async (create, patch) => {
        await roundTrip('/api/sessions', create, patch, (before) => {
          const named: Json = { ...patch }
          for (const field of ['startsAt', 'endsAt', 'confirmedAt']) if (typeof patch[field] === 'string') named[field] = utc(patch[field] as string)
          const startsAt = (named.startsAt ?? before.startsAt) as string
          const endsAt = (named.endsAt ?? before.endsAt) as string
          const status = Object.keys(patch).length === 0 || Date.parse(endsAt) < Date.parse(startsAt) ? 400 : patch.clientId === MISSING_ID ? 422 : 200
          return { status, named }
        })
      }),
      { numRuns: RUNS },
    )
  })

  it('when random fields of a random invoice are patched, then exactly those change and the totals follow', async () => {
    const invoiceFields = {
      invoiceType: fc.constantFrom(...INVOICE_TYPES),
      sessionId: fc.option(ref(sessionIds), { nil: null }),
      clientId: ref(clientIds),
      billToClientId: ref(clientIds),
      invoiceDate: isoDate,
      lines: fc.array(invoiceLine, { maxLength: 3 }),
      discount: cents,
      tax: cents,
      shipping: cents,
      payments: fc.array(payment, { maxLength: 3 }),
      terms: maybeText(40),
    }
    const createInvoice = fc.record({ ...invoiceFields, sessionId: fc.option(fc.constantFrom(...sessionIds), { nil: null }), clientId: fc.constantFrom(...clientIds), billToClientId: fc.constantFrom(...clientIds) })
    await fc.assert(
      fc.asyncProperty(createInvoice, subsetOf(invoiceFields), async (create, patch) => {
        const { after } = await roundTrip(
          '/api/invoices',
          create,
          patch,
          (before) => {
            const refs = [patch.clientId, patch.billToClientId ?? before.billToClientId, patch.sessionId]
            const status = Object.keys(patch).length === 0 ? 400 : refs.includes(MISSING_ID) ? 422 : 200
            return { status, named: patch }
          },
          ['totals'],
        )
        expect(after.totals).toEqual(invoiceTotals(after as unknown as Invoice))
      }),
      { numRuns: RUNS },
    )
  })

  it('when random fields of a random production order are patched, then exactly those change', async () => {
    const orderFields = {
      clientId: fc.option(ref(clientIds), { nil: null }),
      sessionId: fc.option(ref(sessionIds), { nil: null }),
      invoiceIds: fc.array(ref(invoiceIds), { maxLength: 3 }),
      vendor: text(),
      vendorAddress: words(3),
      orderDate: isoDate,
      studioNotes: maybeText(40),
      vendorNotes: maybeText(40),
      lines: fc.array(orderLine, { maxLength: 3 }),
    }
    // An explicit number stands for a fresh one far above those 'auto' draws: runs (and shrinking) never reuse one.
    const explicitNumber = fc.constant('explicit' as const)
    let fresh = 1_000_000_000
    const numbered = (record: Json): Json =>
      record.productionOrderNumber === 'explicit' ? { ...record, productionOrderNumber: (fresh += 1) } : record
    const patchFields = { ...orderFields, productionOrderNumber: fc.oneof(fc.constant('auto' as const), explicitNumber) }
    const createOrder = fc.record({
      ...orderFields,
      clientId: fc.option(fc.constantFrom(...clientIds), { nil: null }),
      sessionId: fc.option(fc.constantFrom(...sessionIds), { nil: null }),
      invoiceIds: fc.array(fc.constantFrom(...invoiceIds), { maxLength: 3 }),
      productionOrderNumber: fc.option(explicitNumber, { nil: null }),
    })
    await fc.assert(
      fc.asyncProperty(createOrder, subsetOf(patchFields), async (createArb, patchArb) => {
        const create = numbered(createArb)
        const patch = numbered(patchArb)
        const { status, after } = await roundTrip(
          '/api/production-orders',
          create,
          patch,
          (before) => {
            const refs = [patch.clientId, patch.sessionId, ...((patch.invoiceIds as number[] | undefined) ?? [])]
            const wanted = patch.productionOrderNumber
            const renumbers = wanted !== undefined && before.productionOrderNumber !== null && wanted !== before.productionOrderNumber
            const status = Object.keys(patch).length === 0 ? 400 : refs.includes(MISSING_ID) ? 422 : renumbers ? 409 : 200
            const named = { ...patch }
            if (wanted === 'auto') delete named.productionOrderNumber
            return { status, named }
          },
          ['barcode'],
        )
        const number = after.productionOrderNumber as number | null
        if (status === 200 && patch.productionOrderNumber === 'auto') expect(number).toEqual(expect.any(Number))
        expect(after.barcode).toBe(number === null ? null : `PO-${String(number).padStart(6, '0')}`)
      }),
      { numRuns: RUNS },
    )
  })
})
