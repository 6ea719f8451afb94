import { statSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { PAYLOAD_CHUNK_BYTES, PrintJobStore } from '../../../src/store/print-job-store.ts'
import { PrinterStore } from '../../../src/store/printer-store.ts'
import type { Db } from '../../../src/store/create-db.ts'
import { SqliteCheckpointer } from '../../../src/store/sqlite-checkpointer.ts'
import { eventually } from '../../support/poll.ts'
import { newJob } from '../printing/support.ts'

const CHUNKS = 12
/** A 12-chunk job (12 MiB), every byte position-dependent so a misplaced chunk shows. */
const PAYLOAD = Buffer.alloc(CHUNKS * PAYLOAD_CHUNK_BYTES, 0)
for (let i = 0; i < PAYLOAD.length; i += 4) PAYLOAD.writeUInt32LE(i >>> 2, i)

/** Counts the event loop's turns while `work` runs (a setImmediate that schedules itself). */
async function turnsDuring<T>(work: () => Promise<T>): Promise<{ result: T; turns: number }> {
  let turns = 0
  let on = true
  const tick = (): void => {
    if (!on) return
    turns++
    setImmediate(tick)
  }
  setImmediate(tick)
  try {
    const result = await work()
    return { result, turns }
  } finally {
    on = false
  }
}

/**
 * A big job is stored and read without holding the server's one thread: better-sqlite3 answers
 * synchronously, so the store lets the event loop run between chunks, and SQLite's automatic
 * checkpoint (which copied the whole WAL into the database inside the COMMIT) runs on its own
 * thread instead.
 */
describe.each(DB_KINDS)('a 12 MiB job on %s', (kind) => {
  let db: Db
  let url: string
  let dispose: () => Promise<void>
  let jobs: PrintJobStore
  let id = 0

  beforeAll(async () => {
    ;({ db, dispose, url } = await migratedDb(kind))
    jobs = new PrintJobStore(db.db, db.dialect)
    await new PrinterStore(db.db).create({ name: 'big', language: 'pdf', uri: 'tcp://127.0.0.1:9', location: 'here', media: null })
  })
  afterAll(async () => dispose())

  it('is written chunk by chunk with the event loop turning between chunks', async () => {
    const { result, turns } = await turnsDuring(() => jobs.insert(newJob('big', { payload: PAYLOAD, unitLengths: [PAYLOAD.length], totalUnits: 1, contentType: 'application/pdf', format: 'pdf' })))
    id = result
    // One turn at least between each two chunks (before: 0 on SQLite — every chunk in one go).
    expect(turns).toBeGreaterThanOrEqual(CHUNKS - 1)
    const rows = await db.db.selectFrom('print_job_chunks').select((eb) => eb.fn.countAll<number>().as('n')).where('job_id', '=', id).executeTakeFirstOrThrow()
    expect(Number(rows.n)).toBe(CHUNKS)
  })

  it('is read back byte for byte, chunk by chunk, with the event loop turning between chunks', async () => {
    const { result, turns } = await turnsDuring(() => jobs.payload(id))
    expect(turns).toBeGreaterThanOrEqual(CHUNKS - 1)
    expect(result!.payload.length).toBe(PAYLOAD.length)
    expect(result!.payload.equals(PAYLOAD)).toBe(true)
  })

  it('is stored from its units without joining them first, chunks spanning unit boundaries', async () => {
    const cuts = [0, 700 * 1024, 700 * 1024 + 1, 3 * PAYLOAD_CHUNK_BYTES, 3 * PAYLOAD_CHUNK_BYTES + 10, PAYLOAD.length]
    const units = cuts.slice(1).map((end, i) => PAYLOAD.subarray(cuts[i], end))
    const unitId = await jobs.insert(newJob('big', { payload: units, unitLengths: units.map((u) => u.length), totalUnits: units.length }))
    const rows = await db.db.selectFrom('print_job_chunks').select((eb) => eb.fn.countAll<number>().as('n')).where('job_id', '=', unitId).executeTakeFirstOrThrow()
    expect(Number(rows.n)).toBe(CHUNKS)
    const back = await jobs.payload(unitId)
    expect(back!.payload.equals(PAYLOAD)).toBe(true)
    expect(back!.unitLengths).toEqual(units.map((u) => u.length))
  })

  it('reads as damaged (empty) when a chunk is missing or one too many', async () => {
    await db.db.deleteFrom('print_job_chunks').where('job_id', '=', id).where('seq', '=', 5).execute()
    expect((await jobs.payload(id))!.payload.length).toBe(0)
    await db.db.insertInto('print_job_chunks').values({ job_id: id, seq: 5, data: PAYLOAD.subarray(5 * PAYLOAD_CHUNK_BYTES, 6 * PAYLOAD_CHUNK_BYTES) }).execute()
    expect((await jobs.payload(id))!.payload.equals(PAYLOAD)).toBe(true)
    await db.db.insertInto('print_job_chunks').values({ job_id: id, seq: CHUNKS, data: Buffer.from('extra') }).execute()
    expect((await jobs.payload(id))!.payload.length).toBe(0)
  })

  it.runIf(kind === 'sqlite')('commits without a checkpoint on this thread; the checkpoint thread copies the WAL into the database', async () => {
    const path = url.slice('sqlite:'.length)
    const [mode] = (await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db.db)).rows
    expect(mode.wal_autocheckpoint).toBe(0)
    // The inserts above left the job's 12 MiB in the WAL (SQLite's own checkpoint, inside the
    // commit, would have put them into the database file already).
    // The server's checkpointer is stopped so that nothing else copies the WAL meanwhile.
    await db.checkpointer!.close()
    const before = statSync(path).size
    const id2 = await jobs.insert(newJob('big', { payload: PAYLOAD, unitLengths: [PAYLOAD.length], totalUnits: 1, contentType: 'application/pdf', format: 'pdf' }))
    expect(statSync(path).size).toBe(before)
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(PAYLOAD.length)
    // A checkpointer polls every 2 s and copies a WAL past 4 MiB, on its thread.
    const checkpointer = new SqliteCheckpointer(path)
    try {
      await eventually(() => statSync(path).size >= before + PAYLOAD.length, 15_000, 'the WAL copied into the database')
    } finally {
      await checkpointer.close()
    }
    expect((await jobs.payload(id2))!.payload.equals(PAYLOAD)).toBe(true)
  })
})
