import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { DB_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.ts'
import { createDb } from '../../../src/store/create-db.ts'
import { spawnServer, type ServerProcess } from '../printing/server-process.ts'
import { SseClient } from './sse-client.ts'
import { until } from './wait.ts'

const TOKEN = 'sp_station_events_admin_token_0123'

/** A small seeded generator, so that a failing interleaving can be replayed from its seed. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Two real server processes on one database (one MariaDB; one SQLite file). A station screen's
 * stream is open on A; the station's scans come through B and A. The stream must carry every
 * scan of the station, whichever server took it, in scan-log order, and a reconnect with
 * Last-Event-ID must resume exactly.
 */
describe.each(DB_KINDS)('station events across two servers on %s', (kind) => {
  let db: TestDatabase
  let a: ServerProcess
  let b: ServerProcess
  const clients: SseClient[] = []
  beforeAll(async () => {
    db = await freshDatabase(kind)
    a = await spawnServer({ DATABASE_URL: db.url, STUDIO_SERVER_ID: 'server-a' }, TOKEN)
    b = await spawnServer({ DATABASE_URL: db.url, STUDIO_SERVER_ID: 'server-b' }, TOKEN)
    const res = await a.api('/api/stations', { method: 'POST', json: { name: 'pack', mode: 'lookup' } })
    expect(res.status).toBe(201)
  }, 60_000)
  afterAll(async () => {
    for (const c of clients) await c.close()
    await Promise.all([a?.stop(), b?.stop()])
    await db?.dispose()
  })

  const stream = (server: ServerProcess) => {
    const client = new SseClient(`${server.url}/api/stations/pack/events`, TOKEN)
    clients.push(client)
    return client
  }
  const scan = async (server: ServerProcess, data: string): Promise<number> => {
    const res = await server.api('/api/stations/pack/scans', { method: 'POST', json: { data } })
    expect(res.status).toBe(200)
    return ((await res.json()) as { scanId: number }).scanId
  }

  it('when scans go through B and A, one by one and at once, and the stream on A reconnects at random with Last-Event-ID, then every id arrives exactly once, in order', async () => {
    const seed = Date.now() % 100_000
    const rnd = random(seed)
    const client = stream(a)
    await client.connect()
    const expected: number[] = []
    let reconnects = 0
    for (let i = 0; i < 40; i++) {
      const pick = rnd()
      if (pick < 0.35) expected.push(await scan(b, `NOT-A-CODE-B${i}`))
      else if (pick < 0.6) expected.push(await scan(a, `NOT-A-CODE-A${i}`))
      else expected.push(...(await Promise.all([scan(a, `NOT-A-CODE-A${i}`), scan(b, `NOT-A-CODE-B${i}`), scan(b, `NOT-A-CODE-C${i}`)])))
      if (rnd() < 0.3) {
        reconnects++
        await client.close()
        // Sometimes the screen is away while scans happen.
        if (rnd() < 0.5) expected.push(await scan(rnd() < 0.5 ? a : b, `NOT-A-CODE-AWAY${i}`))
        await client.connect()
      }
    }
    const all = [...expected].sort((x, y) => x - y)
    const last = all[all.length - 1]
    await until(() => client.scanIds().includes(last), 20_000, `scan ${last} on the stream (seed ${seed})`)
    expect(new Set(expected).size).toBe(expected.length)
    expect(client.scanIds(), `seed ${seed}, ${reconnects} reconnects`).toEqual(all)
  }, 120_000)

  it('when Last-Event-ID is above the highest stored id, then the stream says resync with the current id and carries the next scan', async () => {
    const current = await scan(b, 'NOT-A-CODE-BEFORE-RESYNC')
    const client = stream(a)
    client.lastEventId = String(current + 1_000)
    await client.connect()
    await until(() => client.frames.some((f) => f.event === 'resync'), 10_000, 'a resync event')
    const resync = client.frames.filter((f) => f.event === 'resync')
    expect(resync).toHaveLength(1)
    expect(resync[0].id).toBe(String(current))
    expect(JSON.parse(resync[0].data)).toEqual({ station: 'pack', lastEventId: current + 1_000, currentId: current })
    const next = await scan(b, 'NOT-A-CODE-AFTER-RESYNC')
    await until(() => client.scanIds().includes(next), 10_000, `scan ${next}`)
    expect(client.scanIds()).toEqual([next])
  }, 60_000)

  it('when the scan log starts again from 1 under an open stream (a restore, a new database), then the stream resyncs to the new highest id and carries the new low ids', async () => {
    const client = stream(a)
    await client.connect()
    const before = await scan(a, 'NOT-A-CODE-OLD')
    await until(() => client.scanIds().includes(before), 10_000, `scan ${before}`)
    const direct = await createDb(db.url)
    try {
      await direct.db.deleteFrom('scan_log').execute()
      if (direct.dialect === 'mysql') await sql`ALTER TABLE scan_log AUTO_INCREMENT = 1`.execute(direct.db)
      else await sql`DELETE FROM sqlite_sequence WHERE name = 'scan_log'`.execute(direct.db)
    } finally {
      await direct.close()
    }
    await until(() => client.frames.some((f) => f.event === 'resync'), 10_000, 'a resync event')
    const resync = client.frames.filter((f) => f.event === 'resync')
    expect(resync).toHaveLength(1)
    expect(resync[0].id).toBe('0')
    expect(JSON.parse(resync[0].data)).toEqual({ station: 'pack', lastEventId: before, currentId: 0 })
    const fresh = await scan(b, 'NOT-A-CODE-NEW')
    expect(fresh).toBeLessThan(before)
    await until(() => client.scanIds().includes(fresh), 10_000, `scan ${fresh} after the restore`)
    expect(client.scanIds()).toEqual([before, fresh])
    expect(client.lastEventId).toBe(String(fresh))
  }, 60_000)

  it('when A is killed -9 under an open stream, then the screen resumes on B with its Last-Event-ID and misses nothing', async () => {
    const onA = stream(a)
    await onA.connect()
    const before = await scan(b, 'NOT-A-CODE-BEFORE-KILL')
    await until(() => onA.scanIds().includes(before), 10_000, `scan ${before} on A`)
    await a.kill9()
    const during = [await scan(b, 'NOT-A-CODE-DURING-1'), await scan(b, 'NOT-A-CODE-DURING-2')]
    const onB = stream(b)
    onB.lastEventId = onA.lastEventId
    await onB.connect()
    const after = await scan(b, 'NOT-A-CODE-AFTER')
    await until(() => onB.scanIds().includes(after), 10_000, `scan ${after} on B`)
    expect(onA.scanIds()).toEqual([before])
    expect(onB.scanIds()).toEqual([...during, after])
  }, 60_000)
})
