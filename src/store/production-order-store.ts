import type { Kysely, Selectable } from 'kysely'
import type { Database } from './schema.ts'
import type { ProductionOrder, StatusHistoryEntry } from '../domain/records.ts'
import type { OrderCreate, OrderPatch } from '../domain/inputs.ts'
import { ConflictError, ProductionOrderNumberTakenError } from '../domain/errors.ts'
import { dueDate, initialStatus, type StatusTrack } from '../domain/status-track.ts'
import { nextNumber } from './sequences.ts'
import { isDeadlock, isUniqueViolation } from './sql-errors.ts'
import { iso, today, type Page } from './json.ts'
import { fieldsOf, merge, mustExist, recordRow, RecordStore, rowMapper, type Clock, type RecordFields, type Trx } from './record-row.ts'

type OrderColumns = Pick<ProductionOrder, 'productionOrderNumber' | 'clientId' | 'sessionId' | 'orderType' | 'status' | 'statusDueDate' | 'version'>

const orders = rowMapper<ProductionOrder>()({
  columns: ['productionOrderNumber', 'clientId', 'sessionId', 'orderType', 'status', 'statusDueDate', 'version'],
  read: (row: Selectable<Database['production_orders']>): OrderColumns => ({
    productionOrderNumber: row.production_order_number === null ? null : Number(row.production_order_number),
    clientId: row.client_id === null ? null : Number(row.client_id),
    sessionId: row.session_id === null ? null : Number(row.session_id),
    orderType: row.order_type,
    status: row.status,
    statusDueDate: row.status_due_date,
    version: Number(row.version),
  }),
  write: (o: OrderColumns) => ({
    production_order_number: o.productionOrderNumber,
    client_id: o.clientId,
    session_id: o.sessionId,
    order_type: o.orderType,
    status: o.status,
    status_due_date: o.statusDueDate,
    version: o.version,
  }),
})

export function orderFromRow(row: Selectable<Database['production_orders']>): ProductionOrder {
  return orders.fromRow(row)
}

/** Order lines as stored: image number and description are null when not given. */
const orderLines = (lines: OrderCreate['lines']): ProductionOrder['lines'] =>
  lines.map((l) => ({ ...l, imageNumber: l.imageNumber ?? null, description: l.description ?? null }))

export interface Actor {
  /** Who: the token's label or id. */
  by: string
  station: string | null
  /** Why, when a person changes a status by hand (kept in the history row). */
  reason?: string | null
}

export class ProductionOrderStore extends RecordStore<'production_orders', ProductionOrder> {
  constructor(db: Kysely<Database>, clock: Clock = () => new Date()) {
    super(db, clock, 'production_orders', 'Production order', orderFromRow)
  }

  async create(input: OrderCreate, track: StatusTrack, actor: Actor): Promise<ProductionOrder> {
    const nowDate = this.clock()
    const now = nowDate.getTime()
    const initial = initialStatus(track)
    const id = await this.db.transaction().execute(async (trx) => {
      if (input.clientId) await mustExist(trx, 'clients', input.clientId, 'client')
      if (input.sessionId) await mustExist(trx, 'sessions', input.sessionId, 'session')
      for (const invoiceId of input.invoiceIds) await mustExist(trx, 'invoices', invoiceId, 'invoice')
      const number = await nextNumber(trx, 'production-order')
      const fields: RecordFields<ProductionOrder> = {
        productionOrderNumber: await this.resolveNumber(trx, input.productionOrderNumber ?? null),
        clientId: input.clientId ?? null,
        sessionId: input.sessionId ?? null,
        orderType: input.orderType,
        status: initial.key,
        statusDueDate: dueDate(nowDate, initial.durationDays),
        version: 0,
        invoiceIds: input.invoiceIds,
        vendor: input.vendor,
        vendorAddress: input.vendorAddress,
        orderDate: input.orderDate ?? today(nowDate),
        studioNotes: input.studioNotes ?? null,
        vendorNotes: input.vendorNotes ?? null,
        lines: orderLines(input.lines),
      }
      const orderId = await this.write(fields.productionOrderNumber, () =>
        trx
          .insertInto('production_orders')
          .values({ number, ...orders.columns(fields), created_at: now, updated_at: now })
          .executeTakeFirstOrThrow()
          .then((result) => Number(result.insertId)),
      )
      await trx.insertInto('status_history').values({ order_id: orderId, from_status: null, to_status: initial.key, at: now, by_who: actor.by, station: actor.station }).execute()
      return orderId
    })
    return this.get(id)
  }

  /** Runs an insert or update that sets a production order number: a number another order holds is 409 PRODUCTION_ORDER_NUMBER_TAKEN. */
  private async write<T>(productionOrderNumber: number | null, statement: () => Promise<T>): Promise<T> {
    try {
      return await statement()
    } catch (err) {
      if (isUniqueViolation(err) && productionOrderNumber !== null) throw new ProductionOrderNumberTakenError(productionOrderNumber)
      throw err
    }
  }

  /** 'auto' draws the next free number from the database's sequence; a number is taken as given. */
  private async resolveNumber(trx: Trx, wanted: number | 'auto' | null): Promise<number | null> {
    if (wanted !== 'auto') return wanted
    for (let attempt = 0; attempt < 1000; attempt++) {
      const candidate = await nextNumber(trx, 'production-order-number')
      const taken = await trx.selectFrom('production_orders').select('id').where('production_order_number', '=', candidate).executeTakeFirst()
      if (!taken) return candidate
    }
    throw new Error('no free production order number in 1000 tries')
  }

  async findByProductionOrderNumber(number: number): Promise<ProductionOrder | undefined> {
    const row = await this.db.selectFrom('production_orders').selectAll().where('production_order_number', '=', number).executeTakeFirst()
    return row && orders.fromRow(row)
  }

  async list(limit: number, after: number, filter: { status?: string; clientId?: number } = {}): Promise<Page<ProductionOrder>> {
    let q = this.db.selectFrom('production_orders').selectAll().where('id', '>', after)
    if (filter.status) q = q.where('status', '=', filter.status)
    if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId)
    const rows = await q.orderBy('id').limit(limit + 1).execute()
    return this.page(rows, limit)
  }

  /**
   * Changes the fields the patch names and nothing else. The status, its due date and the
   * version are the advance's (applyAdvance): a patch never writes them.
   */
  patch(id: number, patch: OrderPatch): Promise<ProductionOrder> {
    return this.modify(id, async (trx, current, now) => {
      const { productionOrderNumber, lines, ...rest } = patch
      if (rest.clientId) await mustExist(trx, 'clients', rest.clientId, 'client')
      if (rest.sessionId) await mustExist(trx, 'sessions', rest.sessionId, 'session')
      for (const invoiceId of rest.invoiceIds ?? []) await mustExist(trx, 'invoices', invoiceId, 'invoice')
      const next = merge(fieldsOf(current), rest)
      if (lines !== undefined) next.lines = orderLines(lines)
      if (productionOrderNumber !== undefined) next.productionOrderNumber = await this.assignNumber(trx, current, productionOrderNumber)
      const { production_order_number, client_id, session_id, data } = orders.columns(next)
      await this.write(next.productionOrderNumber, () =>
        trx.updateTable('production_orders').set({ production_order_number, client_id, session_id, data, updated_at: now }).where('id', '=', id).execute(),
      )
    })
  }

  /** The number an order gets: a number or the next free one ('auto'); an assigned number never changes (409). */
  private async assignNumber(trx: Trx, current: ProductionOrder, wanted: number | 'auto'): Promise<number | null> {
    if (current.productionOrderNumber === null) return this.resolveNumber(trx, wanted)
    if (wanted === current.productionOrderNumber) return wanted
    throw new ConflictError(
      'PRODUCTION_ORDER_NUMBER_ALREADY_ASSIGNED',
      `This order already has production order number ${current.productionOrderNumber}; labels printed with it would stop scanning.`,
      { productionOrderNumber: current.productionOrderNumber },
    )
  }

  /**
   * Moves an order from `from` to `to` as a compare-and-set on its version, and writes the
   * history row in the same transaction. Returns false when another writer changed the order
   * first (nothing written): the caller re-reads; it never re-applies. `alsoWrite` runs in the
   * same transaction after the change (the scan-log row of a scan): it fails, nothing is changed.
   */
  async applyAdvance(
    order: Pick<ProductionOrder, 'id' | 'status' | 'version'>,
    to: string,
    statusDueDate: string,
    actor: Actor,
    at: Date = this.clock(),
    alsoWrite?: (trx: Trx) => Promise<void>,
  ): Promise<boolean> {
    const now = at.getTime()
    // InnoDB may pick this transaction as a deadlock victim (two stations' advances each write a
    // row to the other's scan log, locking station rows in opposite order); it rolled back whole,
    // so it is tried again, a few times, before the error reaches the caller.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.advanceOnce(order, to, statusDueDate, actor, now, alsoWrite)
      } catch (err) {
        if (attempt >= 4 || !isDeadlock(err)) throw err
      }
    }
  }

  private advanceOnce(order: Pick<ProductionOrder, 'id' | 'status' | 'version'>, to: string, statusDueDate: string, actor: Actor, now: number, alsoWrite?: (trx: Trx) => Promise<void>): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      // Racing advances queue on the order's row first. Without this, on MariaDB two UPDATEs that
      // both change the status (a secondary index) can deadlock on its index entries, and one of
      // them fails with an error instead of losing the race.
      await recordRow(trx, 'production_orders', { id: order.id }, { forUpdate: true })
      const result = await trx
        .updateTable('production_orders')
        .set({ status: to, status_due_date: statusDueDate, version: order.version + 1, updated_at: now })
        .where('id', '=', order.id)
        .where('status', '=', order.status)
        .where('version', '=', order.version)
        .executeTakeFirst()
      if (Number(result.numUpdatedRows) !== 1) return false
      await trx.insertInto('status_history').values({ order_id: order.id, from_status: order.status, to_status: to, at: now, by_who: actor.by, station: actor.station, reason: actor.reason ?? null }).execute()
      if (alsoWrite) await alsoWrite(trx)
      return true
    })
  }

  async history(orderId: number): Promise<StatusHistoryEntry[]> {
    const rows = await this.db.selectFrom('status_history').selectAll().where('order_id', '=', orderId).orderBy('id').execute()
    return rows.map((r) => ({
      id: Number(r.id),
      orderId: Number(r.order_id),
      fromStatus: r.from_status,
      toStatus: r.to_status,
      at: iso(r.at),
      by: r.by_who,
      station: r.station,
      reason: r.reason ?? null,
    }))
  }
}

