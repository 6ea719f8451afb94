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
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled', 'rejected', 'fulfilled'])
    const reasons = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason] : []))
    expect(reasons[0]).toBeInstanceOf(IdempotencyKeyTakenError)
    expect(reasons[1]).toBeInstanceOf(PrinterGoneError)
    expect(reasons[2]).toBeInstanceOf(IdempotencyKeyTakenError)
    expect(await count()).toBe(before + 3)
    const stored = (await db.db.selectFrom('print_jobs').select('record_ids').where('id', '>', 0).orderBy('id', 'desc').limit(3).execute()).map((r) => JSON.parse(r.record_ids) as number[])
    expect(stored.flat().sort()).toEqual([101, 104, 106])
  })
})
