import { openSync, readSync, closeSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '../../../src/store/create-db.ts'
import { CHECKPOINT_POLL_MS, WAL_SIZE_LIMIT_BYTES } from '../../../src/store/sqlite-checkpointer.ts'

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
})
