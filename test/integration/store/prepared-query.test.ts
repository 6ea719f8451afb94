import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { preparedQuery } from '../../../src/store/prepared-query.ts'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import type { Db } from '../../../src/store/create-db.ts'
import { isUniqueViolation } from '../../../src/store/sql-errors.ts'

const insertClient = preparedQuery((db, p: { number: number; lastName: string; searchText: string; at: number }) =>
  db.insertInto('clients').values({ number: p.number, last_name: p.lastName, first_name: '', data: '{}', search_text: p.searchText, created_at: p.at, updated_at: p.at }),
)
// `p.at` twice, a fixed value ('Zed') between two parameters, a limit.
const clientsBetween = preparedQuery((db, p: { from: number; to: number; at: number; limit: number }) =>
  db
    .selectFrom('clients')
    .select(['number', 'last_name'])
    .where('number', '>=', p.from)
    .where('last_name', '!=', 'Zed')
    .where('number', '<=', p.to)
    .where((eb) => eb.or([eb('created_at', '=', p.at), eb('updated_at', '=', p.at)]))
    .orderBy('number')
    .limit(p.limit),
)

describe.each(DB_KINDS)('preparedQuery on %s', (kind) => {
  let db: Db
  let dispose: () => Promise<void>
  beforeAll(async () => {
    ;({ db, dispose } = await migratedDb(kind))
  })
  afterAll(() => dispose())

  it('when run with new values each time, then every run uses its own values: the rows written and read are exactly those of the builder', async () => {
    for (let n = 1; n <= 6; n++) {
      const r = await insertClient(db.db, { number: n, lastName: n === 4 ? 'Zed' : `Name${n}`, searchText: `name${n}`, at: 1000 + (n % 2) })
      expect(Number(r.numAffectedRows)).toBe(1)
    }
    const prepared = await clientsBetween(db.db, { from: 2, to: 6, at: 1001, limit: 10 })
    const built = await db.db
      .selectFrom('clients')
      .select(['number', 'last_name'])
      .where('number', '>=', 2)
      .where('last_name', '!=', 'Zed')
      .where('number', '<=', 6)
      .where((eb) => eb.or([eb('created_at', '=', 1001), eb('updated_at', '=', 1001)]))
      .orderBy('number')
      .limit(10)
      .execute()
    expect(prepared.rows).toEqual(built)
    expect(prepared.rows.map((r) => Number(r.number))).toEqual([3, 5])
    expect((await clientsBetween(db.db, { from: 1, to: 6, at: 1000, limit: 1 })).rows.map((r) => Number(r.number))).toEqual([2])
  })

  it('when run inside a transaction that rolls back, then it ran on the transaction: nothing stays', async () => {
    await expect(
      db.db.transaction().execute(async (trx) => {
        await insertClient(trx, { number: 100, lastName: 'Rolled', searchText: 'rolled', at: 5 })
        expect((await clientsBetween(trx, { from: 100, to: 100, at: 5, limit: 5 })).rows).toHaveLength(1)
        throw new Error('roll back')
      }),
    ).rejects.toThrow('roll back')
    expect((await clientsBetween(db.db, { from: 100, to: 100, at: 5, limit: 5 })).rows).toEqual([])
  })

  it('when another flow holds a transaction open, then a query on the database never runs inside it (SQLite: it waits for the commit and sees the row; MariaDB: it does not see the row)', async () => {
    const order: string[] = []
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    let inserted!: () => void
    const insertedOnce = new Promise<void>((r) => (inserted = r))
    const txn = db.db.transaction().execute(async (trx) => {
      await insertClient(trx, { number: 200, lastName: 'Held', searchText: 'held', at: 7 })
      inserted()
      await held
      order.push('commit')
    })
    await insertedOnce
    if (kind === 'mariadb') {
      // A pool: the read runs on another connection at once and never sees the uncommitted row.
      expect((await clientsBetween(db.db, { from: 200, to: 200, at: 7, limit: 5 })).rows).toEqual([])
      release()
      await txn
      return
    }
    const read = clientsBetween(db.db, { from: 200, to: 200, at: 7, limit: 5 }).then((r) => {
      order.push('read')
      return r.rows.length
    })
    // One connection: the reader is issued while the transaction is open; it must not answer
    // from inside it, but wait for the commit and then see the row.
    for (let i = 0; i < 20 && order.length === 0; i++) await new Promise((r) => setImmediate(r))
    expect(order).toEqual([])
    release()
    await txn
    expect(await read).toBe(1)
    expect(order).toEqual(['commit', 'read'])
  })

  it('when a stream is being read, then a prepared write issued meanwhile still lands (SQLite: once the stream has ended)', async () => {
    for (let n = 400; n <= 404; n++) await insertClient(db.db, { number: n, lastName: `Stream${n}`, searchText: 'stream', at: 11 })
    const seen: number[] = []
    let write: Promise<unknown> | undefined
    for await (const r of db.db.selectFrom('clients').select('number').where('number', '>=', 400).where('number', '<=', 404).orderBy('number').stream()) {
      seen.push(Number(r.number))
      // Issued mid-stream, not awaited here (the stream holds SQLite's one connection).
      write ??= insertClient(db.db, { number: 410, lastName: 'Meanwhile', searchText: 'meanwhile', at: 11 })
    }
    expect(Number((await write!.then((r) => (r as { numAffectedRows?: bigint }).numAffectedRows)) ?? 0)).toBe(1)
    expect(seen).toEqual([400, 401, 402, 403, 404])
    expect((await clientsBetween(db.db, { from: 410, to: 410, at: 11, limit: 5 })).rows.map((r) => r.last_name)).toEqual(['Meanwhile'])
  })

  it('when a write breaks a constraint outside any transaction, then the promise rejects with the database error and nothing is written', async () => {
    await insertClient(db.db, { number: 300, lastName: 'One', searchText: 'one', at: 9 })
    const err = await insertClient(db.db, { number: 300, lastName: 'Two', searchText: 'two', at: 9 }).then(() => null, (e: unknown) => e)
    expect(isUniqueViolation(err)).toBe(true)
    expect((await clientsBetween(db.db, { from: 300, to: 300, at: 9, limit: 5 })).rows.map((r) => r.last_name)).toEqual(['One'])
  })

  it('when a stand-in is used to shape the query instead of as a value, then the first run says so and nothing runs', async () => {
    const shaped = preparedQuery((d, p: { id: number; withName: boolean }) => d.selectFrom('clients').select('id').where('id', '=', p.id))
    await expect(shaped(db.db, { id: 1, withName: true })).rejects.toThrow(/withName not in the SQL/)
  })
})
