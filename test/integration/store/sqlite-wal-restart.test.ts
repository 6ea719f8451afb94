import { openSync, readSync, closeSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '../../../src/store/create-db.ts'
import { CHECKPOINT_POLL_MS, CHECKPOINT_WAL_BYTES, WAL_SIZE_LIMIT_BYTES, uncopiedLogBytes, type CheckpointResult } from '../../../src/store/sqlite-checkpointer.ts'

const dir = mkdtempSync(join(tmpdir(), 'studio-wal-restart-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The WAL header's checkpoint sequence number: SQLite adds one each time the log starts over. */
function walSequence(path: string): number {
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(16)
    readSync(fd, head, 0, 16, 0)
    return head.readUInt32BE(12)
  } finally {
    closeSync(fd)
  }
}

describe('the SQLite write-ahead log under steady writes', () => {
  it(
    'starts over while a writer never pauses for long (a checkpoint on another thread alone never catches up, and the log grew without end)',
    async () => {
      const path = join(dir, 'studio.db')
      const { db, close } = await createDb(`sqlite:${path}`)
      try {
        await sql.raw('create table busy (id integer primary key, body blob not null)').execute(db)
        for (let i = 1; i <= 64; i++) await sql`insert into busy (id, body) values (${i}, randomblob(3000))`.execute(db)
        const wal = `${path}-wal`
        const first = walSequence(wal)
        // A write every millisecond or so (a busy front desk and print queue: about 4 MB of log a
        // second) for five checkpoint polls at the default interval.
        const until = Date.now() + 5 * CHECKPOINT_POLL_MS
        let writes = 0
        let largest = 0
        // Each start-over bumps the sequence number in the log's header.
        let restarts = 0
        let sequence = first
        while (Date.now() < until) {
          await sql`update busy set body = randomblob(3000) where id = ${(writes % 64) + 1}`.execute(db)
          writes++
          largest = Math.max(largest, statSync(wal).size)
          const now = walSequence(wal)
          if (now !== sequence) restarts++
          sequence = now
          await new Promise((r) => setTimeout(r, 1))
        }
        expect(writes).toBeGreaterThan(1000)
        expect(restarts).toBeGreaterThanOrEqual(1)
        // The run writes several times this much log (about 60 MB in 10 s here); the file never held it.
        expect(largest).toBeLessThanOrEqual(WAL_SIZE_LIMIT_BYTES + 4 * 1024 * 1024)
      } finally {
        await close()
      }
    },
    30_000,
  )

  it(
    'copies a fast-growing log in slices, not all at once every 2 s (one 75 MB pass stalled a busy server)',
    async () => {
      const path = join(dir, 'heavy.db')
      const database = await createDb(`sqlite:${path}`)
      const { db } = database
      try {
        const checkpointer = database.checkpointer!
        // Frames each pass copied: what it checkpointed past the one before (all of it after the log started over).
        const copied: number[] = []
        let before: CheckpointResult = { log: 0, checkpointed: 0 }
        const pass = checkpointer.checkpoint.bind(checkpointer)
        checkpointer.checkpoint = async () => {
          const r = await pass()
          if (r.log !== undefined && r.checkpointed !== undefined) {
            copied.push(r.log < (before.log ?? 0) ? r.checkpointed : r.checkpointed - (before.checkpointed ?? 0))
            before = r
          }
          return r
        }
        await sql.raw('create table heavy (id integer primary key, body blob not null)').execute(db)
        // About 20 MB of log a second (a studio's server can't write much faster) for three polls.
        const until = Date.now() + 3 * CHECKPOINT_POLL_MS + 500
        let bytes = 0
        while (Date.now() < until) {
          await db.transaction().execute(async (trx) => {
            for (let i = 0; i < 16; i++) await sql`insert into heavy (body) values (randomblob(3000))`.execute(trx)
          })
          bytes += 16 * 4096
          await new Promise((r) => setTimeout(r, 3))
        }
        const pageSize = 4096
        const largest = Math.max(...copied) * (pageSize + 24)
        expect(bytes).toBeGreaterThan(6 * CHECKPOINT_POLL_MS * 1000)
        expect(copied.length).toBeGreaterThanOrEqual(6)
        // A slice is what came in one look (250 ms) past CHECKPOINT_WAL_BYTES; every 2 s it was up to 40 MB here.
        expect(largest).toBeLessThanOrEqual(3 * CHECKPOINT_WAL_BYTES)
      } finally {
        await database.close()
      }
    },
    30_000,
  )

  it("reads what waits to be copied from SQLite's WAL-index header, as SQLite itself counts it", async () => {
    const path = join(dir, 'header.db')
    const database = await createDb(`sqlite:${path}`)
    const { db } = database
    try {
      await database.checkpointer!.close()
      await sql.raw('create table t (id integer primary key, body blob not null)').execute(db)
      for (let i = 0; i < 40; i++) await sql`insert into t (body) values (randomblob(3000))`.execute(db)
      // SQLite's own count: frames in the log, and frames copied, from a checkpoint that copies none.
      const [before] = (await sql<{ log: number; checkpointed: number }>`PRAGMA wal_checkpoint(NOOP)`.execute(db)).rows as unknown as Array<{ log: number; checkpointed: number }>
      const frame = 4096 + 24
      expect(await uncopiedLogBytes(`${path}-shm`)).toBe((before.log - before.checkpointed) * frame)
      expect(before.log - before.checkpointed).toBeGreaterThan(40)
      await sql`PRAGMA wal_checkpoint(PASSIVE)`.execute(db)
      expect(await uncopiedLogBytes(`${path}-shm`)).toBe(0)
      expect(await uncopiedLogBytes(join(dir, 'no-such.db-shm'))).toBeNull()
    } finally {
      await database.close()
    }
  })
})
