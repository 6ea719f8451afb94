import { sql, type Generated, type Kysely, type Selectable } from 'kysely'
import { NotFoundError } from '../../domain/errors.ts'
import type { WebhookEvent } from './webhook-rules.ts'

export interface WebhookEndpoint {
  id: number
  url: string
  events: WebhookEvent[]
  description: string | null
  active: boolean
  createdAt: string
  updatedAt: string
}

export interface DueDelivery {
  id: number
  eventId: number
  endpointId: number
  attempts: number
  type: string
  payload: string
  eventCreatedAt: number
  url: string
  secret: string
}

export interface DeliveryView {
  id: number
  eventId: number
  type: string
  state: 'pending' | 'delivered' | 'failed'
  attempts: number
  lastStatus: number | null
  lastError: string | null
  nextAttemptAt: string | null
  createdAt: string
  deliveredAt: string | null
}

/* Tables of migration 0013 (kept here: this feature's own). */
interface Tables {
  webhook_endpoints: { id: Generated<number>; url: string; events: string; secret: string; description: string | null; active: number; created_at: number; updated_at: number }
  webhook_events: { id: Generated<number>; type: string; payload: string; created_at: number; fanned_out: number }
  webhook_deliveries: {
    id: Generated<number>
    event_id: number
    endpoint_id: number
    state: string
    attempts: number
    next_attempt_at: number
    claimed_by: string | null
    claim_until: number | null
    last_status: number | null
    last_error: string | null
    created_at: number
    updated_at: number
    delivered_at: number | null
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString())

function endpointOf(r: Selectable<Tables['webhook_endpoints']>): WebhookEndpoint {
  return { id: Number(r.id), url: r.url, events: r.events.split(',').filter(Boolean) as WebhookEvent[], description: r.description, active: Number(r.active) === 1, createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)! }
}

/** Endpoints, the events outbox and the delivery log. */
export class WebhookStore {
  private readonly db: Kysely<Tables>
  constructor(db: Kysely<unknown>, private readonly now: () => number = Date.now) {
    this.db = db as unknown as Kysely<Tables>
  }

  async create(input: { url: string; events: WebhookEvent[]; secret: string; description: string | null }): Promise<WebhookEndpoint> {
    const at = this.now()
    const r = await this.db.insertInto('webhook_endpoints').values({ url: input.url, events: input.events.join(','), secret: input.secret, description: input.description, active: 1, created_at: at, updated_at: at }).executeTakeFirstOrThrow()
    return this.get(Number(r.insertId))
  }

  async get(id: number): Promise<WebhookEndpoint> {
    const r = await this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst()
    if (!r) throw new NotFoundError(`Webhook ${id}`, { id }, 'WEBHOOK_NOT_FOUND')
    return endpointOf(r)
  }

  async list(): Promise<WebhookEndpoint[]> {
    return (await this.db.selectFrom('webhook_endpoints').selectAll().orderBy('id').execute()).map(endpointOf)
  }

  async update(id: number, change: { url?: string; events?: WebhookEvent[]; secret?: string; description?: string | null; active?: boolean }): Promise<WebhookEndpoint> {
    await this.get(id)
    await this.db
      .updateTable('webhook_endpoints')
      .set({
        ...(change.url !== undefined ? { url: change.url } : {}),
        ...(change.events !== undefined ? { events: change.events.join(',') } : {}),
        ...(change.secret !== undefined ? { secret: change.secret } : {}),
        ...(change.description !== undefined ? { description: change.description } : {}),
        ...(change.active !== undefined ? { active: change.active ? 1 : 0 } : {}),
        updated_at: this.now(),
      })
      .where('id', '=', id)
      .execute()
    return this.get(id)
  }

  /** Removes the endpoint; its deliveries still pending end failed (the log stays). */
  async delete(id: number): Promise<void> {
    await this.get(id)
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('webhook_deliveries').set({ state: 'failed', last_error: 'endpoint deleted', claimed_by: null, claim_until: null, updated_at: this.now() }).where('endpoint_id', '=', id).where('state', '=', 'pending').execute()
      await trx.deleteFrom('webhook_endpoints').where('id', '=', id).execute()
    })
  }

  /**
   * Makes the deliveries of events no dispatcher has handled yet: one per active endpoint that
   * wants the event's type. Each event is taken by exactly one dispatcher (compare-and-set on
   * fanned_out), and (event, endpoint) is unique, so two servers never make a delivery twice.
   * One transaction per batch (not per event: every print job makes several events); events no
   * endpoint wants are marked in one statement.
   */
  async fanOut(limit = 200): Promise<number> {
    const events = await this.db.selectFrom('webhook_events').select(['id', 'type']).where('fanned_out', '=', 0).orderBy('id').limit(limit).execute()
    if (events.length === 0) return 0
    const endpoints = (await this.db.selectFrom('webhook_endpoints').selectAll().where('active', '=', 1).execute()).map(endpointOf)
    const wanted = (e: { type: string }) => endpoints.filter((p) => p.events.includes(e.type as WebhookEvent))
    const unwanted = events.filter((e) => wanted(e).length === 0).map((e) => Number(e.id))
    return this.db.transaction().execute(async (trx) => {
      let made = 0
      if (unwanted.length > 0) await trx.updateTable('webhook_events').set({ fanned_out: 1 }).where('id', 'in', unwanted).where('fanned_out', '=', 0).execute()
      // In id order, as every dispatcher takes them. Should two servers' batches still deadlock
      // (MariaDB), the loser's transaction rolls back whole and its events are taken at the next poll.
      for (const e of events) {
        const to = wanted(e)
        if (to.length === 0) continue
        const took = await trx.updateTable('webhook_events').set({ fanned_out: 1 }).where('id', '=', e.id).where('fanned_out', '=', 0).executeTakeFirst()
        if (Number(took.numUpdatedRows) !== 1) continue
        const at = this.now()
        const rows = to.map((p) => ({ event_id: Number(e.id), endpoint_id: p.id, state: 'pending', attempts: 0, next_attempt_at: at, claimed_by: null, claim_until: null, last_status: null, last_error: null, created_at: at, updated_at: at, delivered_at: null }))
        await trx.insertInto('webhook_deliveries').values(rows).execute()
        made += rows.length
      }
      return made
    })
  }

  /** Claims up to `limit` due deliveries for `instance` until `claimMs` from now (a crashed claimer's lapse). */
  async claimDue(instance: string, claimMs: number, limit = 20): Promise<DueDelivery[]> {
    const now = this.now()
    const due = await this.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('state', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('claim_until', 'is', null), eb('claim_until', '<', now)]))
      .orderBy('id')
      .limit(limit)
      .execute()
    const claimed: number[] = []
    for (const { id } of due) {
      const r = await this.db
        .updateTable('webhook_deliveries')
        .set({ claimed_by: instance, claim_until: now + claimMs })
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .where((eb) => eb.or([eb('claim_until', 'is', null), eb('claim_until', '<', now)]))
        .executeTakeFirst()
      if (Number(r.numUpdatedRows) === 1) claimed.push(Number(id))
    }
    if (claimed.length === 0) return []
    const rows = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
      .leftJoin('webhook_endpoints as p', 'p.id', 'd.endpoint_id')
      .select(['d.id', 'd.event_id', 'd.endpoint_id', 'd.attempts', 'e.type', 'e.payload', 'e.created_at', 'p.url', 'p.secret'])
      .where('d.id', 'in', claimed)
      .orderBy('d.id')
      .execute()
    return rows.map((r) => ({ id: Number(r.id), eventId: Number(r.event_id), endpointId: Number(r.endpoint_id), attempts: Number(r.attempts), type: r.type, payload: r.payload, eventCreatedAt: Number(r.created_at), url: r.url ?? '', secret: r.secret ?? '' }))
  }

  /** Records an attempt's outcome; only the claimer may (a lapsed claim is someone else's now). */
  async settle(id: number, instance: string, outcome: { ok: boolean; status: number | null; error: string | null; retryAt: number | null }): Promise<boolean> {
    const at = this.now()
    const r = await this.db
      .updateTable('webhook_deliveries')
      .set({
        attempts: sql`attempts + 1`,
        state: outcome.ok ? 'delivered' : outcome.retryAt === null ? 'failed' : 'pending',
        next_attempt_at: outcome.retryAt ?? at,
        last_status: outcome.status,
        last_error: outcome.error === null ? null : outcome.error.slice(0, 1000),
        delivered_at: outcome.ok ? at : null,
        claimed_by: null,
        claim_until: null,
        updated_at: at,
      })
      .where('id', '=', id)
      .where('claimed_by', '=', instance)
      .where('state', '=', 'pending')
      .executeTakeFirst()
    return Number(r.numUpdatedRows) === 1
  }

  async deliveries(endpointId: number, limit: number, before: number | null): Promise<DeliveryView[]> {
    await this.get(endpointId)
    let q = this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_events as e', 'e.id', 'd.event_id')
      .select(['d.id', 'd.event_id', 'e.type', 'd.state', 'd.attempts', 'd.last_status', 'd.last_error', 'd.next_attempt_at', 'd.created_at', 'd.delivered_at'])
      .where('d.endpoint_id', '=', endpointId)
    if (before !== null) q = q.where('d.id', '<', before)
    const rows = await q.orderBy('d.id', 'desc').limit(limit).execute()
    return rows.map((r) => ({
      id: Number(r.id),
      eventId: Number(r.event_id),
      type: r.type,
      state: r.state as DeliveryView['state'],
      attempts: Number(r.attempts),
      lastStatus: r.last_status === null ? null : Number(r.last_status),
      lastError: r.last_error,
      nextAttemptAt: r.state === 'pending' ? iso(r.next_attempt_at) : null,
      createdAt: iso(r.created_at)!,
      deliveredAt: iso(r.delivered_at),
    }))
  }

  /** Deliveries not yet delivered nor given up. */
  async pendingCount(): Promise<number> {
    const r = await this.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<number>().as('n')).where('state', '=', 'pending').executeTakeFirstOrThrow()
    return Number(r.n)
  }
}
