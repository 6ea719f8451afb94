/**
 * What clients may send to create or change records. Strict: unknown fields are refused,
 * types are checked, text is bounded. Parsing turns a zod failure into VALIDATION_FAILED.
 */
import { z } from 'zod'
import { INVOICE_TYPES } from './records.ts'
import { SYMBOLOGIES, PAPER_SIZES } from './preferences.ts'
import { STATUS_KINDS } from './status-track.ts'
import { ValidationError } from './errors.ts'

const text = (max = 200) => z.string().trim().max(max)
const required = (max = 200) => z.string().trim().min(1).max(max)
const optionalText = (max = 2000) => z.string().trim().max(max).nullable().optional()
const cents = z.number().int().min(-100_000_000).max(100_000_000)
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
const isoInstant = z.string().datetime({ offset: true })
const id = z.number().int().positive()

const address = z.strictObject({
  label: text(40).default('home'),
  lines: z.array(text(200)).max(4),
  city: text(100).default(''),
  region: text(100).default(''),
  postalCode: text(20).default(''),
  country: text(60).default(''),
})
const phone = z.strictObject({ label: text(40).default('mobile'), number: required(40) })

/**
 * A PATCH names the fields it changes and nothing else: the patch schemas are the record's fields
 * without the create defaults (a default applied to a partial body would overwrite stored values),
 * all optional, and a body naming no field is refused.
 */
function patchOf<S extends z.ZodRawShape>(shape: S) {
  return z
    .strictObject(shape)
    .partial()
    .refine((body) => Object.values(body).some((v) => v !== undefined), { message: 'name at least one field to change' })
}

const clientFields = {
  lastName: required(),
  firstName: text(),
  salutation: optionalText(40),
  organization: optionalText(200),
  addresses: z.array(address).max(10),
  phones: z.array(phone).max(10),
  email: z.string().trim().email().max(200).nullable().optional(),
  status: text(40),
  familyMembers: z.array(text(200)).max(50),
  leadSource: optionalText(200),
  notes: optionalText(20_000),
}
export const clientCreate = z.strictObject({
  ...clientFields,
  firstName: clientFields.firstName.default(''),
  addresses: clientFields.addresses.default([]),
  phones: clientFields.phones.default([]),
  status: clientFields.status.default('active'),
  familyMembers: clientFields.familyMembers.default([]),
})
export const clientPatch = patchOf(clientFields)

const sessionFields = {
  clientId: id,
  sessionType: required(60),
  startsAt: isoInstant,
  endsAt: isoInstant,
  location: text(200),
  photographer: required(),
  assistant: optionalText(200),
  bookedBy: optionalText(200),
  status: text(40),
  confirmedBy: optionalText(200),
  confirmedAt: isoInstant.nullable().optional(),
  notes: optionalText(20_000),
  fee: cents,
  deposit: cents,
}
export const sessionCreate = z
  .strictObject({ ...sessionFields, location: sessionFields.location.default('Studio'), status: sessionFields.status.default('booked'), fee: cents.default(0), deposit: cents.default(0) })
  .refine((s) => Date.parse(s.endsAt) >= Date.parse(s.startsAt), { message: 'endsAt must not be before startsAt', path: ['endsAt'] })
export const sessionPatch = patchOf(sessionFields)

const invoiceLine = z.strictObject({
  item: required(200),
  imageNumber: optionalText(40),
  quantity: z.number().int().min(-10_000).max(10_000),
  unitPrice: cents,
})
const payment = z.strictObject({ date: isoDate, method: required(40), amount: cents })

const invoiceFields = {
  invoiceType: z.enum(INVOICE_TYPES),
  sessionId: id.nullable().optional(),
  clientId: id,
  billToClientId: id.optional(),
  invoiceDate: isoDate.optional(),
  lines: z.array(invoiceLine).max(500),
  discount: cents,
  tax: cents,
  shipping: cents,
  payments: z.array(payment).max(200),
  terms: optionalText(5_000),
}
export const invoiceCreate = z.strictObject({
  ...invoiceFields,
  lines: invoiceFields.lines.default([]),
  discount: cents.default(0),
  tax: cents.default(0),
  shipping: cents.default(0),
  payments: invoiceFields.payments.default([]),
})
export const invoicePatch = patchOf(invoiceFields)

const orderLine = z.strictObject({
  item: required(200),
  imageNumber: optionalText(40),
  quantity: z.number().int().min(1).max(100_000),
  unitPrice: cents.default(0),
  description: optionalText(1_000),
})

const orderFields = {
  clientId: id.nullable().optional(),
  sessionId: id.nullable().optional(),
  invoiceIds: z.array(id).max(100),
  vendor: required(200),
  vendorAddress: z.array(text(200)).max(6),
  orderDate: isoDate.optional(),
  studioNotes: optionalText(20_000),
  vendorNotes: optionalText(20_000),
  lines: z.array(orderLine).max(500),
}
export const productionOrderNumberInput = z.union([z.number().int().positive().max(999_999_999_999), z.literal('auto')])
export const orderCreate = z.strictObject({
  ...orderFields,
  invoiceIds: orderFields.invoiceIds.default([]),
  vendorAddress: orderFields.vendorAddress.default([]),
  lines: orderFields.lines.default([]),
  orderType: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/).default('default'),
  productionOrderNumber: productionOrderNumberInput.nullable().optional(),
})
/** The order type is fixed at create (it chooses the status track); an assigned number never changes. */
export const orderPatch = patchOf({ ...orderFields, productionOrderNumber: productionOrderNumberInput })

export const advanceInput = z.strictObject({ to: z.string().min(1).max(40).optional() })

export const barcodingInput = z.strictObject({
  clientPrintouts: z.boolean(),
  sessionPrintouts: z.boolean(),
  invoicePrintouts: z.boolean(),
  productionOrders: z.boolean(),
  symbology: z.enum(SYMBOLOGIES).optional(),
})

export const studioInput = z.strictObject({
  name: required(200),
  addressLines: z.array(text(200)).max(6),
  phone: text(60),
  email: z.string().email().max(200).nullable(),
  paper: z.enum(PAPER_SIZES),
  photographerFees: z.boolean(),
  /** IANA zone for dates and times on printouts; canonicalised ('utc' -> 'UTC'). Omitted: unchanged. */
  timeZone: z
    .string()
    .trim()
    .max(64)
    .refine((tz) => canonicalTimeZone(tz) !== null, 'expected an IANA time zone such as America/New_York')
    .transform((tz) => canonicalTimeZone(tz)!)
    .optional(),
  /** ISO 4217 code of the studio's currency ('eur' -> 'EUR'). Omitted: unchanged. */
  currency: z
    .string()
    .trim()
    .max(3)
    .transform((c) => c.toUpperCase())
    .refine(isCurrency, 'expected an ISO 4217 currency code such as USD or EUR')
    .optional(),
})

/** True for a three-letter ISO 4217 code this runtime's Intl knows. */
function isCurrency(code: string): boolean {
  if (!/^[A-Z]{3}$/.test(code)) return false
  return Intl.supportedValuesOf('currency').includes(code)
}

/** The canonical IANA name of a time zone Intl knows, else null. */
function canonicalTimeZone(tz: string): string | null {
  if (tz === '') return null
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone
  } catch {
    return null
  }
}

const statusInput = z.strictObject({
  key: z.string(),
  name: required(80),
  sort: z.number().int().min(0).max(100_000).nullable(),
  durationDays: z.number().int().min(0).max(3650),
  kind: z.enum(STATUS_KINDS),
})
export const tracksInput = z.array(z.strictObject({ orderType: z.string(), statuses: z.array(statusInput).min(2).max(100) })).min(1).max(50)

export const ROLES = ['admin', 'client', 'station'] as const
export type Role = (typeof ROLES)[number]
export const tokenCreate = z
  .strictObject({ role: z.enum(ROLES), station: z.string().min(1).max(80).optional(), label: text(200).optional() })
  .refine((t) => (t.role === 'station') === (t.station !== undefined), { message: 'a station token names its station; other roles name none', path: ['station'] })

export type ClientCreate = z.infer<typeof clientCreate>
export type ClientPatch = z.infer<typeof clientPatch>
export type SessionCreate = z.infer<typeof sessionCreate>
export type SessionPatch = z.infer<typeof sessionPatch>
export type InvoiceCreate = z.infer<typeof invoiceCreate>
export type InvoicePatch = z.infer<typeof invoicePatch>
export type OrderCreate = z.infer<typeof orderCreate>
export type OrderPatch = z.infer<typeof orderPatch>

/** Parses input against a schema; any failure is a 400 VALIDATION_FAILED listing each problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what = 'request body'): z.infer<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const problems = result.error.issues.map((i) => ({ path: i.path.join('.') || '(root)', message: i.message }))
  throw new ValidationError(`The ${what} is not valid: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems })
}
