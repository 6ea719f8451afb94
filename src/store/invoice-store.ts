import type { Kysely, Selectable } from 'kysely'
import type { Database } from './schema.ts'
import type { Invoice } from '../domain/records.ts'
import type { InvoiceCreate, InvoicePatch } from '../domain/inputs.ts'
import { nextNumber } from './sequences.ts'
import { today, toPage, type Page } from './json.ts'
import { fieldsOf, merge, mustExist, recordNotFound, recordRow, rowMapper, type Clock, type RecordFields, type Trx } from './record-row.ts'

type InvoiceColumns = Pick<Invoice, 'clientId' | 'billToClientId' | 'sessionId'>

const invoices = rowMapper<Invoice>()({
  columns: ['clientId', 'billToClientId', 'sessionId'],
  read: (row: Selectable<Database['invoices']>): InvoiceColumns => ({
    clientId: Number(row.client_id),
    billToClientId: Number(row.bill_to_client_id),
    sessionId: row.session_id === null ? null : Number(row.session_id),
  }),
  write: (i: InvoiceColumns) => ({ client_id: i.clientId, bill_to_client_id: i.billToClientId, session_id: i.sessionId }),
})

/** Invoice lines as stored: an image number is null when not given. */
const invoiceLines = (lines: InvoiceCreate['lines']): Invoice['lines'] => lines.map((l) => ({ ...l, imageNumber: l.imageNumber ?? null }))

/** Totals and balance are never stored: they are derived from the lines and payments when read. */
export class InvoiceStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = () => new Date(),
  ) {}

  async create(input: InvoiceCreate): Promise<Invoice> {
    const nowDate = this.clock()
    const now = nowDate.getTime()
    const fields: RecordFields<Invoice> = {
      invoiceType: input.invoiceType,
      sessionId: input.sessionId ?? null,
      clientId: input.clientId,
      billToClientId: input.billToClientId ?? input.clientId,
      invoiceDate: input.invoiceDate ?? today(nowDate),
      lines: invoiceLines(input.lines),
      discount: input.discount,
      tax: input.tax,
      shipping: input.shipping,
      payments: input.payments,
      terms: input.terms ?? null,
    }
    const id = await this.db.transaction().execute(async (trx) => {
      await checkReferences(trx, fields)
      const number = await nextNumber(trx, 'invoice')
      const result = await trx
        .insertInto('invoices')
        .values({ number, ...invoices.columns(fields), created_at: now, updated_at: now })
        .executeTakeFirstOrThrow()
      return Number(result.insertId)
    })
    return this.get(id)
  }

  async find(id: number): Promise<Invoice | undefined> {
    const row = await recordRow(this.db, 'invoices', { id })
    return row && invoices.fromRow(row)
  }

  async get(id: number): Promise<Invoice> {
    const found = await this.find(id)
    if (!found) throw recordNotFound('Invoice', id)
    return found
  }

  async findByNumber(number: number): Promise<Invoice | undefined> {
    const row = await recordRow(this.db, 'invoices', { number })
    return row && invoices.fromRow(row)
  }

  async listByClient(clientId: number): Promise<Invoice[]> {
    const rows = await this.db
      .selectFrom('invoices')
      .selectAll()
      .where((eb) => eb.or([eb('client_id', '=', clientId), eb('bill_to_client_id', '=', clientId)]))
      .orderBy('id')
      .execute()
    return rows.map((row) => invoices.fromRow(row))
  }

  async findMany(ids: number[]): Promise<Invoice[]> {
    if (ids.length === 0) return []
    const rows = await this.db.selectFrom('invoices').selectAll().where('id', 'in', ids).orderBy('id').execute()
    return rows.map((row) => invoices.fromRow(row))
  }

  async list(limit: number, after: number, filter: { clientId?: number } = {}): Promise<Page<Invoice>> {
    let q = this.db.selectFrom('invoices').selectAll().where('id', '>', after)
    if (filter.clientId !== undefined) {
      const clientId = filter.clientId
      q = q.where((eb) => eb.or([eb('client_id', '=', clientId), eb('bill_to_client_id', '=', clientId)]))
    }
    const rows = await q.orderBy('id').limit(limit + 1).execute()
    return toPage(rows.map((row) => invoices.fromRow(row)), limit)
  }

  /** Changes the fields the patch names and nothing else. */
  async patch(id: number, patch: InvoicePatch): Promise<Invoice> {
    const now = this.clock().getTime()
    await this.db.transaction().execute(async (trx) => {
      const row = await recordRow(trx, 'invoices', { id }, { forUpdate: true })
      if (!row) throw recordNotFound('Invoice', id)
      const { lines, ...rest } = patch
      const next = merge(fieldsOf(invoices.fromRow(row)), rest)
      if (lines !== undefined) next.lines = invoiceLines(lines)
      await checkReferences(trx, next)
      await trx
        .updateTable('invoices')
        .set({ ...invoices.columns(next), updated_at: now })
        .where('id', '=', id)
        .execute()
    })
    return this.get(id)
  }
}

async function checkReferences(trx: Trx, value: InvoiceColumns): Promise<void> {
  await mustExist(trx, 'clients', value.clientId, 'client')
  if (value.billToClientId !== value.clientId) await mustExist(trx, 'clients', value.billToClientId, 'client')
  if (value.sessionId !== null) await mustExist(trx, 'sessions', value.sessionId, 'session')
}
