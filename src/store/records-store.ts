import { sql, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { Database } from './schema.ts'
import type { Client, Invoice, ProductionOrder, Session, StatusHistoryEntry } from '../domain/records.ts'
import type { ClientCreate, ClientPatch, InvoiceCreate, InvoicePatch, OrderCreate, OrderPatch, SessionCreate, SessionPatch } from '../domain/inputs.ts'
import { AppError, ConflictError, NotFoundError } from '../domain/errors.ts'
import { dueDate, initialStatus, type StatusTrack } from '../domain/status-track.ts'
import { nextNumber } from './sequences.ts'
import { isUniqueViolation } from './sql-errors.ts'
import { iso, parseData, today, toPage, type Page } from './json.ts'

type Trx = Transaction<Database>
export type Clock = () => Date

export class ReferenceMissingError extends AppError {
  constructor(what: string, id: number) {
    super('REFERENCE_NOT_FOUND', 'unprocessable', `The ${what} ${id} does not exist.`, { [what]: id })
  }
}

async function mustExist(trx: Trx, table: 'clients' | 'sessions' | 'invoices', id: number, what: string): Promise<void> {
  const row = await trx.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()
  if (!row) throw new ReferenceMissingError(what, id)
}

// ---------------------------------------------------------------- clients
type ClientData = Omit<Client, 'id' | 'number' | 'lastName' | 'firstName' | 'createdAt' | 'updatedAt'>
type ClientRow = Database['clients']

function clientFromRow(row: { id: number; number: number; last_name: string; first_name: string; data: string; created_at: number; updated_at: number }): Client {
  const data = parseData<ClientData>(row.data)
  return { id: Number(row.id), number: Number(row.number), lastName: row.last_name, firstName: row.first_name, ...data, createdAt: iso(row.created_at), updatedAt: iso(row.updated_at) }
}

function clientData(c: Omit<Client, 'id' | 'number' | 'createdAt' | 'updatedAt'>): string {
  const { lastName: _l, firstName: _f, ...rest } = c
  return JSON.stringify(rest)
}

export class ClientStore {
  constructor(private readonly db: Kysely<Database>, private readonly clock: Clock = () => new Date()) {}

  async create(input: ClientCreate): Promise<Client> {
    const now = this.clock().getTime()
    const value: Omit<Client, 'id' | 'number' | 'createdAt' | 'updatedAt'> = {
      lastName: input.lastName,
      firstName: input.firstName,
      salutation: input.salutation ?? null,
      organization: input.organization ?? null,
      addresses: input.addresses,
      phones: input.phones,
      email: input.email ?? null,
      status: input.status,
      familyMembers: input.familyMembers,
      leadSource: input.leadSource ?? null,
      notes: input.notes ?? null,
    }
    const id = await this.db.transaction().execute(async (trx) => {
      const number = await nextNumber(trx, 'client')
      const row: Omit<ClientRow, 'id'> = { number, last_name: value.lastName, first_name: value.firstName, data: clientData(value), created_at: now, updated_at: now }
      const result = await trx.insertInto('clients').values(row).executeTakeFirstOrThrow()
      return Number(result.insertId)
    })
    return this.get(id)
  }

  async find(id: number): Promise<Client | undefined> {
    const row = await this.db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst()
    return row && clientFromRow(row)
  }

  async get(id: number): Promise<Client> {
    const found = await this.find(id)
    if (!found) throw new NotFoundError(`Client ${id}`, { id }, 'RECORD_NOT_FOUND')
    return found
  }

  async findByNumber(number: number): Promise<Client | undefined> {
    const row = await this.db.selectFrom('clients').selectAll().where('number', '=', number).executeTakeFirst()
    return row && clientFromRow(row)
  }

  /**
   * A page of clients; with `q`, only those whose name, organization, email, phone or notes
   * contain it (any case; every word of `q` must match somewhere).
   */
  async list(limit: number, after: number, filter: { q?: string } = {}): Promise<Page<Client>> {
    let q = this.db.selectFrom('clients').selectAll().where('id', '>', after)
    const text = (filter.q ?? '').toLowerCase().trim()
    // A phone number typed with spaces is one term, not several words.
    const words = /^[\d\s()+.-]+$/.test(text) ? [text.replace(/\s+/g, '')] : text.split(/\s+/).filter(Boolean).slice(0, 8)
    for (const word of words) {
      const pattern = `%${word.replace(/[!%_]/g, (c) => `!${c}`)}%`
      // A phone number matches however it is punctuated: 2075550111 finds (207) 555-0111.
      const digits = /^[\d()+.-]+$/.test(word) ? word.replace(/\D/g, '') : ''
      q = q.where((eb) =>
        eb.or([
          eb(sql`lower(last_name)`, 'like', sql`${pattern} escape '!'`),
          eb(sql`lower(first_name)`, 'like', sql`${pattern} escape '!'`),
          // email, phones, organization, family and notes live in the JSON text.
          eb(sql`lower(data)`, 'like', sql`${pattern} escape '!'`),
          ...(digits.length >= 4
            ? [eb(sql`replace(replace(replace(replace(replace(replace(data, ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''), '+', '')`, 'like', `%${digits}%`)]
            : []),
        ]),
      )
    }
    const rows = await q.orderBy('id').limit(limit + 1).execute()
    return toPage(rows.map(clientFromRow), limit)
  }

  async patch(id: number, patch: ClientPatch): Promise<Client> {
    const now = this.clock().getTime()
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst()
      if (!row) throw new NotFoundError(`Client ${id}`, { id }, 'RECORD_NOT_FOUND')
      const { id: _i, number: _n, createdAt: _c, updatedAt: _u, ...current } = clientFromRow(row)
      const next = { ...current, ...stripUndefined(patch) }
      await trx
        .updateTable('clients')
        .set({ last_name: next.lastName, first_name: next.firstName, data: clientData(next), updated_at: now })
        .where('id', '=', id)
        .execute()
    })
    return this.get(id)
  }
}

// ---------------------------------------------------------------- sessions
type SessionData = Omit<Session, 'id' | 'number' | 'clientId' | 'startsAt' | 'photographer' | 'createdAt' | 'updatedAt'>

function sessionFromRow(row: Selectable<Database['sessions']>): Session {
  const data = parseData<SessionData>(row.data)
  return {
    id: Number(row.id),
    number: Number(row.number),
    clientId: Number(row.client_id),
    startsAt: iso(row.starts_at),
    photographer: row.photographer,
    ...data,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }
}

function sessionColumns(s: Omit<Session, 'id' | 'number' | 'createdAt' | 'updatedAt'>) {
  const { clientId, startsAt, photographer, ...rest } = s
  return { client_id: clientId, starts_at: Date.parse(startsAt), photographer, data: JSON.stringify(rest) }
}

export class SessionStore {
  constructor(private readonly db: Kysely<Database>, private readonly clock: Clock = () => new Date()) {}

  async create(input: SessionCreate): Promise<Session> {
    const now = this.clock().getTime()
    const value: Omit<Session, 'id' | 'number' | 'createdAt' | 'updatedAt'> = {
      clientId: input.clientId,
      sessionType: input.sessionType,
      startsAt: new Date(input.startsAt).toISOString(),
      endsAt: new Date(input.endsAt).toISOString(),
      location: input.location,
      photographer: input.photographer,
      assistant: input.assistant ?? null,
      bookedBy: input.bookedBy ?? null,
      status: input.status,
      confirmedBy: input.confirmedBy ?? null,
      confirmedAt: input.confirmedAt ? new Date(input.confirmedAt).toISOString() : null,
      notes: input.notes ?? null,
      fee: input.fee,
      deposit: input.deposit,
    }
    const id = await this.db.transaction().execute(async (trx) => {
      await mustExist(trx, 'clients', value.clientId, 'client')
      const number = await nextNumber(trx, 'session')
      const result = await trx
        .insertInto('sessions')
        .values({ number, ...sessionColumns(value), created_at: now, updated_at: now })
        .executeTakeFirstOrThrow()
      return Number(result.insertId)
    })
    return this.get(id)
  }

  async find(id: number): Promise<Session | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst()
    return row && sessionFromRow(row)
  }

  async get(id: number): Promise<Session> {
    const found = await this.find(id)
    if (!found) throw new NotFoundError(`Session ${id}`, { id }, 'RECORD_NOT_FOUND')
    return found
  }

  async findByNumber(number: number): Promise<Session | undefined> {
    const row = await this.db.selectFrom('sessions').selectAll().where('number', '=', number).executeTakeFirst()
    return row && sessionFromRow(row)
  }

  async listByClient(clientId: number): Promise<Session[]> {
    const rows = await this.db.selectFrom('sessions').selectAll().where('client_id', '=', clientId).orderBy('starts_at').execute()
    return rows.map(sessionFromRow)
  }

  async list(limit: number, after: number, filter: { clientId?: number } = {}): Promise<Page<Session>> {
    let q = this.db.selectFrom('sessions').selectAll().where('id', '>', after)
    if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId)
    const rows = await q.orderBy('id').limit(limit + 1).execute()
    return toPage(rows.map(sessionFromRow), limit)
  }

  async patch(id: number, patch: SessionPatch): Promise<Session> {
    const now = this.clock().getTime()
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst()
      if (!row) throw new NotFoundError(`Session ${id}`, { id }, 'RECORD_NOT_FOUND')
      const { id: _i, number: _n, createdAt: _c, updatedAt: _u, ...current } = sessionFromRow(row)
      const next = { ...current, ...stripUndefined(patch) }
      next.startsAt = new Date(next.startsAt).toISOString()
      next.endsAt = new Date(next.endsAt).toISOString()
      if (Date.parse(next.endsAt) < Date.parse(next.startsAt)) {
        throw new AppError('VALIDATION_FAILED', 'invalid', 'endsAt must not be before startsAt', { problems: [{ path: 'endsAt', message: 'before startsAt' }] })
      }
      if (patch.clientId !== undefined) await mustExist(trx, 'clients', patch.clientId, 'client')
      await trx.updateTable('sessions').set({ ...sessionColumns(next), updated_at: now }).where('id', '=', id).execute()
    })
    return this.get(id)
  }
}

// ---------------------------------------------------------------- invoices
type InvoiceData = Omit<Invoice, 'id' | 'number' | 'clientId' | 'billToClientId' | 'sessionId' | 'createdAt' | 'updatedAt'>

function invoiceFromRow(row: Selectable<Database['invoices']>): Invoice {
  const data = parseData<InvoiceData>(row.data)
  return {
    id: Number(row.id),
    number: Number(row.number),
    clientId: Number(row.client_id),
    billToClientId: Number(row.bill_to_client_id),
    sessionId: row.session_id === null ? null : Number(row.session_id),
    ...data,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }
}

function invoiceColumns(i: Omit<Invoice, 'id' | 'number' | 'createdAt' | 'updatedAt'>) {
  const { clientId, billToClientId, sessionId, ...rest } = i
  return { client_id: clientId, bill_to_client_id: billToClientId, session_id: sessionId, data: JSON.stringify(rest) }
}

export class InvoiceStore {
  constructor(private readonly db: Kysely<Database>, private readonly clock: Clock = () => new Date()) {}

  async create(input: InvoiceCreate): Promise<Invoice> {
    const nowDate = this.clock()
    const now = nowDate.getTime()
    const value: Omit<Invoice, 'id' | 'number' | 'createdAt' | 'updatedAt'> = {
      invoiceType: input.invoiceType,
      sessionId: input.sessionId ?? null,
      clientId: input.clientId,
      billToClientId: input.billToClientId ?? input.clientId,
      invoiceDate: input.invoiceDate ?? today(nowDate),
      lines: input.lines.map((l) => ({ ...l, imageNumber: l.imageNumber ?? null })),
      discount: input.discount,
      tax: input.tax,
      shipping: input.shipping,
      payments: input.payments,
      terms: input.terms ?? null,
    }
    const id = await this.db.transaction().execute(async (trx) => {
      await this.checkReferences(trx, value)
      const number = await nextNumber(trx, 'invoice')
      const result = await trx.insertInto('invoices').values({ number, ...invoiceColumns(value), created_at: now, updated_at: now }).executeTakeFirstOrThrow()
      return Number(result.insertId)
    })
    return this.get(id)
  }

  private async checkReferences(trx: Trx, value: Pick<Invoice, 'clientId' | 'billToClientId' | 'sessionId'>): Promise<void> {
    await mustExist(trx, 'clients', value.clientId, 'client')
    if (value.billToClientId !== value.clientId) await mustExist(trx, 'clients', value.billToClientId, 'client')
    if (value.sessionId !== null) await mustExist(trx, 'sessions', value.sessionId, 'session')
  }

  async find(id: number): Promise<Invoice | undefined> {
    const row = await this.db.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst()
    return row && invoiceFromRow(row)
  }

  async get(id: number): Promise<Invoice> {
    const found = await this.find(id)
    if (!found) throw new NotFoundError(`Invoice ${id}`, { id }, 'RECORD_NOT_FOUND')
    return found
  }

  async findByNumber(number: number): Promise<Invoice | undefined> {
    const row = await this.db.selectFrom('invoices').selectAll().where('number', '=', number).executeTakeFirst()
    return row && invoiceFromRow(row)
  }

  async listByClient(clientId: number): Promise<Invoice[]> {
    const rows = await this.db
      .selectFrom('invoices')
      .selectAll()
      .where((eb) => eb.or([eb('client_id', '=', clientId), eb('bill_to_client_id', '=', clientId)]))
      .orderBy('id')
      .execute()
    return rows.map(invoiceFromRow)
  }

  async findMany(ids: number[]): Promise<Invoice[]> {
    if (ids.length === 0) return []
    const rows = await this.db.selectFrom('invoices').selectAll().where('id', 'in', ids).orderBy('id').execute()
    return rows.map(invoiceFromRow)
  }

  async list(limit: number, after: number, filter: { clientId?: number } = {}): Promise<Page<Invoice>> {
    let q = this.db.selectFrom('invoices').selectAll().where('id', '>', after)
    if (filter.clientId !== undefined) {
      const clientId = filter.clientId
      q = q.where((eb) => eb.or([eb('client_id', '=', clientId), eb('bill_to_client_id', '=', clientId)]))
    }
    const rows = await q.orderBy('id').limit(limit + 1).execute()
    return toPage(rows.map(invoiceFromRow), limit)
  }

  async patch(id: number, patch: InvoicePatch): Promise<Invoice> {
    const now = this.clock().getTime()
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('invoices').selectAll().where('id', '=', id).executeTakeFirst()
      if (!row) throw new NotFoundError(`Invoice ${id}`, { id }, 'RECORD_NOT_FOUND')
      const { id: _i, number: _n, createdAt: _c, updatedAt: _u, ...current } = invoiceFromRow(row)
      const next = { ...current, ...stripUndefined(patch) }
      const value: Omit<Invoice, 'id' | 'number' | 'createdAt' | 'updatedAt'> = {
        ...next,
        sessionId: next.sessionId ?? null,
        terms: next.terms ?? null,
        lines: next.lines.map((l) => ({ ...l, imageNumber: l.imageNumber ?? null })),
      }
      await this.checkReferences(trx, value)
      await trx.updateTable('invoices').set({ ...invoiceColumns(value), updated_at: now }).where('id', '=', id).execute()
    })
    return this.get(id)
  }
}

// ---------------------------------------------------------------- production orders
type OrderData = Omit<
  ProductionOrder,
  'id' | 'number' | 'productionOrderNumber' | 'clientId' | 'sessionId' | 'orderType' | 'status' | 'statusDueDate' | 'version' | 'createdAt' | 'updatedAt'
>

export function orderFromRow(row: Selectable<Database['production_orders']>): ProductionOrder {
  const data = parseData<OrderData>(row.data)
  return {
    id: Number(row.id),
    number: Number(row.number),
    productionOrderNumber: row.production_order_number === null ? null : Number(row.production_order_number),
    clientId: row.client_id === null ? null : Number(row.client_id),
    sessionId: row.session_id === null ? null : Number(row.session_id),
    orderType: row.order_type,
    status: row.status,
    statusDueDate: row.status_due_date,
    version: Number(row.version),
    ...data,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }
}

function orderData(o: OrderData): string {
  const { invoiceIds, vendor, vendorAddress, orderDate, studioNotes, vendorNotes, lines } = o
  return JSON.stringify({ invoiceIds, vendor, vendorAddress, orderDate, studioNotes, vendorNotes, lines })
}

export class ProductionOrderNumberTakenError extends ConflictError {
  constructor(number: number) {
    super('PRODUCTION_ORDER_NUMBER_TAKEN', `Production order number ${number} belongs to another order.`, { productionOrderNumber: number })
  }
}

export interface Actor {
  /** Who: the token's label or id. */
  by: string
  station: string | null
  /** Why, when a person changes a status by hand (kept in the history row). */
  reason?: string | null
}

export class ProductionOrderStore {
  constructor(private readonly db: Kysely<Database>, private readonly clock: Clock = () => new Date()) {}

  async create(input: OrderCreate, track: StatusTrack, actor: Actor): Promise<ProductionOrder> {
    const nowDate = this.clock()
    const now = nowDate.getTime()
    const initial = initialStatus(track)
    const data: OrderData = {
      invoiceIds: input.invoiceIds,
      vendor: input.vendor,
      vendorAddress: input.vendorAddress,
      orderDate: input.orderDate ?? today(nowDate),
      studioNotes: input.studioNotes ?? null,
      vendorNotes: input.vendorNotes ?? null,
      lines: input.lines.map((l) => ({ ...l, imageNumber: l.imageNumber ?? null, description: l.description ?? null })),
    }
    const id = await this.db.transaction().execute(async (trx) => {
      if (input.clientId) await mustExist(trx, 'clients', input.clientId, 'client')
      if (input.sessionId) await mustExist(trx, 'sessions', input.sessionId, 'session')
      for (const invoiceId of input.invoiceIds) await mustExist(trx, 'invoices', invoiceId, 'invoice')
      const number = await nextNumber(trx, 'production-order')
      const productionOrderNumber = await this.resolveNumber(trx, input.productionOrderNumber ?? null)
      let result
      try {
        result = await trx
          .insertInto('production_orders')
          .values({
            number,
            production_order_number: productionOrderNumber,
            client_id: input.clientId ?? null,
            session_id: input.sessionId ?? null,
            order_type: input.orderType,
            status: initial.key,
            status_due_date: dueDate(nowDate, initial.durationDays),
            version: 0,
            data: orderData(data),
            created_at: now,
            updated_at: now,
          })
          .executeTakeFirstOrThrow()
      } catch (err) {
        if (isUniqueViolation(err) && productionOrderNumber !== null) throw new ProductionOrderNumberTakenError(productionOrderNumber)
        throw err
      }
      const orderId = Number(result.insertId)
      await trx.insertInto('status_history').values({ order_id: orderId, from_status: null, to_status: initial.key, at: now, by_who: actor.by, station: actor.station }).execute()
      return orderId
    })
    return this.get(id)
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

  async find(id: number): Promise<ProductionOrder | undefined> {
    const row = await this.db.selectFrom('production_orders').selectAll().where('id', '=', id).executeTakeFirst()
    return row && orderFromRow(row)
  }

  async get(id: number): Promise<ProductionOrder> {
    const found = await this.find(id)
    if (!found) throw new NotFoundError(`Production order ${id}`, { id }, 'RECORD_NOT_FOUND')
    return found
  }

  async findByProductionOrderNumber(number: number): Promise<ProductionOrder | undefined> {
    const row = await this.db.selectFrom('production_orders').selectAll().where('production_order_number', '=', number).executeTakeFirst()
    return row && orderFromRow(row)
  }

  async list(limit: number, after: number, filter: { status?: string; clientId?: number } = {}): Promise<Page<ProductionOrder>> {
    let q = this.db.selectFrom('production_orders').selectAll().where('id', '>', after)
    if (filter.status) q = q.where('status', '=', filter.status)
    if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId)
    const rows = await q.orderBy('id').limit(limit + 1).execute()
    return toPage(rows.map(orderFromRow), limit)
  }

  async patch(id: number, patch: OrderPatch): Promise<ProductionOrder> {
    const now = this.clock().getTime()
    await this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('production_orders').selectAll().where('id', '=', id).executeTakeFirst()
      if (!row) throw new NotFoundError(`Production order ${id}`, { id }, 'RECORD_NOT_FOUND')
      const current = orderFromRow(row)
      const { productionOrderNumber, clientId, sessionId, ...rest } = stripUndefined(patch)
      if (clientId) await mustExist(trx, 'clients', clientId, 'client')
      if (sessionId) await mustExist(trx, 'sessions', sessionId, 'session')
      for (const invoiceId of rest.invoiceIds ?? []) await mustExist(trx, 'invoices', invoiceId, 'invoice')
      let number = current.productionOrderNumber
      if (productionOrderNumber !== undefined) {
        const wanted = productionOrderNumber === 'auto' ? null : productionOrderNumber
        if (current.productionOrderNumber !== null && wanted !== current.productionOrderNumber) {
          throw new ConflictError(
            'PRODUCTION_ORDER_NUMBER_ALREADY_ASSIGNED',
            `This order already has production order number ${current.productionOrderNumber}; labels printed with it would stop scanning.`,
            { productionOrderNumber: current.productionOrderNumber },
          )
        }
        if (current.productionOrderNumber === null) number = await this.resolveNumber(trx, productionOrderNumber)
      }
      const merged: OrderData = {
        invoiceIds: rest.invoiceIds ?? current.invoiceIds,
        vendor: rest.vendor ?? current.vendor,
        vendorAddress: rest.vendorAddress ?? current.vendorAddress,
        orderDate: rest.orderDate ?? current.orderDate,
        studioNotes: rest.studioNotes !== undefined ? rest.studioNotes : current.studioNotes,
        vendorNotes: rest.vendorNotes !== undefined ? rest.vendorNotes : current.vendorNotes,
        lines: rest.lines ? rest.lines.map((l) => ({ ...l, imageNumber: l.imageNumber ?? null, description: l.description ?? null })) : current.lines,
      }
      try {
        await trx
          .updateTable('production_orders')
          .set({
            production_order_number: number,
            client_id: clientId !== undefined ? clientId : current.clientId,
            session_id: sessionId !== undefined ? sessionId : current.sessionId,
            data: orderData(merged),
            updated_at: now,
          })
          .where('id', '=', id)
          .execute()
      } catch (err) {
        if (isUniqueViolation(err) && number !== null) throw new ProductionOrderNumberTakenError(number)
        throw err
      }
    })
    return this.get(id)
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
    return this.db.transaction().execute(async (trx) => {
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

function stripUndefined<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> }
}
