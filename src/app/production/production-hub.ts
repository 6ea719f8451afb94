import { sql } from 'kysely'
import type { Stores } from '../stores.ts'
import { orderFromRow, type Actor } from '../../store/records-store.ts'
import { fullName } from '../../domain/records.ts'
import { byLateness, daysLate, summarize, type TrackSummary } from '../../domain/production-hub.ts'
import { DEFAULT_ORDER_TYPE, findStatus, trackFor } from '../../domain/status-track.ts'
import { advanceStatus, type AdvanceResult } from '../advance-status.ts'
import { orderView } from '../record-views.ts'
import { ConcurrentChangeError } from '../../domain/errors.ts'

export interface HubOrder {
  id: number
  number: number
  barcode: string | null
  orderType: string
  vendor: string
  status: { key: string; name: string }
  statusDueDate: string | null
  daysLate: number
  client: { id: number; name: string } | null
  version: number
}

export interface OrderFilter {
  status?: string
  /** A track (its order type); `default` also holds order types without a track of their own. */
  track?: string
  lateOnly?: boolean
  limit: number
}

/** The studio's date today in its time zone (the studio header's `timeZone`). */
async function studioToday(stores: Stores): Promise<string> {
  const zone = (await stores.settings.studio()).timeZone || 'UTC'
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(stores.clock())
  } catch {
    return stores.clock().toISOString().slice(0, 10)
  }
}

/** Counts per status for each track, orders in a status by lateness, and status changes by hand. */
export class ProductionHub {
  constructor(private readonly stores: Stores) {}

  async summary(): Promise<{ today: string; tracks: TrackSummary[] }> {
    const today = await studioToday(this.stores)
    const rows = await this.stores.database.db
      .selectFrom('production_orders')
      .select((eb) => ['order_type', 'status', eb.fn.countAll<number>().as('n'), sql<number>`SUM(CASE WHEN status_due_date < ${today} THEN 1 ELSE 0 END)`.as('late')])
      .groupBy(['order_type', 'status'])
      .execute()
    const tracks = await this.stores.settings.tracks()
    // Late counts only where lateness means something: not at a final or terminal status.
    const counts = rows.map((r) => {
      const kind = findStatus(trackFor(tracks, r.order_type), r.status)?.kind
      return { orderType: r.order_type, status: r.status, count: Number(r.n), late: kind === 'final' || kind === 'terminal' ? 0 : Number(r.late ?? 0) }
    })
    return { today, tracks: summarize(tracks, counts) }
  }

  async orders(filter: OrderFilter): Promise<{ today: string; items: HubOrder[]; truncated: boolean }> {
    const today = await studioToday(this.stores)
    const tracks = await this.stores.settings.tracks()
    let q = this.stores.database.db.selectFrom('production_orders').selectAll()
    if (filter.status) q = q.where('production_orders.status', '=', filter.status)
    if (filter.track) {
      const others = tracks.map((t) => t.orderType).filter((t) => t !== DEFAULT_ORDER_TYPE)
      q = filter.track === DEFAULT_ORDER_TYPE && others.length ? q.where('production_orders.order_type', 'not in', others) : filter.track === DEFAULT_ORDER_TYPE ? q : q.where('production_orders.order_type', '=', filter.track)
    }
    if (filter.lateOnly) q = q.where('production_orders.status_due_date', '<', today)
    // Late first: the earliest due dates are the latest orders.
    const rows = await q.orderBy('production_orders.status_due_date').orderBy('production_orders.id').limit(filter.limit + 1).execute()
    const clients = new Map<number, string>()
    for (const r of rows) {
      if (r.client_id !== null && !clients.has(Number(r.client_id))) {
        const c = await this.stores.clients.find(Number(r.client_id))
        if (c) clients.set(c.id, fullName(c))
      }
    }
    const items: HubOrder[] = []
    for (const r of rows.slice(0, filter.limit)) {
      const order = orderView(orderFromRow(r))
      const status = findStatus(trackFor(tracks, order.orderType), order.status)
      const final = status?.kind === 'final' || status?.kind === 'terminal'
      const late = final ? 0 : daysLate(order.statusDueDate, today)
      if (filter.lateOnly && late === 0) continue
      items.push({
        id: order.id,
        number: order.number,
        barcode: order.barcode,
        orderType: order.orderType,
        vendor: order.vendor,
        status: { key: order.status, name: status?.name ?? order.status },
        statusDueDate: order.statusDueDate,
        daysLate: late,
        client: order.clientId !== null && clients.has(order.clientId) ? { id: order.clientId, name: clients.get(order.clientId)! } : null,
        version: order.version,
      })
    }
    return { today, items: items.sort(byLateness), truncated: rows.length > filter.limit }
  }

  /**
   * A person changes an order's status by hand, with a reason (the history row keeps who, where and
   * why) — how a held order is released. `version`: the version the person saw; when the order
   * changed since (a stale screen, a double click) nothing is changed: 409 CONCURRENT_CHANGE.
   */
  async changeStatus(id: number, input: { to: string; reason: string; version?: number }, actor: Actor): Promise<AdvanceResult> {
    const order = await this.stores.orders.get(id)
    if (input.version !== undefined && input.version !== order.version) throw new ConcurrentChangeError(order)
    return advanceStatus(this.stores, order, input.to, { ...actor, reason: input.reason }, 'person')
  }
}
