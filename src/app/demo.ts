import type { Stores } from './stores.ts'
import { DEFAULT_TRACK, decideAdvance, dueDate } from '../domain/status-track.ts'

const SEEDED = 'demo.seeded'
const DEMO_ACTOR = { by: 'demo', station: null }

/**
 * Seeds a few clients, sessions, invoices and production orders in several statuses, once per
 * database. Returns counts when it seeded, null when the demo was already there.
 */
export async function seedDemo(stores: Stores): Promise<Record<string, number> | null> {
  if (await stores.settings.read<boolean>(SEEDED)) return null
  await stores.settings.write(SEEDED, true)

  const day = (offset: number, hour: number) => new Date(Date.UTC(2026, 10, 25 + offset, hour, 0)).toISOString()
  const clients = await Promise.all([
    stores.clients.create({
      lastName: 'Okafor', firstName: 'Amara', salutation: 'Ms.', organization: null,
      addresses: [{ label: 'home', lines: ['41 Elm Street'], city: 'Portland', region: 'ME', postalCode: '04101', country: 'US' }],
      phones: [{ label: 'mobile', number: '(207) 555-0188' }], email: 'amara@example.com', status: 'active',
      familyMembers: ['Chidi Okafor', 'Ada Okafor'], leadSource: 'Referral', notes: 'Prefers Saturday sessions.',
    }),
    stores.clients.create({
      lastName: 'Müller-Lüdenscheidt', firstName: 'Jürgen', salutation: 'Mr.', organization: 'Cape Elizabeth High School',
      addresses: [], phones: [{ label: 'work', number: '(207) 555-0111' }], email: null, status: 'active',
      familyMembers: [], leadSource: 'School contract', notes: null,
    }),
    stores.clients.create({
      lastName: 'Papadopoulou', firstName: 'Ελένη', salutation: null, organization: null, addresses: [],
      phones: [{ label: 'mobile', number: '+30 210 555 0199' }], email: 'eleni@example.gr', status: 'active',
      familyMembers: [], leadSource: 'Website', notes: 'Wedding album — "Classic" cover.',
    }),
  ])
  const [amara, jurgen, eleni] = clients
  const sessions = await Promise.all([
    stores.sessions.create({ clientId: amara.id, sessionType: 'Family portrait', startsAt: day(2, 15), endsAt: day(2, 16), location: 'Studio', photographer: 'Rosa Delgado', assistant: 'Sam Lee', bookedBy: 'Front desk', status: 'confirmed', notes: 'Bring matching outfits.', fee: 15000, deposit: 5000 }),
    stores.sessions.create({ clientId: jurgen.id, sessionType: 'Senior', startsAt: day(5, 13), endsAt: day(5, 15), location: 'Fort Williams Park', photographer: 'Rosa Delgado', status: 'booked', fee: 25000, deposit: 10000 }),
    stores.sessions.create({ clientId: eleni.id, sessionType: 'Wedding', startsAt: day(-30, 11), endsAt: day(-30, 20), location: 'Ocean Gateway', photographer: 'Marcus Webb', assistant: 'Rosa Delgado', status: 'completed', fee: 320000, deposit: 100000 }),
  ])
  const invoices = await Promise.all([
    stores.invoices.create({ invoiceType: 'session-fee', clientId: amara.id, sessionId: sessions[0].id, lines: [{ item: 'Family session fee', quantity: 1, unitPrice: 15000 }], discount: 0, tax: 0, shipping: 0, payments: [{ date: '2026-11-20', method: 'card', amount: 5000 }], terms: 'Balance due at the session.' }),
    stores.invoices.create({ invoiceType: 'initial-order', clientId: eleni.id, sessionId: sessions[2].id, lines: [{ item: 'Wedding album 12x12', imageNumber: 'A-12', quantity: 1, unitPrice: 180000 }, { item: '8x10 print', imageNumber: '0457', quantity: 4, unitPrice: 4500 }], discount: 10000, tax: 9450, shipping: 1500, payments: [{ date: '2026-10-30', method: 'check', amount: 100000 }], terms: 'Net 30.' }),
  ])
  const orderInputs = [
    { vendor: 'Bay Photo Lab', productionOrderNumber: 'auto' as const, clientId: eleni.id, sessionId: sessions[2].id, invoiceIds: [invoices[1].id], studioNotes: 'Check skin tones on 0457.', vendorNotes: 'Lustre finish.', steps: 3 },
    { vendor: 'In-house', productionOrderNumber: 'auto' as const, clientId: amara.id, sessionId: sessions[0].id, invoiceIds: [invoices[0].id], studioNotes: null, vendorNotes: null, steps: 1 },
    { vendor: 'Miller’s Lab', productionOrderNumber: 'auto' as const, clientId: eleni.id, sessionId: sessions[2].id, invoiceIds: [invoices[1].id], studioNotes: 'Album proof approved.', vendorNotes: 'Ship 2-day.', steps: 6 },
    { vendor: 'Frame Shop', productionOrderNumber: null, clientId: jurgen.id, sessionId: sessions[1].id, invoiceIds: [], studioNotes: 'Waiting on the number from the framer.', vendorNotes: null, steps: 0 },
  ]
  let orders = 0
  for (const o of orderInputs) {
    const order = await stores.orders.create(
      { vendor: o.vendor, vendorAddress: [], orderType: 'default', productionOrderNumber: o.productionOrderNumber, clientId: o.clientId, sessionId: o.sessionId, invoiceIds: o.invoiceIds, studioNotes: o.studioNotes, vendorNotes: o.vendorNotes, lines: [{ item: '8x10 print', quantity: 4, unitPrice: 4500, imageNumber: '0457', description: null }] },
      DEFAULT_TRACK,
      DEMO_ACTOR,
    )
    let current = order
    for (let i = 0; i < o.steps; i++) {
      const decision = decideAdvance(DEFAULT_TRACK, current.status, undefined, 'person')
      await stores.orders.applyAdvance(current, decision.to.key, dueDate(stores.clock(), decision.durationDays), DEMO_ACTOR)
      current = await stores.orders.get(current.id)
    }
    orders++
  }
  return { clients: clients.length, sessions: sessions.length, invoices: invoices.length, productionOrders: orders }
}
