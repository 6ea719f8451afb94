import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.ts'
import { spawnServer, type ServerProcess } from '../printing/server-process.ts'
import { SseClient, type SseFrame } from './sse-client.ts'
import { until } from './wait.ts'
import { eventually } from '../../support/poll.ts'

const TOKEN = 'sp_station_state_events_admin_0123'

/**
 * Two real server processes on one database (one MariaDB; one SQLite file). A station's screen
 * follows its stream on A; the station is changed through B and its scanner is B's. Scanner and
 * station events must reach A's screen as scans do, once each, without ids of their own (the
 * screen's Last-Event-ID stays a scan id).
 */
describe.each(DB_KINDS)('scanner and station events across two servers on %s', (kind) => {
  let db: TestDatabase
  let a: ServerProcess
  let b: ServerProcess
  const clients: SseClient[] = []
  beforeAll(async () => {
    db = await freshDatabase(kind)
    a = await spawnServer({ DATABASE_URL: db.url, STUDIO_SERVER_ID: 'server-a' }, TOKEN)
    b = await spawnServer({ DATABASE_URL: db.url, STUDIO_SERVER_ID: 'server-b' }, TOKEN)
    expect((await a.api('/api/stations', { method: 'POST', json: { name: 'bench', mode: 'advance' } })).status).toBe(201)
    // B's scanner: B opens it (its location), A never does.
    expect((await b.api('/api/scanners', { method: 'POST', json: { name: 'bench-gun', station: 'bench', uri: 'sim:bench-gun' } })).status).toBe(201)
    // B logs its scanner's first connection a moment after the answer: wait until A reads it from the
    // log, so no stream opened by a test below gets that older event as a new one.
    await eventually(async () => ((await (await a.api('/api/scanners/bench-gun')).json()) as { state: { connected?: boolean } | null }).state?.connected === true, 10_000, "B's first report of its scanner, on A")
  }, 60_000)
  afterAll(async () => {
    for (const c of clients) await c.close()
    await Promise.all([a?.stop(), b?.stop()])
    await db?.dispose()
  })

  const stream = async (server: ServerProcess) => {
    const client = new SseClient(`${server.url}/api/stations/bench/events`, TOKEN)
    clients.push(client)
    await client.connect()
    return client
  }
  const of = (client: SseClient, event: string): Array<Record<string, unknown>> => client.frames.filter((f: SseFrame) => f.event === event).map((f) => JSON.parse(f.data) as Record<string, unknown>)

  it('when B changes the station and B’s scanner is unplugged and plugged in again, then the screen on A sees each change once, and its Last-Event-ID stays a scan id', async () => {
    const onA = await stream(a)
    const onB = await stream(b)
    await until(() => onA.lastEventId !== null && onB.lastEventId !== null, 10_000, 'the starting ids')
    expect(onA.lastEventId).toBe('0')

    const patched = await b.api('/api/stations/bench', { method: 'PATCH', json: { target: 'chosen', advanceTo: 'sent-to-lab' } })
    expect(patched.status).toBe(200)
    await until(() => of(onA, 'station').some((s) => s.advanceTo === 'sent-to-lab'), 10_000, 'the target change on A')
    expect(of(onA, 'station').at(-1)).toMatchObject({ name: 'bench', mode: 'advance', target: 'chosen', advanceTo: 'sent-to-lab' })

    const batch = (of(onA, 'station').at(-1)!.batch as { id: number }).id
    const scanned = await b.api('/api/stations/bench/scans', { method: 'POST', json: { data: 'NOT-A-CODE' } })
    expect(scanned.status).toBe(200)
    expect((await b.api('/api/stations/bench/batch', { method: 'POST' })).status).toBe(200)
    await until(() => of(onA, 'station').some((s) => (s.batch as { id: number }).id === batch + 1), 10_000, 'the new batch on A')

    expect((await b.api('/api/scanners/bench-gun/sim', { method: 'POST', json: { action: 'unplug' } })).status).toBe(200)
    await until(() => of(onA, 'scanner').some((s) => s.connected === false), 10_000, 'the unplugged scanner on A')
    expect(of(onA, 'scanner').at(-1)).toMatchObject({ scanner: 'bench-gun', connected: false })
    expect((await b.api('/api/scanners/bench-gun/sim', { method: 'POST', json: { action: 'replug' } })).status).toBe(200)
    await until(() => of(onA, 'scanner').some((s, i, all) => s.connected === true && all.slice(0, i).some((e) => e.connected === false)), 10_000, 'the plugged-in scanner on A')

    // The same on B's own stream, once each (written to the log and read back, not also pushed in-process).
    await until(() => of(onB, 'scanner').some((s, i, all) => s.connected === true && all.slice(0, i).some((e) => e.connected === false)), 10_000, 'the plugged-in scanner on B')
    for (const client of [onA, onB]) {
      expect(of(client, 'station').map((s) => [s.advanceTo, (s.batch as { id: number }).id])).toEqual([
        ['sent-to-lab', batch],
        ['sent-to-lab', batch + 1],
      ])
      // An unplug may be told twice (lost, then the failed reopen's error): the same events on both screens.
      expect(of(client, 'scanner')).toEqual(of(onB, 'scanner'))
      expect(of(client, 'scanner').map((s) => s.connected).filter((c, i, all) => i === 0 || c !== all[i - 1])).toEqual([false, true])
      // Only scans carry ids: the one scan, and nothing else moved Last-Event-ID.
      expect(client.frames.filter((f) => f.event !== 'message').every((f) => f.id === null)).toBe(true)
      expect(client.scanIds()).toHaveLength(1)
      expect(client.lastEventId).toBe(String(client.scanIds()[0]))
    }
  }, 90_000)

  it('when the screen reconnects with its Last-Event-ID, then it gets the scans it missed and no scanner or station event from before it connected', async () => {
    const first = await stream(a)
    await until(() => first.lastEventId !== null, 10_000, 'the starting id')
    const last = first.lastEventId
    await first.close()
    expect((await b.api('/api/stations/bench', { method: 'PATCH', json: { target: 'next' } })).status).toBe(200)
    const missed = await b.api('/api/stations/bench/scans', { method: 'POST', json: { data: 'NOT-A-CODE-MISSED' } })
    const missedId = ((await missed.json()) as { scanId: number }).scanId
    const again = new SseClient(`${a.url}/api/stations/bench/events`, TOKEN)
    clients.push(again)
    again.lastEventId = last
    await again.connect()
    await until(() => again.scanIds().includes(missedId), 10_000, `scan ${missedId}`)
    expect((await b.api('/api/scanners/bench-gun/sim', { method: 'POST', json: { action: 'unplug' } })).status).toBe(200)
    await until(() => of(again, 'scanner').length > 0, 10_000, 'the scanner event')
    expect(again.scanIds()).toEqual([missedId])
    expect(of(again, 'station')).toEqual([])
    expect(of(again, 'scanner').every((s) => s.scanner === 'bench-gun' && s.connected === false)).toBe(true)
  }, 60_000)

  it('when A is asked for the station or the scanner, then B’s scanner shows the state B last reported and when, not a guess', async () => {
    type View = { owned: boolean; state: { connected?: boolean; reportedAt?: string } | null }
    const onA = async () => {
      const station = (await (await a.api('/api/stations/bench')).json()) as { scanners: Array<View & { name: string }> }
      const one = (await (await a.api('/api/scanners/bench-gun')).json()) as View
      const list = (await (await a.api('/api/scanners?station=bench')).json()) as { items: View[] }
      return [station.scanners.find((s) => s.name === 'bench-gun')!, one, list.items[0]]
    }
    expect((await b.api('/api/scanners/bench-gun/sim', { method: 'POST', json: { action: 'replug' } })).status).toBe(200)
    await eventually(async () => (await onA()).every((v) => v.state?.connected === true), 10_000, 'connected as B reported it, on A')
    expect((await b.api('/api/scanners/bench-gun/sim', { method: 'POST', json: { action: 'unplug' } })).status).toBe(200)
    await eventually(async () => (await onA()).every((v) => v.state?.connected === false), 10_000, 'disconnected as B reported it, on A')
    for (const v of await onA()) {
      expect(v.owned).toBe(false)
      expect(Date.now() - Date.parse(v.state!.reportedAt!)).toBeLessThan(60_000)
    }
    // B answers from the scanner itself (it owns it).
    const own = (await (await b.api('/api/scanners/bench-gun')).json()) as View
    expect(own.owned).toBe(true)
    expect(own.state?.connected).toBe(false)
    expect(own.state?.reportedAt).toBeUndefined()
  }, 60_000)
})
