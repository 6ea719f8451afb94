import type { Client, Invoice, InvoiceType, ProductionOrder, RecordType, Session } from './records.ts'
import type { BarcodingPreferences, Symbology } from './preferences.ts'
import { formatPayload } from './barcode-payload.ts'
import { AppError } from './errors.ts'
import { languagesPrinting, printerLanguage, type LabelLanguage } from './printer-language.ts'

export const DOCUMENTS = [
  'client-profile',
  'client-label',
  'session-confirmation',
  'photographer-confirmation',
  'invoice',
  'work-order',
  'purchase-order',
  'order-label',
] as const
export type DocumentName = (typeof DOCUMENTS)[number]

export const OUTPUT_FORMATS = ['zpl', 'epl', 'pdf', 'png', 'escpos'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

/** What people call each printout. */
export const DOCUMENT_TITLES: Readonly<Record<DocumentName, string>> = {
  'client-profile': 'Client profile',
  'client-label': 'Client account label',
  'session-confirmation': 'Session confirmation',
  'photographer-confirmation': 'Photographer confirmation',
  invoice: 'Invoice',
  'work-order': 'Work order',
  'purchase-order': 'Purchase order',
  'order-label': 'Order bag label',
}

/** Which record a document is printed from. */
export const DOCUMENT_RECORD: Readonly<Record<DocumentName, RecordType>> = {
  'client-profile': 'client',
  'client-label': 'client',
  'session-confirmation': 'session',
  'photographer-confirmation': 'session',
  invoice: 'invoice',
  'work-order': 'production-order',
  'purchase-order': 'production-order',
  'order-label': 'production-order',
}

/** Labels print in every label printer's language, and as PDF and PNG. */
const LABEL_FORMATS: readonly OutputFormat[] = [...languagesPrinting('label').map((l) => printerLanguage(l).format), 'pdf', 'png']

/** Formats each document has a template for (CONTRACT.md: anything else is 415). */
export const DOCUMENT_FORMATS: Readonly<Record<DocumentName, readonly OutputFormat[]>> = {
  'client-profile': ['pdf', 'png'],
  'client-label': LABEL_FORMATS,
  'session-confirmation': ['pdf', 'png'],
  'photographer-confirmation': ['pdf', 'png'],
  // The invoice is also a receipt, in every receipt printer's language.
  invoice: ['pdf', 'png', ...languagesPrinting('receipt').map((l) => printerLanguage(l).format)],
  'work-order': ['pdf', 'png'],
  'purchase-order': ['pdf', 'png'],
  'order-label': LABEL_FORMATS,
}

/** Everything a document is rendered from, loaded by the application layer. */
export type DocumentSubject =
  | { document: 'client-profile'; client: Client; sessions: Session[]; invoices: Invoice[] }
  | { document: 'client-label'; client: Client }
  | { document: 'session-confirmation' | 'photographer-confirmation'; session: Session; client: Client }
  | { document: 'invoice'; invoice: Invoice; client: Client; billTo: Client; session: Session | null }
  | {
      document: 'work-order' | 'purchase-order' | 'order-label'
      order: ProductionOrder
      /** Display name of the order's current status. */
      statusName: string
      client: Client | null
      session: Session | null
      invoices: Invoice[]
    }

/** The barcode a printout carries, or null when the preferences leave it off. */
export interface BarcodeSpec {
  payload: string
  symbology: Symbology
}

/** What a studio's own ZPL or EPL template can be made into: its language, and PNG and PDF drawn from it. */
export function rawTemplateFormats(kind: LabelLanguage): OutputFormat[] {
  return [printerLanguage(kind).format, 'png', 'pdf']
}

export class FormatNotSupportedError extends AppError {
  /** `template`: the document's active template is the studio's own ZPL or EPL, which limits the formats. */
  constructor(document: DocumentName, format: string, template?: LabelLanguage) {
    const supported = template ? rawTemplateFormats(template) : DOCUMENT_FORMATS[document]
    const message = template
      ? `The ${document}'s template is the studio's own ${template.toUpperCase()}, which can't be turned into ${format.toUpperCase()}; it prints as ${supported.join(', ')}.`
      : `The ${document} has no ${format} template; it prints as ${supported.join(', ')}.`
    super('FORMAT_NOT_SUPPORTED', 'unsupported', message, { document, format, supported, ...(template ? { template } : {}) })
  }
}

/**
 * A work order, purchase order or order label whose barcode is on but whose order has no
 * production order number yet. The problem says how to draw the next number (`details.assign`).
 */
export class ProductionOrderNumberMissingError extends AppError {
  constructor(orderId: number) {
    const assign = { method: 'PATCH', path: `/api/production-orders/${orderId}`, body: { productionOrderNumber: 'auto' } }
    super(
      'PRODUCTION_ORDER_NUMBER_MISSING',
      'unprocessable',
      `This order has no production order number for its barcode yet. Assign the next one (PATCH ${assign.path} {"productionOrderNumber": "auto"}) and print again, or turn off barcodes on work orders and production orders.`,
      { orderId, assign },
    )
  }
}

export function isDocumentName(value: string): value is DocumentName {
  return (DOCUMENTS as readonly string[]).includes(value)
}

export function assertFormat(document: DocumentName, format: string): OutputFormat {
  if (!(DOCUMENT_FORMATS[document] as readonly string[]).includes(format)) throw new FormatNotSupportedError(document, format)
  return format as OutputFormat
}

const PREFERENCE_OF: Readonly<Record<DocumentName, keyof Omit<BarcodingPreferences, 'symbology'>>> = {
  'client-profile': 'clientPrintouts',
  'client-label': 'clientPrintouts',
  'session-confirmation': 'sessionPrintouts',
  'photographer-confirmation': 'sessionPrintouts',
  invoice: 'invoicePrintouts',
  'work-order': 'productionOrders',
  'purchase-order': 'productionOrders',
  'order-label': 'productionOrders',
}

/** The payload a record's barcode encodes, or null where it can't have one yet. */
export function recordPayload(type: RecordType, record: { number: number } | ProductionOrder): string | null {
  if (type === 'production-order') {
    const number = (record as ProductionOrder).productionOrderNumber
    return number === null ? null : formatPayload(type, number)
  }
  return formatPayload(type, record.number)
}

/**
 * Decides the barcode of a printout: the preference for its kind of printout, the record's
 * payload. An order without a production order number prints without a barcode when order
 * barcodes are off; with them on it can't print yet (422, saying how to assign the number).
 */
export function barcodeFor(subject: DocumentSubject, prefs: BarcodingPreferences): BarcodeSpec | null {
  if (!prefs[PREFERENCE_OF[subject.document]]) return null
  let payload: string | null
  switch (subject.document) {
    case 'client-profile':
    case 'client-label':
      payload = recordPayload('client', subject.client)
      break
    case 'session-confirmation':
    case 'photographer-confirmation':
      payload = recordPayload('session', subject.session)
      break
    case 'invoice':
      payload = recordPayload('invoice', subject.invoice)
      break
    case 'work-order':
    case 'purchase-order':
    case 'order-label':
      payload = recordPayload('production-order', subject.order)
      if (payload === null) throw new ProductionOrderNumberMissingError(subject.order.id)
      break
  }
  return payload === null ? null : { payload, symbology: prefs.symbology }
}

/** What people call each invoice type (printouts never show the keys). */
export const INVOICE_TYPE_NAMES: Readonly<Record<InvoiceType, string>> = {
  'session-fee': 'Session fee',
  'initial-order': 'Initial order',
  're-order': 'Re-order',
  estimate: 'Estimate',
  generic: 'Invoice',
  'credit-memo': 'Credit memo',
}

/** Order types by name; `default` is the studio's standard track. Others are shown as their key, humanized. */
export function orderTypeName(orderType: string): string {
  return orderType === 'default' ? 'Standard' : humanize(orderType)
}

/**
 * A stored key or lower-case word as people write it: `picked-up` → "Picked up", `card` → "Card".
 * Text that already has capitals or spaces (a name a person typed) stays as it is.
 */
export function humanize(key: string): string {
  if (!/^[a-z0-9]+(?:[-_][a-z0-9]+)*$/.test(key)) return key
  const words = key.replace(/[-_]/g, ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** What a printout is of, as people say it: the record's number and its client ("INV-000002 · Papadopoulou, Ελένη"). */
export function subjectCaption(subject: DocumentSubject): string {
  const name = (c: Client | null) => (c ? `${c.lastName}, ${c.firstName}`.replace(/, $/, '') : '')
  let number: string
  let client: Client | null
  switch (subject.document) {
    case 'client-profile':
    case 'client-label':
      return [formatPayload('client', subject.client.number), name(subject.client)].join(' · ')
    case 'session-confirmation':
    case 'photographer-confirmation':
      number = formatPayload('session', subject.session.number)
      client = subject.client
      break
    case 'invoice':
      number = formatPayload('invoice', subject.invoice.number)
      client = subject.client
      break
    default:
      number = recordPayload('production-order', subject.order) ?? `order #${subject.order.number} (no production order number)`
      client = subject.client
  }
  return [number, name(client)].filter((s) => s !== '').join(' · ')
}
