/** Small factories of valid records and subjects for template tests. */
import type { BarcodeSpec, DocumentName, DocumentSubject } from '../../../src/domain/documents.ts'
import { formatPayload } from '../../../src/domain/barcode-payload.ts'
import { DEFAULT_STUDIO, type StudioInfo, type Symbology } from '../../../src/domain/preferences.ts'
import type { Client, Invoice, ProductionOrder, Session } from '../../../src/domain/records.ts'
import { decodeMonoPng } from '../../../src/templates/epl/render-epl.ts'

const AT = '2025-03-14T15:30:00.000Z'

export function makeClient(over: Partial<Client> = {}): Client {
  return {
    id: 1,
    number: 123,
    lastName: 'Müller',
    firstName: 'Zoë',
    salutation: 'Ms.',
    organization: 'Lincoln High School',
    addresses: [{ label: 'home', lines: ['4 Elm Street'], city: 'Portland', region: 'ME', postalCode: '04101', country: 'USA' }],
    phones: [{ label: 'mobile', number: '(207) 555-0199' }],
    email: 'zoe@example.com',
    status: 'active',
    familyMembers: ['Ελένη Παπαδοπούλου', 'Дмитрий Иванов'],
    leadSource: 'referral',
    notes: 'Prefers morning sessions.',
    createdAt: AT,
    updatedAt: AT,
    ...over,
  }
}

export function makeSession(over: Partial<Session> = {}): Session {
  return {
    id: 7,
    number: 456,
    clientId: 1,
    sessionType: 'senior',
    startsAt: '2025-04-02T14:00:00.000Z',
    endsAt: '2025-04-02T15:30:00.000Z',
    location: 'Studio',
    photographer: 'Ana Núñez',
    assistant: 'Dmitri',
    bookedBy: 'front desk',
    status: 'booked',
    confirmedBy: null,
    confirmedAt: null,
    notes: 'Bring two outfits.',
    fee: 15000,
    deposit: 5000,
    createdAt: AT,
    updatedAt: AT,
    ...over,
  }
}

export function makeInvoice(over: Partial<Invoice> = {}): Invoice {
  return {
    id: 9,
    number: 789,
    invoiceType: 'initial-order',
    sessionId: 7,
    clientId: 1,
    billToClientId: 1,
    invoiceDate: '2025-04-10',
    lines: [
      { item: '8x10 print', imageNumber: '0012', quantity: 2, unitPrice: 2500 },
      { item: 'Wallet set', imageNumber: '0031', quantity: 1, unitPrice: 1800 },
    ],
    discount: 500,
    tax: 540,
    shipping: 0,
    payments: [{ date: '2025-04-10', method: 'card', amount: 3000 }],
    terms: 'Balance due on pickup.',
    createdAt: AT,
    updatedAt: AT,
    ...over,
  }
}

export function makeOrder(over: Partial<ProductionOrder> = {}): ProductionOrder {
  return {
    id: 3,
    number: 31,
    productionOrderNumber: 42,
    clientId: 1,
    sessionId: 7,
    invoiceIds: [9],
    vendor: 'Bay Photo Lab',
    vendorAddress: ['920 Disc Drive', 'Scotts Valley, CA 95066'],
    orderType: 'lab',
    orderDate: '2025-04-11',
    status: 'sent-to-lab',
    statusDueDate: '2025-04-18',
    studioNotes: 'Studio-only: client is picky about skin tones.',
    vendorNotes: 'Lustre finish, no crop.',
    lines: [
      { item: '8x10 print', imageNumber: '0012', quantity: 2, unitPrice: 2500, description: 'lustre' },
      { item: 'Wallet set', imageNumber: '0031', quantity: 1, unitPrice: 1834, description: null },
    ],
    version: 1,
    createdAt: AT,
    updatedAt: AT,
    ...over,
  }
}

export const STUDIO: StudioInfo = { ...DEFAULT_STUDIO }

/** A subject of each document, built from the factories. */
export function makeSubject(document: DocumentName, client: Client = makeClient()): DocumentSubject {
  const session = makeSession()
  const invoice = makeInvoice()
  switch (document) {
    case 'client-profile':
      return { document, client, sessions: [session], invoices: [invoice] }
    case 'client-label':
      return { document, client }
    case 'session-confirmation':
    case 'photographer-confirmation':
      return { document, session, client }
    case 'invoice':
      return { document, invoice, client, billTo: client, session }
    case 'work-order':
    case 'purchase-order':
    case 'order-label':
      return { document, order: makeOrder(), statusName: 'Sent to Lab', client, session, invoices: [invoice] }
  }
}

/** The payload each document's barcode carries with the fixtures above. */
export function payloadOf(document: DocumentName): string {
  switch (document) {
    case 'client-profile':
    case 'client-label':
      return formatPayload('client', 123)
    case 'session-confirmation':
    case 'photographer-confirmation':
      return formatPayload('session', 456)
    case 'invoice':
      return formatPayload('invoice', 789)
    default:
      return formatPayload('production-order', 42)
  }
}

export function barcodeOf(document: DocumentName, symbology: Symbology = 'code128'): BarcodeSpec {
  return { payload: payloadOf(document), symbology }
}

/** Black pixels inside a rectangle of a drawn EPL label (render-epl's PNG). */
export function blackIn(png: Uint8Array, x: number, y: number, w: number, h: number): number {
  const bmp = decodeMonoPng(png)
  let n = 0
  for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) n += bmp.pixels[yy * bmp.width + xx]
  return n
}
