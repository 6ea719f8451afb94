import type { Logger } from 'pino'
import { retryDelay, signWebhook, type RetryPolicy } from './webhook-rules.ts'
import type { DueDelivery, WebhookStore } from './webhook-store.ts'

/** STUDIO_WEBHOOK_* (read by the configuration schema, src/config/env-schema.ts) and this process's instance. */
export interface WebhookConfig extends RetryPolicy {
  /** How often the outbox is read for new events and due retries. */
  pollMs: number
  /** One POST's time limit. */
  timeoutMs: number
  /** This process, as claimer of deliveries. */
  instance: string
}

/**
 * Sends the outbox: makes deliveries of new events, POSTs each due one (signed), and
 * retries failures with exponential backoff. At least once: a delivery is marked delivered only
 * after a 2xx; one whose claimer died is sent again when the claim lapses. Receivers dedupe on
 * the event id (`Studio-Print-Event-Id`).
 */
export class WebhookDispatcher {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> = Promise.resolve()
  private readonly controller = new AbortController()
  private stopped = false

  constructor(
    private readonly store: WebhookStore,
    private readonly config: WebhookConfig,
    private readonly log: Logger,
  ) {}

  start(): void {
    const tick = () => {
      this.running = this.runOnce()
        .catch((err: unknown) => this.log.error({ err }, 'webhook dispatch failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.config.pollMs)
        })
    }
    tick()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.controller.abort()
    await this.running
  }

  /** One round: fan out new events, send what is due. */
  async runOnce(): Promise<void> {
    await this.store.fanOut()
    // A claim outlives one POST by far: a live claimer always settles first.
    const due = await this.store.claimDue(this.config.instance, this.config.timeoutMs * 3)
    await Promise.all(due.map((d) => this.send(d)))
  }

  private async send(d: DueDelivery): Promise<void> {
    const body = JSON.stringify({ id: `evt_${d.eventId}`, type: d.type, createdAt: new Date(d.eventCreatedAt).toISOString(), data: JSON.parse(d.payload) as unknown })
    const timestamp = Math.floor(Date.now() / 1000)
    let status: number | null = null
    let error: string | null = null
    if (!d.url) {
      error = 'endpoint deleted'
    } else {
      try {
        const res = await fetch(d.url, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'studio-print-webhooks',
            'studio-print-event-id': `evt_${d.eventId}`,
            'studio-print-event': d.type,
            'studio-print-delivery': String(d.id),
            'studio-print-timestamp': String(timestamp),
            'studio-print-signature': signWebhook(d.secret, timestamp, body),
          },
          body,
          signal: AbortSignal.any([AbortSignal.timeout(this.config.timeoutMs), this.controller.signal]),
        })
        status = res.status
        await res.arrayBuffer().catch(() => undefined)
        if (status < 200 || status > 299) error = `HTTP ${status}`
      } catch (err) {
        error = err instanceof Error ? `${err.message}${err.cause instanceof Error ? `: ${err.cause.message}` : ''}` : String(err)
      }
    }
    const ok = error === null
    const attempts = d.attempts + 1
    const retryAt = ok || !d.url || attempts >= this.config.maxAttempts ? null : Date.now() + retryDelay(this.config, attempts)
    if (this.stopped && !ok) {
      // Stopping: leave it claimed; the claim lapses and the next start sends it again.
      return
    }
    const settled = await this.store.settle(d.id, this.config.instance, { ok, status, error, retryAt })
    this.log[ok ? 'debug' : 'warn']({ delivery: d.id, event: d.eventId, url: d.url, status, error, attempts, retryAt, settled }, ok ? 'webhook delivered' : 'webhook delivery failed')
  }
}
