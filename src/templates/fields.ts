/**
 * The fields a template may name as {{placeholders}}, per document, and their values for a
 * subject. This file is the one place that lists them (TEMPLATE_FIELDS).
 */
import { type DocumentName, type DocumentSubject, INVOICE_TYPE_NAMES, humanize, orderTypeName } from '../domain/documents.ts'
import { DEFAULT_CURRENCY, type StudioInfo } from '../domain/preferences.ts'
import type { Client, Invoice, ProductionOrder, Session } from '../domain/records.ts'
import { fullName, invoiceTotals, lineTotal } from '../domain/records.ts'

export type FieldValues = Readonly<Record<string, string>>

const STUDIO_FIELDS = ['studio.name', 'studio.address', 'studio.phone', 'studio.email'] as const
const BARCODE_FIELDS = ['barcode.text'] as const
const CLIENT_FIELDS = [
  'client.number', 'client.name', 'client.firstName', 'client.lastName', 'client.salutation', 'client.organization',
  'client.phone', 'client.email', 'client.status', 'client.address', 'client.family', 'client.leadSource', 'client.notes',
] as const
const SESSION_FIELDS = [
  'session.number', 'session.type', 'session.date', 'session.start', 'session.end', 'session.timeZone', 'session.location', 'session.photographer',
  'session.assistant', 'session.bookedBy', 'session.status', 'session.confirmedBy', 'session.notes', 'session.fee',
  'session.deposit', 'session.balance',
] as const
const INVOICE_FIELDS = [
  'invoice.number', 'invoice.date', 'invoice.type', 'invoice.subtotal', 'invoice.discount', 'invoice.discountLabel', 'invoice.tax', 'invoice.shipping',
  'invoice.total', 'invoice.paid', 'invoice.balanceDue', 'invoice.terms', 'billTo.name', 'billTo.address', 'billTo.phone',
] as const
const ORDER_FIELDS = [
  'order.number', 'order.recordNumber', 'order.type', 'order.date', 'order.status', 'order.dueDate', 'order.vendor',
  'order.vendorAddress', 'order.itemCount', 'order.invoices', 'order.studioNotes', 'order.vendorNotes',
] as const

/** Fields of the rows of each table a document template may list. */
export const TABLE_FIELDS = {
  'invoice.lines': ['line.item', 'line.image', 'line.quantity', 'line.unitPrice', 'line.total'],
  'invoice.payments': ['payment.date', 'payment.method', 'payment.amount'],
  'order.lines': ['line.item', 'line.image', 'line.quantity', 'line.unitPrice', 'line.total', 'line.description'],
  'client.sessions': ['session.number', 'session.type', 'session.date', 'session.photographer', 'session.status'],
  'client.invoices': ['invoice.number', 'invoice.date', 'invoice.type', 'invoice.total', 'invoice.balanceDue'],
  'client.addresses': ['address.label', 'address.text'],
  'client.phones': ['phone.label', 'phone.number'],
} as const
export type TableSource = keyof typeof TABLE_FIELDS

/** Every field each document's templates may use. */
export const TEMPLATE_FIELDS: Readonly<Record<DocumentName, readonly string[]>> = Object.freeze({
  'client-profile': [...STUDIO_FIELDS, ...BARCODE_FIELDS, ...CLIENT_FIELDS],
  'client-label': [...STUDIO_FIELDS, ...BARCODE_FIELDS, ...CLIENT_FIELDS],
  'session-confirmation': [...STUDIO_FIELDS, ...BARCODE_FIELDS, ...CLIENT_FIELDS, ...SESSION_FIELDS],
  'photographer-confirmation': [...STUDIO_FIELDS, ...BARCODE_FIELDS, ...CLIENT_FIELDS, ...SESSION_FIELDS],
  invoice: [...STUDIO_FIELDS, ...BARCODE_FIELDS, ...CLIENT_FIELDS, ...SESSION_FIELDS, ...INVOICE_FIELDS],
  'work-order': [...STUDIO_FIELDS, ...BARCODE_FIELDS, ...CLIENT_FIELDS, ...SESSION_FIELDS, ...ORDER_FIELDS],
  'purchase-order': [...STUDIO_FIELDS, ...BARCODE_FIELDS, ...CLIENT_FIELDS, ...SESSION_FIELDS, ...ORDER_FIELDS],
  'order-label': [...STUDIO_FIELDS, ...BARCODE_FIELDS, ...CLIENT_FIELDS, ...SESSION_FIELDS, ...ORDER_FIELDS],
})

/** Tables each document may list. */
export const TEMPLATE_TABLES: Readonly<Record<DocumentName, readonly TableSource[]>> = Object.freeze({
  'client-profile': ['client.sessions', 'client.invoices', 'client.addresses', 'client.phones'],
  'client-label': [],
  'session-confirmation': [],
  'photographer-confirmation': [],
  invoice: ['invoice.lines', 'invoice.payments'],
  'work-order': ['order.lines'],
  'purchase-order': ['order.lines'],
  'order-label': [],
})

/** How a studio's printouts show times and money: its time zone (IANA) and currency (ISO 4217). */
export interface PrintFormat {
  timeZone: string
  currency: string
}

export const DEFAULT_PRINT_FORMAT: PrintFormat = Object.freeze({ timeZone: 'UTC', currency: DEFAULT_CURRENCY })

/** One formatter per currency (building an Intl.NumberFormat costs far more than using one). */
const moneyFormatters = new Map<string, Intl.NumberFormat>()

function moneyFormatter(currency: string): Intl.NumberFormat {
  let f = moneyFormatters.get(currency)
  if (!f) {
    try {
      f = new Intl.NumberFormat('en-US', { style: 'currency', currency, currencyDisplay: 'symbol' })
    } catch {
      // A code this runtime does not know (settings are validated, so only an old stored value).
      f = moneyFormatter(DEFAULT_CURRENCY)
    }
    moneyFormatters.set(currency, f)
  }
  return f
}

/**
 * An amount in cents (hundredths of the currency's unit) with its currency, through
 * Intl.NumberFormat: `$1,234.56`, `€12.00`, `-$5.00`; currencies without a minor unit are
 * rounded to whole units (`¥1,235`).
 */
export function money(cents: number, currency: string = DEFAULT_CURRENCY): string {
  return moneyFormatter(currency).format(Math.trunc(cents) / 100)
}

/** One formatter per time zone. */
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: 'numeric', minute: '2-digit', hourCycle: 'h12', timeZoneName: 'short' })
    } catch {
      // A zone this runtime does not know (settings are validated, so only an old stored value): UTC.
      f = formatter('UTC')
    }
    formatters.set(timeZone, f)
  }
  return f
}

/**
 * An ISO instant as the studio's wall clock in `timeZone`: date `YYYY-MM-DD`, time `h:mm AM`,
 * and the zone as people read it (`EDT`, `GMT+2`); null when unreadable.
 */
export function localDateTime(iso: string, timeZone: string): { date: string; time: string; zone: string } | null {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) return null
  const p: Record<string, string> = {}
  for (const part of formatter(timeZone).formatToParts(ms)) p[part.type] = part.value
  const year = p.year.padStart(4, '0')
  return { date: `${year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute} ${p.dayPeriod.toUpperCase()}`, zone: p.timeZoneName }
}

function datePart(iso: string, timeZone: string): string {
  return localDateTime(iso, timeZone)?.date ?? iso.slice(0, 10)
}

function addressText(a: { lines: string[]; city: string; region: string; postalCode: string; country: string }): string {
  return [...a.lines, [a.city, a.region, a.postalCode].filter(Boolean).join(' '), a.country].filter((s) => s.trim() !== '').join(', ')
}

function studioFields(studio: StudioInfo): Record<string, string> {
  return {
    'studio.name': studio.name,
    'studio.address': studio.addressLines.join(', '),
    'studio.phone': studio.phone,
    'studio.email': studio.email ?? '',
  }
}

export function clientFields(c: Client | null): Record<string, string> {
  if (!c) return Object.fromEntries(CLIENT_FIELDS.map((f) => [f, '']))
  return {
    'client.number': String(c.number),
    'client.name': fullName(c),
    'client.firstName': c.firstName,
    'client.lastName': c.lastName,
    'client.salutation': c.salutation ?? '',
    'client.organization': c.organization ?? '',
    'client.phone': c.phones[0]?.number ?? '',
    'client.email': c.email ?? '',
    'client.status': humanize(c.status),
    'client.address': c.addresses[0] ? addressText(c.addresses[0]) : '',
    'client.family': c.familyMembers.join(', '),
    'client.leadSource': c.leadSource ?? '',
    'client.notes': c.notes ?? '',
  }
}

/** A session's fields; its date and times in the studio's time zone, its money in the studio's currency. */
export function sessionFields(s: Session | null, format: PrintFormat = DEFAULT_PRINT_FORMAT): Record<string, string> {
  if (!s) return Object.fromEntries(SESSION_FIELDS.map((f) => [f, '']))
  const start = localDateTime(s.startsAt, format.timeZone)
  const end = localDateTime(s.endsAt, format.timeZone)
  return {
    'session.number': String(s.number),
    'session.type': humanize(s.sessionType),
    'session.date': start?.date ?? s.startsAt.slice(0, 10),
    'session.start': start?.time ?? '',
    'session.end': end?.time ?? '',
    'session.timeZone': end?.zone ?? start?.zone ?? '',
    'session.location': s.location,
    'session.photographer': s.photographer,
    'session.assistant': s.assistant ?? '',
    'session.bookedBy': s.bookedBy ?? '',
    'session.status': humanize(s.status),
    'session.confirmedBy': s.confirmedBy ?? '',
    'session.notes': s.notes ?? '',
    'session.fee': money(s.fee, format.currency),
    'session.deposit': money(s.deposit, format.currency),
    'session.balance': money(s.fee - s.deposit, format.currency),
  }
}

/**
 * An invoice's fields. The discount is shown as the positive amount taken off, labelled
 * "Less discount" (a negative discount adds: "Surcharge"); empty when there is none.
 */
function invoiceFields(inv: Invoice, billTo: Client, currency: string): Record<string, string> {
  const t = invoiceTotals(inv)
  return {
    'invoice.number': String(inv.number),
    'invoice.date': inv.invoiceDate,
    'invoice.type': INVOICE_TYPE_NAMES[inv.invoiceType] ?? humanize(inv.invoiceType),
    'invoice.subtotal': money(t.subtotal, currency),
    'invoice.discount': inv.discount === 0 ? '' : money(Math.abs(inv.discount), currency),
    'invoice.discountLabel': inv.discount < 0 ? 'Surcharge' : 'Less discount',
    'invoice.tax': money(inv.tax, currency),
    'invoice.shipping': money(inv.shipping, currency),
    'invoice.total': money(t.total, currency),
    'invoice.paid': money(t.paid, currency),
    'invoice.balanceDue': money(t.balanceDue, currency),
    'invoice.terms': inv.terms ?? '',
    'billTo.name': fullName(billTo),
    'billTo.address': billTo.addresses[0] ? addressText(billTo.addresses[0]) : '',
    'billTo.phone': billTo.phones[0]?.number ?? '',
  }
}

function orderFields(o: ProductionOrder, statusName: string, invoices: Invoice[]): Record<string, string> {
  return {
    'order.number': o.productionOrderNumber === null ? '' : String(o.productionOrderNumber),
    'order.recordNumber': String(o.number),
    'order.type': orderTypeName(o.orderType),
    'order.date': o.orderDate,
    'order.status': statusName,
    'order.dueDate': o.statusDueDate ?? '',
    'order.vendor': o.vendor,
    'order.vendorAddress': o.vendorAddress.join(', '),
    'order.itemCount': String(o.lines.reduce((n, l) => n + l.quantity, 0)),
    'order.invoices': invoices.map((i) => String(i.number)).join(', '),
    'order.studioNotes': o.studioNotes ?? '',
    'order.vendorNotes': o.vendorNotes ?? '',
  }
}

/** How a studio's printouts show times and money. */
export function printFormat(studio: Pick<StudioInfo, 'timeZone' | 'currency'>): PrintFormat {
  return { timeZone: studio.timeZone, currency: studio.currency ?? DEFAULT_CURRENCY }
}

/** All field values of a subject, keyed by the names in TEMPLATE_FIELDS[subject.document]. */
export function fieldValues(subject: DocumentSubject, studio: StudioInfo, barcodeText: string | null): FieldValues {
  // One object filled in place (no spreads): labels compute this for every record of a batch.
  const values: Record<string, string> = studioFields(studio)
  values['barcode.text'] = barcodeText ?? ''
  const format = printFormat(studio)
  switch (subject.document) {
    case 'client-profile':
    case 'client-label':
      return Object.assign(values, clientFields(subject.client))
    case 'session-confirmation':
    case 'photographer-confirmation':
      return Object.assign(values, clientFields(subject.client), sessionFields(subject.session, format))
    case 'invoice':
      return Object.assign(values, clientFields(subject.client), sessionFields(subject.session, format), invoiceFields(subject.invoice, subject.billTo, format.currency))
    case 'work-order':
    case 'purchase-order':
    case 'order-label':
      return Object.assign(values, clientFields(subject.client), sessionFields(subject.session, format), orderFields(subject.order, subject.statusName, subject.invoices))
  }
}

/** The rows of one table of a subject; [] where the document has no such table. Dates in the studio's zone, money in its currency. */
export function tableRows(subject: DocumentSubject, source: TableSource, format: PrintFormat = DEFAULT_PRINT_FORMAT): FieldValues[] {
  const { timeZone, currency } = format
  switch (source) {
    case 'invoice.lines':
      if (subject.document !== 'invoice') return []
      return subject.invoice.lines.map((l) => ({
        'line.item': l.item,
        'line.image': l.imageNumber ?? '',
        'line.quantity': String(l.quantity),
        'line.unitPrice': money(l.unitPrice, currency),
        'line.total': money(lineTotal(l), currency),
      }))
    case 'invoice.payments':
      if (subject.document !== 'invoice') return []
      return subject.invoice.payments.map((p) => ({ 'payment.date': p.date, 'payment.method': humanize(p.method), 'payment.amount': money(p.amount, currency) }))
    case 'order.lines':
      if (subject.document !== 'work-order' && subject.document !== 'purchase-order' && subject.document !== 'order-label') return []
      return subject.order.lines.map((l) => ({
        'line.item': l.item,
        'line.image': l.imageNumber ?? '',
        'line.quantity': String(l.quantity),
        'line.unitPrice': money(l.unitPrice, currency),
        'line.total': money(lineTotal(l), currency),
        'line.description': l.description ?? '',
      }))
    case 'client.sessions':
      if (subject.document !== 'client-profile') return []
      return subject.sessions.map((s) => ({
        'session.number': String(s.number),
        'session.type': humanize(s.sessionType),
        'session.date': datePart(s.startsAt, timeZone),
        'session.photographer': s.photographer,
        'session.status': humanize(s.status),
      }))
    case 'client.invoices':
      if (subject.document !== 'client-profile') return []
      return subject.invoices.map((i) => {
        const t = invoiceTotals(i)
        return {
          'invoice.number': String(i.number),
          'invoice.date': i.invoiceDate,
          'invoice.type': INVOICE_TYPE_NAMES[i.invoiceType] ?? humanize(i.invoiceType),
          'invoice.total': money(t.total, currency),
          'invoice.balanceDue': money(t.balanceDue, currency),
        }
      })
    case 'client.addresses':
      if (subject.document !== 'client-profile') return []
      return subject.client.addresses.map((a) => ({ 'address.label': humanize(a.label), 'address.text': addressText(a) }))
    case 'client.phones':
      if (subject.document !== 'client-profile') return []
      return subject.client.phones.map((p) => ({ 'phone.label': humanize(p.label), 'phone.number': p.number }))
  }
}

const PLACEHOLDER = /\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g

/** A text split at its placeholders: literals[0] name[0] literals[1] … name[n-1] literals[n]. */
interface ParsedText {
  readonly literals: readonly string[]
  readonly names: readonly string[]
}

/** Template texts are few and reused for every record: each is parsed once. */
const parsed = new Map<string, ParsedText>()
const PARSED_LIMIT = 2048

function parse(text: string): ParsedText {
  const hit = parsed.get(text)
  if (hit) return hit
  const literals: string[] = []
  const names: string[] = []
  let at = 0
  for (const m of text.matchAll(PLACEHOLDER)) {
    literals.push(text.slice(at, m.index))
    names.push(m[1])
    at = m.index + m[0].length
  }
  literals.push(text.slice(at))
  const result: ParsedText = { literals, names }
  if (parsed.size >= PARSED_LIMIT) parsed.clear()
  parsed.set(text, result)
  return result
}

/** Names of the {{placeholders}} in a text, in order. */
export function placeholders(text: string): string[] {
  return [...parse(text).names]
}

/** True when a text names fields and every one of them is empty (or blank). */
export function allFieldsEmpty(text: string, values: FieldValues): boolean {
  const { names } = parse(text)
  if (names.length === 0) return false
  for (const name of names) if ((values[name] ?? '').trim() !== '') return false
  return true
}

/** Replaces each {{field}} with `escape(value)`; unknown fields become ''. */
export function fillPlaceholders(text: string, values: FieldValues, escape?: (value: string) => string): string {
  const { literals, names } = parse(text)
  if (names.length === 0) return text
  let out = literals[0]
  for (let i = 0; i < names.length; i++) {
    const value = values[names[i]] ?? ''
    out += (escape ? escape(value) : value) + literals[i + 1]
  }
  return out
}
