import { createHmac, randomBytes } from 'node:crypto'
import { z } from 'zod'

/** What a webhook endpoint can subscribe to. */
export const WEBHOOK_EVENTS = ['print-job.state-changed', 'scan.result'] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

const url = z
  .string()
  .max(1000)
  .refine((u) => {
    try {
      const p = new URL(u)
      return (p.protocol === 'http:' || p.protocol === 'https:') && p.username === '' && p.password === ''
    } catch {
      return false
    }
  }, 'expected an http:// or https:// URL without credentials')

export const webhookCreate = z.strictObject({
  url,
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length),
  /** The HMAC key; generated when left out (returned once, at creation). */
  secret: z.string().min(16).max(200).optional(),
  description: z.string().trim().max(200).optional(),
})
export const webhookPatch = z.strictObject({
  url: url.optional(),
  events: z.array(z.enum(WEBHOOK_EVENTS)).min(1).max(WEBHOOK_EVENTS.length).optional(),
  secret: z.string().min(16).max(200).optional(),
  description: z.string().trim().max(200).nullable().optional(),
  active: z.boolean().optional(),
})

export const newWebhookSecret = (): string => `whsec_${randomBytes(24).toString('base64url')}`

/** The signature header's value: `v1=` HMAC-SHA256 (hex) of `TIMESTAMP.BODY` under the endpoint's secret. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`
}

export interface RetryPolicy {
  baseMs: number
  maxMs: number
  maxAttempts: number
}

/** Delay before attempt `attempts + 1`: base · 2^(attempts-1), at most maxMs. */
export function retryDelay(policy: RetryPolicy, attempts: number): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1))
}
