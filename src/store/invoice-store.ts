import type { Kysely, Selectable } from 'kysely'
import type { Database } from './schema.ts'
import type { Invoice } from '../domain/records.ts'
import type { InvoiceCreate, InvoicePatch } from '../domain/inputs.ts'
import { nextNumber } from './sequences.ts'
import { today, type Page } from './json.ts'
import { fieldsOf, merge, mustExist, RecordStore, rowMapper, type Clock, type RecordFields, type Trx } from './record-row.ts'

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
export class InvoiceStore extends RecordStore<'invoices', Invoice> {
  constructor(db: Kysely<Database>, clock: Clock = () => new Date()) {
    super(db, clock, 'invoices', 'Invoice', (row) => invoices.fromRow(row))
  }

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

  async listByClient(clientId: number): Promise<Invoice[]> {
    const rows = await this.db
      .selectFrom('invoices')
      .selectAll()
      .where((eb) => eb.or([eb('client_id', '=', clientId), eb('bill_to_client_id', '=', clientId)]))
      .orderBy('id')
      .execute()
    return this.records(rows)
  }

  async findMany(ids: number[]): Promise<Invoice[]> {
    if (ids.length === 0) return []
    return this.records(await this.db.selectFrom('invoices').selectAll().where('id', 'in', ids).orderBy('id').execute())
  }

  async list(limit: number, after: number, filter: { clientId?: number } = {}): Promise<Page<Invoice>> {
    let q = this.db.selectFrom('invoices').selectAll().where('id', '>', after)
    if (filter.clientId !== undefined) {
      const clientId = filter.clientId
      q = q.where((eb) => eb.or([eb('client_id', '=', clientId), eb('bill_to_client_id', '=', clientId)]))
    }
    const rows = await q.orderBy('id').limit(limit + 1).execute()
    return this.page(rows, limit)
  }

  /** Changes the fields the patch names and nothing else. */
  patch(id: number, patch: InvoicePatch): Promise<Invoice> {
    return this.modify(id, async (trx, current, now) => {
      const { lines, ...rest } = patch
      const next = merge(fieldsOf(current), rest)
      if (lines !== undefined) next.lines = invoiceLines(lines)
      await checkReferences(trx, next)
      await trx
        .updateTable('invoices')
        .set({ ...invoices.columns(next), updated_at: now })
        .where('id', '=', id)
        .execute()
    })
  }
}

async function checkReferences(trx: Trx, value: InvoiceColumns): Promise<void> {
  await mustExist(trx, 'clients', value.clientId, 'client')
  if (value.billToClientId !== value.clientId) await mustExist(trx, 'clients', value.billToClientId, 'client')
  if (value.sessionId !== null) await mustExist(trx, 'sessions', value.sessionId, 'session')
}
