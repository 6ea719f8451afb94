import type { Kysely } from 'kysely'
import { types } from './dialect.ts'
import { clientSearchText, type SearchableClient } from '../src/domain/client-search.ts'

/**
 * Client search over values only: `clients.search_text` holds the values a client is found by
 * (names, family, organization, email, notes, phone numbers and their digits), written with every
 * create and patch. Before this, a search ran LIKE over the JSON text, so a field name ("notes")
 * matched every client.
 *
 * Safe to run again, also after a crash half-way (MariaDB commits each ALTER at once): the column
 * is added only when missing, and only rows without a search text are filled in.
 */
interface Tables {
  clients: { id: number; last_name: string; first_name: string; data: string; search_text: string | null }
}

const BATCH = 500

export async function up(untyped: Kysely<unknown>): Promise<void> {
  const db = untyped as Kysely<Tables>
  const tables = await db.introspection.getTables()
  const clients = tables.find((t) => t.name === 'clients')
  if (!clients?.columns.some((c) => c.name === 'search_text')) {
    await db.schema.alterTable('clients').addColumn('search_text', types(untyped).bigText).execute()
  }
  for (let after = 0; ; ) {
    const rows = await db
      .selectFrom('clients')
      .select(['id', 'last_name', 'first_name', 'data'])
      .where('id', '>', after)
      .where('search_text', 'is', null)
      .orderBy('id')
      .limit(BATCH)
      .execute()
    if (rows.length === 0) break
    // One transaction per batch: one commit (and one fsync) per 500 rows, not per row.
    await db.transaction().execute(async (trx) => {
      for (const row of rows) {
        const data = JSON.parse(row.data) as Omit<SearchableClient, 'lastName' | 'firstName'>
        const text = clientSearchText({ ...data, lastName: row.last_name, firstName: row.first_name })
        await trx.updateTable('clients').set({ search_text: text }).where('id', '=', row.id).where('search_text', 'is', null).execute()
      }
    })
    after = Number(rows[rows.length - 1].id)
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('clients').dropColumn('search_text').execute()
}
