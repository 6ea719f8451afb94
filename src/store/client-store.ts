import { sql, type Kysely, type Selectable } from 'kysely'
import type { Database } from './schema.ts'
import type { Client } from '../domain/records.ts'
import type { ClientCreate, ClientPatch } from '../domain/inputs.ts'
import { clientSearchText, searchTerms } from '../domain/client-search.ts'
import type { Page } from './json.ts'
import { nextNumber } from './sequences.ts'
import { fieldsOf, merge, RecordStore, rowMapper, type Clock, type RecordFields } from './record-row.ts'

const clients = rowMapper<Client>()({
  columns: ['lastName', 'firstName'],
  read: (row: Selectable<Database['clients']>): Pick<Client, 'lastName' | 'firstName'> => ({ lastName: row.last_name, firstName: row.first_name }),
  write: (c: Pick<Client, 'lastName' | 'firstName'>) => ({ last_name: c.lastName, first_name: c.firstName }),
})

/** A client's columns, its search text among them. */
function clientColumns(fields: RecordFields<Client>) {
  return { ...clients.columns(fields), search_text: clientSearchText(fields) }
}

/** A LIKE pattern that finds `text` anywhere, its % and _ taken literally (escape character !). */
function containing(text: string) {
  return sql<string>`${`%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`} escape '!'`
}

export class ClientStore extends RecordStore<'clients', Client> {
  constructor(db: Kysely<Database>, clock: Clock = () => new Date()) {
    super(db, clock, 'clients', 'Client', (row) => clients.fromRow(row))
  }

  async create(input: ClientCreate): Promise<Client> {
    const now = this.clock().getTime()
    const fields: RecordFields<Client> = {
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
      const result = await trx
        .insertInto('clients')
        .values({ number, ...clientColumns(fields), created_at: now, updated_at: now })
        .executeTakeFirstOrThrow()
      return Number(result.insertId)
    })
    return this.get(id)
  }

  /**
   * A page of clients; with `q`, only those whose name, family, organization, email, phone or
   * notes contain every word of it, in any case. Field names are not searched.
   */
  async list(limit: number, after: number, filter: { q?: string } = {}): Promise<Page<Client>> {
    let q = this.db.selectFrom('clients').selectAll().where('id', '>', after)
    for (const term of searchTerms(filter.q ?? '')) {
      q = q.where((eb) =>
        eb.or([
          eb('search_text', 'like', containing(term.text)),
          // A phone number matches however it is punctuated: 2075550111 finds (207) 555-0111.
          ...(term.digits ? [eb('search_text', 'like', containing(term.digits))] : []),
        ]),
      )
    }
    const rows = await q.orderBy('id').limit(limit + 1).execute()
    return this.page(rows, limit)
  }

  /** Changes the fields the patch names and nothing else. */
  patch(id: number, patch: ClientPatch): Promise<Client> {
    return this.modify(id, async (trx, current, now) => {
      const next = merge(fieldsOf(current), patch)
      await trx
        .updateTable('clients')
        .set({ ...clientColumns(next), updated_at: now })
        .where('id', '=', id)
        .execute()
    })
  }
}
