import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { openSync, readSync, closeSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createDb, type Db } from '../../../src/store/create-db.ts'
import { CHECKPOINT_LOOK_MS, CHECKPOINT_POLL_MS, WAL_SIZE_LIMIT_BYTES } from '../../../src/store/sqlite-checkpointer.ts'

const require = createRequire(import.meta.url)
const dir = mkdtempSync(join(tmpdir(), 'studio-wal-restart-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A server database (its connection and checkpointer, as the server opens them) at `name` in the scratch folder, for `body`; closed after. */
async function withDatabase(name: string, body: (database: Db, path: string) => Promise<void>): Promise<void> {
  const path = join(dir, name)
  const database = await createDb(`sqlite:${path}`)
  try {
    await body(database, path)
  } finally {
    await database.close()
  }
}

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
    'copies a fast-growing log when 4 MiB wait, not at the next 2 s poll (one 75 MB pass stalled a busy server)',
    () =>
      withDatabase('heavy.db', async (database) => {
        const { db } = database
        const checkpointer = database.checkpointer!
        await sql.raw('create table heavy (id integer primary key, body blob not null)').execute(db)
        // The checkpoint thread started before anything is timed.
        await checkpointer.checkpoint()
        // When each pass began and ended (every pass goes through checkpoint()).
        const passes: Array<{ start: number; end: number | null }> = []
        const pass = checkpointer.checkpoint.bind(checkpointer)
        checkpointer.checkpoint = async () => {
          const p: { start: number; end: number | null } = { start: performance.now(), end: null }
          passes.push(p)
          try {
            return await pass()
          } finally {
            p.end = performance.now()
          }
        }
        const idle = () => passes.every((p) => p.end !== null)
        // Bursts of 6 MiB of log, each once no pass runs: how long until a pass starts? The 2 s
        // poll alone starts one anywhere up to 2 s later; a look every 250 ms at what waits, soon.
        // (How long a pass then takes is the disk's business, not measured here.)
        const delays: number[] = []
        for (let burst = 0; burst < 5; burst++) {
          while (!idle()) await new Promise((r) => setTimeout(r, 5))
          await db.transaction().execute(async (trx) => {
            for (let i = 0; i < 96; i++) await sql`insert into heavy (body) values (randomblob(65536))`.execute(trx)
          })
          const written = performance.now()
          const seen = passes.length
          while (passes.length === seen && performance.now() - written < 5_000) await new Promise((r) => setTimeout(r, 5))
          delays.push(passes.length > seen ? passes[seen].start - written : Number.POSITIVE_INFINITY)
        }
        // Each within two looks (and the answers to its questions) of the burst.
        expect(Math.max(...delays)).toBeLessThanOrEqual(2 * CHECKPOINT_LOOK_MS + 250)
      }),
    60_000,
  )

  it(
    "asks SQLite what waits to be copied, and leaves the server's locks alone (closing a descriptor of the -shm file drops them all)",
    () =>
      withDatabase('locks.db', async (database, path) => {
        const { db } = database
        // Another connection of this process holds a read transaction: its lock on the -shm file
        // must keep another process from truncating the log under it.
        const reader = new Database(path)
        try {
          const checkpointer = database.checkpointer!
          await sql.raw('create table t (id integer primary key, body blob not null)').execute(db)
          for (let i = 0; i < 40; i++) await sql`insert into t (body) values (randomblob(3000))`.execute(db)
          await checkpointer.checkpoint()
          for (let i = 0; i < 40; i++) await sql`insert into t (body) values (randomblob(3000))`.execute(db)
          // SQLite's own count, from a checkpoint that copies nothing.
          const [own] = (await sql<{ log: number; checkpointed: number }>`PRAGMA wal_checkpoint(NOOP)`.execute(db)).rows
          expect(own.log - own.checkpointed).toBeGreaterThan(40)
          expect(await checkpointer.waitingBytes()).toBe((own.log - own.checkpointed) * (4096 + 24))
          // Null while a pass of the timer's is in flight: asked again then.
          const asked = async (): Promise<number | null> => {
            for (let i = 0; i < 100; i++) {
              const w = await checkpointer.waitingBytes()
              if (w !== null) return w
              await new Promise((r) => setTimeout(r, 20))
            }
            return null
          }
          reader.exec('BEGIN')
          reader.prepare('select count(*) from t').get()
          // The questions about what waits, asked while the reader holds its lock (as the looks ask
          // them between passes), and looks under writes for a poll.
          for (let i = 0; i < 3; i++) {
            await sql`insert into t (body) values (randomblob(3000))`.execute(db)
            expect(await asked()).not.toBeNull()
          }
          const until = Date.now() + CHECKPOINT_POLL_MS + 500
          while (Date.now() < until) {
            await sql`insert into t (body) values (randomblob(3000))`.execute(db)
            await new Promise((r) => setTimeout(r, 5))
          }
          expect(await asked()).not.toBeNull()
          const truncate = spawnSync(
            process.execPath,
            ['-e', `const D = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const d = new D(${JSON.stringify(path)}); d.pragma('busy_timeout = 0'); console.log(JSON.stringify(d.pragma('wal_checkpoint(TRUNCATE)')[0]))`],
            { encoding: 'utf8' },
          )
          expect(truncate.status, truncate.stderr).toBe(0)
          // busy: 1 — the reader's lock held; 0 would mean the log was cut from under a live reader.
          // (-1 counts would be another busy: a pass of ours holding the checkpoint lock.)
          const answer = JSON.parse(truncate.stdout) as { busy: number; log: number; checkpointed: number }
          expect(answer.busy).toBe(1)
          expect(answer.checkpointed).toBeGreaterThanOrEqual(0)
          expect(answer.log).toBeGreaterThan(answer.checkpointed)
          reader.exec('COMMIT')
        } finally {
          reader.close()
        }
      }),
    30_000,
  )
})
