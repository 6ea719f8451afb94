/** The studio's records, as the domain sees them. Money is integer cents; instants are ISO-8601 strings. */

export const RECORD_TYPES = ['client', 'session', 'invoice', 'production-order'] as const
export type RecordType = (typeof RECORD_TYPES)[number]

/** What people call each kind of record. */
export const RECORD_TYPE_NAMES: Readonly<Record<RecordType, string>> = {
  client: 'Client',
  session: 'Session',
  invoice: 'Invoice',
  'production-order': 'Production order',
}

/** Each kind's collection, as the API names it: `/api/production-orders/7`. */
export const RECORD_COLLECTIONS: Readonly<Record<RecordType, string>> = {
  client: 'clients',
  session: 'sessions',
  invoice: 'invoices',
  'production-order': 'production-orders',
}

export interface Address {
  label: string // home, work, billing, shipping …
  lines: string[]
  city: string
  region: string
  postalCode: string
  country: string
}

export interface Phone {
  label: string // mobile, home, work …
  number: string
}

export interface Client {
  id: number
  number: number
  lastName: string
  firstName: string
  salutation: string | null
  organization: string | null // company or school
  addresses: Address[]
  phones: Phone[]
  email: string | null
  status: string // active, inactive, prospect …
  familyMembers: string[]
  leadSource: string | null
  notes: string | null
  createdAt: string
  updatedAt: string
}

export interface Session {
  id: number
  number: number
  clientId: number
  sessionType: string // portrait, senior, wedding …
  startsAt: string // ISO instant
  endsAt: string // ISO instant
  location: string // "Studio" or an outside location
  photographer: string
  assistant: string | null
  bookedBy: string | null
  status: string // booked, confirmed, completed, cancelled …
  confirmedBy: string | null
  confirmedAt: string | null
  notes: string | null
  fee: number // cents
  deposit: number // cents
  createdAt: string
  updatedAt: string
}

export const INVOICE_TYPES = [
  'session-fee',
  'initial-order',
  're-order',
  'estimate',
  'generic',
  'credit-memo',
] as const
export type InvoiceType = (typeof INVOICE_TYPES)[number]

export interface InvoiceLine {
  item: string
  imageNumber: string | null // image / pose number
  quantity: number
  unitPrice: number // cents
}

export interface Payment {
  date: string // YYYY-MM-DD
  method: string // cash, card, check …
  amount: number // cents; negative for a refund
}

export interface Invoice {
  id: number
  number: number // assigned on save, never changed
  invoiceType: InvoiceType
  sessionId: number | null
  clientId: number // the session's client
  billToClientId: number // may differ from clientId
  invoiceDate: string // YYYY-MM-DD
  lines: InvoiceLine[]
  discount: number // cents
  tax: number // cents
  shipping: number // cents
  payments: Payment[]
  terms: string | null
  createdAt: string
  updatedAt: string
}

export interface OrderLine {
  item: string
  imageNumber: string | null
  quantity: number
  unitPrice: number // cents (client price; the purchase order never shows it)
  description: string | null
}

export interface ProductionOrder {
  id: number
  number: number // the record's own sequential number
  productionOrderNumber: number | null // the number the barcode carries; empty until assigned
  clientId: number | null
  sessionId: number | null
  invoiceIds: number[]
  vendor: string // outside lab, framer, album company, or "In-house"
  vendorAddress: string[]
  orderType: string // chooses the status track
  orderDate: string // YYYY-MM-DD
  status: string // a status key of the order type's track
  statusDueDate: string | null // YYYY-MM-DD
  studioNotes: string | null
  vendorNotes: string | null
  lines: OrderLine[]
  version: number // bumped on every status change (compare-and-set)
  createdAt: string
  updatedAt: string
}

export interface StatusHistoryEntry {
  id: number
  orderId: number
  fromStatus: string | null
  toStatus: string
  at: string
  by: string // token label or id of who did it
  station: string | null
  /** Why a person changed the status by hand; null otherwise. */
  reason: string | null
}

/** Totals of an invoice, derived (never stored). */
export interface InvoiceTotals {
  subtotal: number
  total: number
  paid: number
  balanceDue: number
}

export function invoiceTotals(invoice: Pick<Invoice, 'lines' | 'discount' | 'tax' | 'shipping' | 'payments'>): InvoiceTotals {
  const subtotal = invoice.lines.reduce((sum, line) => sum + lineTotal(line), 0)
  const total = subtotal - invoice.discount + invoice.tax + invoice.shipping
  const paid = invoice.payments.reduce((sum, p) => sum + p.amount, 0)
  return { subtotal, total, paid, balanceDue: total - paid }
}

export function lineTotal(line: { quantity: number; unitPrice: number }): number {
  return line.quantity * line.unitPrice
}

export function fullName(client: Pick<Client, 'firstName' | 'lastName'>): string {
  return `${client.lastName}, ${client.firstName}`
}
