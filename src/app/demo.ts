import type { Stores } from './stores.ts'
import { DEFAULT_STUDIO } from '../domain/preferences.ts'
import { DEFAULT_TRACK, decideAdvance, dueDate } from '../domain/status-track.ts'

const SEEDED = 'demo.seeded'
const DEMO_ACTOR = { by: 'demo', station: null }
/** The demo studio is in Portland, Maine. */
export const DEMO_TIME_ZONE = 'America/New_York'

/** The wall-clock parts of an instant in a zone. */
function wallClock(ms: number, timeZone: string): { y: number; m: number; d: number; h: number; min: number } {
  const p: Record<string, string> = {}
  for (const part of new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', hourCycle: 'h23' }).formatToParts(ms)) p[part.type] = part.value
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), min: Number(p.minute) }
}

/**
 * The instant at which the studio's clock shows `hour`:00 on the day `dayOffset` days from `now`'s
 * date there (daylight saving time included).
 */
export function studioInstant(now: Date, dayOffset: number, hour: number, timeZone = DEMO_TIME_ZONE): Date {
  const today = wallClock(now.getTime(), timeZone)
  const wanted = Date.UTC(today.y, today.m - 1, today.d + dayOffset, hour, 0)
  let ms = wanted
  for (let i = 0; i < 3; i++) {
    const seen = wallClock(ms, timeZone)
    const diff = Date.UTC(seen.y, seen.m - 1, seen.d, seen.h, seen.min) - wanted
    if (diff === 0) break
    ms -= diff
  }
  return new Date(ms)
}

/** The studio's date `dayOffset` days from `now`, as YYYY-MM-DD. */
function studioDate(now: Date, dayOffset: number): string {
  const c = wallClock(studioInstant(now, dayOffset, 12).getTime(), DEMO_TIME_ZONE)
  return `${c.y}-${String(c.m).padStart(2, '0')}-${String(c.d).padStart(2, '0')}`
}

/** The demo studio's header, once: Portland, Maine keeps New York time and US dollars. */
async function seedDemoStudio(stores: Stores): Promise<void> {
  if ((await stores.settings.read('studio')) !== undefined) return
  await stores.settings.setStudio({ ...DEFAULT_STUDIO, timeZone: DEMO_TIME_ZONE, timeZoneSet: true, currency: 'USD' })
}

/**
 * Seeds a few clients, sessions, invoices and production orders in several statuses, once per
 * database. Returns counts when it seeded, null when the demo was already there.
 */
export async function seedDemo(stores: Stores): Promise<Record<string, number> | null> {
  await seedDemoStudio(stores)
  if (await stores.settings.read<boolean>(SEEDED)) return null
  await stores.settings.write(SEEDED, true)

  // Dates around the day of seeding, at the studio's own hours: a 10:00 AM session prints as 10:00 AM.
  const now = stores.clock()
  const day = (offset: number, hour: number) => studioInstant(now, offset, hour).toISOString()
  const date = (offset: number) => studioDate(now, offset)
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
    stores.sessions.create({ clientId: amara.id, sessionType: 'Family portrait', startsAt: day(-4, 10), endsAt: day(-4, 11), location: 'Studio', photographer: 'Rosa Delgado', assistant: 'Sam Lee', bookedBy: 'Front desk', status: 'completed', notes: 'Bring matching outfits.', fee: 15000, deposit: 5000 }),
    stores.sessions.create({ clientId: jurgen.id, sessionType: 'Senior', startsAt: day(3, 13), endsAt: day(3, 15), location: 'Fort Williams Park', photographer: 'Rosa Delgado', status: 'booked', fee: 25000, deposit: 10000 }),
    stores.sessions.create({ clientId: eleni.id, sessionType: 'Wedding', startsAt: day(-30, 11), endsAt: day(-30, 20), location: 'Ocean Gateway', photographer: 'Marcus Webb', assistant: 'Rosa Delgado', status: 'completed', fee: 320000, deposit: 100000 }),
  ])
  const invoices = await Promise.all([
    stores.invoices.create({ invoiceType: 'session-fee', clientId: amara.id, sessionId: sessions[0].id, invoiceDate: date(-11), lines: [{ item: 'Family session fee', quantity: 1, unitPrice: 15000 }], discount: 0, tax: 0, shipping: 0, payments: [{ date: date(-11), method: 'card', amount: 5000 }], terms: 'Balance due at the session.' }),
    stores.invoices.create({ invoiceType: 'initial-order', clientId: eleni.id, sessionId: sessions[2].id, invoiceDate: date(-26), lines: [{ item: 'Wedding album 12x12', imageNumber: 'A-12', quantity: 1, unitPrice: 180000 }, { item: '8x10 print', imageNumber: '0457', quantity: 4, unitPrice: 4500 }], discount: 10000, tax: 9450, shipping: 1500, payments: [{ date: date(-26), method: 'check', amount: 100000 }], terms: 'Net 30.' }),
  ])
  const orderInputs = [
    { vendor: 'Bay Photo Lab', productionOrderNumber: 'auto' as const, clientId: eleni.id, sessionId: sessions[2].id, invoiceIds: [invoices[1].id], studioNotes: 'Check skin tones on 0457.', vendorNotes: 'Lustre finish.', steps: 3, lines: [{ item: '8x10 print', quantity: 4, unitPrice: 4500, imageNumber: '0457', description: 'Lustre' }] },
    { vendor: 'In-house', productionOrderNumber: 'auto' as const, clientId: amara.id, sessionId: sessions[0].id, invoiceIds: [invoices[0].id], studioNotes: 'Retouch the proofs for the viewing.', vendorNotes: null, steps: 1, lines: [{ item: 'Proof retouching', quantity: 12, unitPrice: 0, imageNumber: null, description: 'Family portrait proofs' }] },
    { vendor: 'Miller’s Lab', productionOrderNumber: 'auto' as const, clientId: eleni.id, sessionId: sessions[2].id, invoiceIds: [invoices[1].id], studioNotes: 'Album proof approved.', vendorNotes: 'Ship 2-day.', steps: 6, lines: [{ item: 'Wedding album 12x12', quantity: 1, unitPrice: 180000, imageNumber: 'A-12', description: 'Classic cover' }] },
    { vendor: 'Frame Shop', productionOrderNumber: null, clientId: jurgen.id, sessionId: null, invoiceIds: [], studioNotes: 'Waiting on the number from the framer.', vendorNotes: null, steps: 0, lines: [{ item: 'Frame 11x14', quantity: 1, unitPrice: 0, imageNumber: null, description: 'School composite, walnut' }] },
  ]
  let orders = 0
  for (const o of orderInputs) {
    const order = await stores.orders.create(
      { vendor: o.vendor, vendorAddress: [], orderType: 'default', productionOrderNumber: o.productionOrderNumber, clientId: o.clientId, sessionId: o.sessionId, invoiceIds: o.invoiceIds, studioNotes: o.studioNotes, vendorNotes: o.vendorNotes, lines: o.lines },
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
