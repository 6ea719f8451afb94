import { sql, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema.ts'

export const SEQUENCES = ['client', 'session', 'invoice', 'production-order', 'production-order-number'] as const
export type SequenceName = (typeof SEQUENCES)[number]

/**
 * The next number of a sequence, allocated inside the caller's transaction: the UPDATE takes the
 * row's write lock (MariaDB) or the database's (SQLite) until commit, so two servers on one
 * database never hand out the same number, and a rolled-back create gives its number back.
 */
export async function nextNumber(trx: Transaction<Database> | Kysely<Database>, name: SequenceName): Promise<number> {
  const updated = await trx
    .updateTable('sequences')
    .set({ next_value: sql<number>`next_value + 1` })
    .where('name', '=', name)
    .executeTakeFirst()
  if (Number(updated.numUpdatedRows) !== 1) throw new Error(`sequence ${name} is missing: run the migrations`)
  const row = await trx.selectFrom('sequences').select('next_value').where('name', '=', name).executeTakeFirstOrThrow()
  return Number(row.next_value)
}
