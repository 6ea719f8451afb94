import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { PrintJobStore } from '../../../src/store/print-job-store.ts'
import { newJob } from '../printing/support.ts'
import { PrinterStore } from '../../../src/store/printer-store.ts'
import type { Db } from '../../../src/store/create-db.ts'

/** A one-label ZPL job for `printer`. */
const job = (printer: string, n: number) => {
  const label = `^XA^FDlabel ${n}^FS^XZ`
  return newJob(printer, { recordIds: [n], payload: [Buffer.from(label)], unitLengths: [label.length], totalUnits: 1 })
}
/** A migrated database of `kind` with these ZPL printers and its queue; `states` lists a printer's jobs. */
function queueOn(kind: 'sqlite' | 'mariadb', printers: string[]) {
  const queue = {} as { db: Db; jobs: PrintJobStore; dispose: () => Promise<void> }
  beforeAll(async () => {
    const { db, dispose } = await migratedDb(kind)
    const store = new PrinterStore(db.db)
    for (const name of printers) await store.create({ name, language: 'zpl', uri: 'tcp://127.0.0.1:9100', location: 'here', media: null })
    Object.assign(queue, { db, dispose, jobs: new PrintJobStore(db.db, db.dialect) })
  })
  afterAll(() => queue.dispose())
  const states = async (printer: string) =>
    (await queue.db.db.selectFrom('print_jobs').select(['id', 'state', 'claimed_by', 'attempts']).where('printer', '=', printer).orderBy('id').execute()).map((r) => [Number(r.id), r.state, r.claimed_by, Number(r.attempts)])
  return { queue, states }
}
const done = { reasons: ['job-completed-successfully'], sentUnits: 1, writtenUnits: 1, confirmed: true }

describe.each(DB_KINDS)('completing a job and claiming the next in one transaction (%s)', (kind) => {
  const { queue, states } = queueOn(kind, ['a', 'b', 'c', 'd'])

  it('when the printer has another job, then the first ends completed and the next is claimed by the same worker, together (MariaDB: not offered, nothing written)', async () => {
    const first = await queue.jobs.insert(job('a', 1))
    const second = await queue.jobs.insert(job('a', 2))
    expect((await queue.jobs.claim('a', 'me', 30_000))?.id).toBe(first)
    const together = queue.jobs.settleCompletedAndClaim(first, 'me', done, 'a', 30_000)
    if (kind === 'mariadb') {
      expect(together).toBeUndefined()
      expect(await states('a')).toEqual([
        [first, 'processing', 'me', 1],
        [second, 'pending', null, 0],
      ])
      return
    }
    expect(together?.settled).toBe(true)
    expect(together?.next?.id).toBe(second)
    expect(together?.next?.state).toBe('processing')
    expect(await states('a')).toEqual([
      [first, 'completed', null, 1],
      [second, 'processing', 'me', 1],
    ])
    // The event log saw both changes, as with two writes.
    const events = (await sql<{ payload: string }>`select payload from webhook_events order by id`.execute(queue.db.db)).rows.map((e) => JSON.parse(e.payload) as { jobId: number; to: string }).filter((e) => e.jobId === first || e.jobId === second)
    expect(events.map((e) => `${e.jobId}:${e.to}`)).toEqual([`${first}:pending`, `${second}:pending`, `${first}:processing`, `${first}:completed`, `${second}:processing`])
  })
})

describe('completing a job and claiming the next in one transaction, on SQLite', () => {
  const { queue, states } = queueOn('sqlite', ['b', 'c', 'd'])

  it('when there is no next job, then the first ends completed and the answer says none was claimed', async () => {
    const only = await queue.jobs.insert(job('b', 3))
    await queue.jobs.claim('b', 'me', 30_000)
    expect(queue.jobs.settleCompletedAndClaim(only, 'me', done, 'b', 30_000)).toEqual({ settled: true, next: null })
    expect(await states('b')).toEqual([[only, 'completed', null, 1]])
  })

  it('when the claim fails (the database refuses that write), then it throws and nothing was written: the first job is still processing', async () => {
    const first = await queue.jobs.insert(job('c', 4))
    const second = await queue.jobs.insert(job('c', 5))
    await queue.jobs.claim('c', 'me', 30_000)
    await sql.raw(`CREATE TRIGGER refuse_claim BEFORE UPDATE OF state ON print_jobs WHEN NEW.id = ${second} BEGIN SELECT RAISE(ABORT, 'injected'); END`).execute(queue.db.db)
    try {
      expect(() => queue.jobs.settleCompletedAndClaim(first, 'me', done, 'c', 30_000)).toThrow(/injected/)
      expect(await states('c')).toEqual([
        [first, 'processing', 'me', 1],
        [second, 'pending', null, 0],
      ])
    } finally {
      await sql.raw('DROP TRIGGER refuse_claim').execute(queue.db.db)
    }
  })

  it('when another flow holds a transaction open, then it is not offered (undefined) and nothing is written', async () => {
    const first = await queue.jobs.insert(job('d', 6))
    await queue.jobs.insert(job('d', 7))
    await queue.jobs.claim('d', 'me', 30_000)
    let release!: () => void
    const held = new Promise<void>((r) => (release = r))
    let opened!: () => void
    const open = new Promise<void>((r) => (opened = r))
    const txn = queue.db.db.transaction().execute(async (trx) => {
      await sql`select 1`.execute(trx)
      opened()
      await held
    })
    await open
    expect(queue.jobs.settleCompletedAndClaim(first, 'me', done, 'd', 30_000)).toBeUndefined()
    release()
    await txn
    expect((await states('d')).map((r) => r[1])).toEqual(['processing', 'pending'])
  })
})
