import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { IdempotencyKeyTakenError, PrintJobStore, type NewPrintJob } from '../../../src/store/print-job-store.ts'
import { PrinterStore } from '../../../src/store/printer-store.ts'
import { PrinterGoneError } from '../../../src/domain/errors.ts'
import type { Db } from '../../../src/store/create-db.ts'

const job = (n: number, over: Partial<NewPrintJob> = {}): NewPrintJob => ({
  printer: 'desk',
  document: 'client-label',
  recordIds: [n],
  format: 'zpl',
  options: {},
  copies: 1,
  contentType: 'application/vnd.zebra.zpl',
  payload: [Buffer.from(`^XA^FDlabel ${n}^FS^XZ`)],
  unitLengths: [Buffer.byteLength(`^XA^FDlabel ${n}^FS^XZ`)],
  totalUnits: 1,
  idempotencyKey: null,
  requestHash: null,
  reprintOf: null,
  createdBy: 'test',
  ...over,
})

describe.each(DB_KINDS)('queue inserts made in one turn (%s: SQLite commits them together)', (kind) => {
  let db: Db
  let dispose: () => Promise<void>
  let jobs: PrintJobStore
  beforeAll(async () => {
    ;({ db, dispose } = await migratedDb(kind))
    const printers = new PrinterStore(db.db)
    await printers.create({ name: 'desk', language: 'zpl', uri: 'tcp://127.0.0.1:9100', location: 'here', media: null })
    await printers.create({ name: 'gone-soon', language: 'zpl', uri: 'tcp://127.0.0.1:9101', location: 'here', media: null })
    jobs = new PrintJobStore(db.db, db.dialect)
  })
  afterAll(() => dispose())

  const count = async () => Number((await db.db.selectFrom('print_jobs').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)

  it('when 40 jobs are queued at once, then each is stored once with its own bytes (SQLite: ids in the order they came)', async () => {
    const before = await count()
    const ids = await Promise.all(Array.from({ length: 40 }, (_, i) => jobs.insert(job(i + 1))))
    expect(await count()).toBe(before + 40)
    expect(new Set(ids).size).toBe(40)
    // MariaDB inserts them on several connections at once; SQLite in one transaction, in order.
    if (kind === 'sqlite') expect([...ids].sort((a, b) => a - b)).toEqual(ids)
    for (const [i, id] of ids.entries()) {
      const body = await jobs.payload(id)
      expect(Buffer.from(body!.payload).toString()).toBe(`^XA^FDlabel ${i + 1}^FS^XZ`)
    }
  })

  it('when a batch fails (one job of it refused) while a large job of it writes its chunks and more jobs come, then ids still follow the order jobs came in', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 17, 0x41)
    const first = jobs.insert(job(201, { payload: [big], unitLengths: [big.length] }))
    const second = jobs.insert(job(202))
    const refused = jobs.insert(job(203, { printer: 'no-such-printer' }))
    await new Promise((r) => setImmediate(r))
    await new Promise((r) => setImmediate(r))
    const later = jobs.insert(job(204))
    const [a, b, c, d] = await Promise.allSettled([first, second, refused, later])
    expect([a.status, b.status, c.status, d.status]).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled'])
    const ids = [a, b, d].map((o) => (o as PromiseFulfilledResult<number>).value)
    if (kind === 'sqlite') expect([...ids].sort((x, y) => x - y)).toEqual(ids)
    expect((await jobs.payload(ids[0]))!.payload.length).toBe(big.length)
  })

  it('when one job of a batch has a taken Idempotency-Key and another a deleted printer, then those two fail with their own errors and every other job is stored', async () => {
    await jobs.insert(job(100, { idempotencyKey: 'taken-key', requestHash: 'h' }))
    await db.db.deleteFrom('printers').where('name', '=', 'gone-soon').execute()
    const before = await count()
    const outcomes = await Promise.allSettled([
      jobs.insert(job(101)),
      jobs.insert(job(102, { idempotencyKey: 'taken-key', requestHash: 'h' })),
      jobs.insert(job(103, { printer: 'gone-soon' })),
      jobs.insert(job(104, { idempotencyKey: 'fresh-key', requestHash: 'h' })),
      jobs.insert(job(105, { idempotencyKey: 'fresh-key', requestHash: 'h' })),
      jobs.insert(job(106)),
    ])
    const status = outcomes.map((o) => o.status)
    expect([status[0], status[1], status[2], status[5]]).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled'])
    const reason = (i: number) => (outcomes[i] as PromiseRejectedResult).reason as unknown
    expect(reason(1)).toBeInstanceOf(IdempotencyKeyTakenError)
    expect(reason(2)).toBeInstanceOf(PrinterGoneError)
    // Two jobs with one new key: exactly one is stored (SQLite: the first; MariaDB: whichever
    // connection commits first), the other gets IdempotencyKeyTakenError.
    const sameKey = [3, 4].filter((i) => status[i] === 'fulfilled')
    expect(sameKey).toHaveLength(1)
    if (kind === 'sqlite') expect(sameKey).toEqual([3])
    expect(reason(sameKey[0] === 3 ? 4 : 3)).toBeInstanceOf(IdempotencyKeyTakenError)
    expect(await count()).toBe(before + 3)
    const stored = (await db.db.selectFrom('print_jobs').select('record_ids').orderBy('id', 'desc').limit(3).execute()).map((r) => JSON.parse(r.record_ids) as number[])
    expect(stored.flat().sort()).toEqual([101, sameKey[0] === 3 ? 104 : 105, 106].sort())
  })
})
