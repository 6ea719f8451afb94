import { z } from 'zod'
import { ROLES } from '../../domain/inputs.ts'
import { JOB_STATES } from '../../store/print-job-store.ts'
import { WEBHOOK_EVENTS } from '../../app/webhooks/webhook-rules.ts'

/** Response shapes (the fields clients may rely on; objects may carry more). */
const instant = z.string().describe('ISO 8601 instant')
const record = (extra: z.ZodRawShape) => z.looseObject({ id: z.number().int(), number: z.number().int().nullable(), barcode: z.string().nullable(), ...extra })

export const health = z.strictObject({ status: z.literal('ok'), database: z.enum(['sqlite', 'mysql']), version: z.string() })
export const ready = z.strictObject({ status: z.literal('ready'), database: z.enum(['sqlite', 'mysql']), version: z.string(), migrations: z.number().int() })
export const client = record({ lastName: z.string(), firstName: z.string(), createdAt: instant })
export const session = record({ clientId: z.number().int(), sessionType: z.string(), startsAt: instant })
export const invoice = record({ clientId: z.number().int(), invoiceType: z.string() })
export const order = record({ status: z.string(), vendor: z.string() })
export const advanced = z.looseObject({ order, from: z.string(), to: z.string() })
export const page = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item), nextAfter: z.number().int().nullable() })
export const items = <T extends z.ZodType>(item: T) => z.looseObject({ items: z.array(item) })
export const lookup = z.strictObject({ type: z.enum(['client', 'session', 'invoice', 'production-order']), record: z.looseObject({ id: z.number().int() }) })
export const tokenInfo = z.strictObject({ id: z.number().int(), role: z.enum(ROLES), station: z.string().nullable(), label: z.string().nullable(), createdAt: instant, revokedAt: instant.nullable() })
export const tokenCreated = z.looseObject({ id: z.number().int(), token: z.string() })
export const printerStatus = z.looseObject({ state: z.enum(['idle', 'processing', 'stopped', 'offline']), reasons: z.array(z.string()) })
export const printer = z.looseObject({ name: z.string(), language: z.string(), uri: z.string(), location: z.string(), owned: z.boolean(), status: printerStatus.nullable().optional(), createdAt: instant, updatedAt: instant })
export const jobAccepted = z.strictObject({ id: z.number().int(), state: z.enum(JOB_STATES) })
export const printJob = z.looseObject({
  id: z.number().int(),
  state: z.enum(JOB_STATES),
  reasons: z.array(z.string()),
  attempts: z.number().int(),
  progress: z.looseObject({ sent: z.number().int(), total: z.number().int() }),
  confirmed: z.boolean().nullable(),
  printer: z.string(),
  document: z.string(),
  createdAt: instant,
  completedAt: instant.nullable(),
})
export const jobPage = z.strictObject({ items: z.array(printJob), nextAfter: z.number().int().nullable() })
export const station = z.looseObject({ name: z.string(), mode: z.enum(['lookup', 'advance']), advanceTo: z.string().nullable() })
export const scanResult = z.looseObject({
  scanId: z.number().int(),
  station: z.string(),
  data: z.string(),
  outcome: z.enum(['opened', 'advanced', 'warning', 'error', 'mode-changed', 'closed', 'undone']),
  code: z.string().optional(),
  message: z.string().optional(),
})
export const scanner = z.looseObject({ name: z.string(), station: z.string(), uri: z.string() })
export const webhook = z.strictObject({ id: z.number().int(), url: z.string(), events: z.array(z.enum(WEBHOOK_EVENTS)), description: z.string().nullable(), active: z.boolean(), createdAt: instant, updatedAt: instant })
export const webhookCreated = webhook.extend({ secret: z.string() })
export const delivery = z.strictObject({
  id: z.number().int(),
  eventId: z.number().int(),
  type: z.string(),
  state: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  lastStatus: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: instant.nullable(),
  createdAt: instant,
  deliveredAt: instant.nullable(),
})
export const deliveries = z.strictObject({ items: z.array(delivery), nextBefore: z.number().int().nullable() })
export const anyObject = z.looseObject({})
