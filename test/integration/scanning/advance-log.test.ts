import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import pino from 'pino'
import { DB_KINDS } from '../../support/databases.ts'
import { createStores, type Stores } from '../../../src/app/stores.ts'
import { createDb, type Db } from '../../../src/store/create-db.ts'
import { ScanService } from '../../../src/app/scanning/scan-service.ts'
import { StationEvents } from '../../../src/app/scanning/station-events.ts'
import { quietScanService, seededStores, storedOrder } from './helpers.ts'

/**
 * Duplicate-in-batch rests on the scan log. The status advance and its scan-log row were two
 * separate writes: when the second failed (or another server's scan came between them) the
 * order was advanced with no trace in the batch, and the next scan of it advanced it again.
 */
describe.each(DB_KINDS)('a production scan advances an order once per batch on %s', (kind) => {
  let stores: Stores
  let dispose: () => Promise<void>
  let url: string
  let now: number
  let barcode: string
  let orderId: number
  const service = (): ScanService => quietScanService(stores)

  beforeEach(async () => {
    now = Date.UTC(2026, 10, 25, 9, 0)
    ;({ stores, url, dispose } = await seededStores(kind, () => new Date(now)))
    ;({ id: orderId, barcode } = await storedOrder(stores))
  })
  afterEach(async () => dispose?.())

  it('when writing the scan log fails after the advance, then a rescan in the batch does not advance the order a second time', async () => {
    const a = service()
    await a.createStation({ name: 'retouch', mode: 'advance' })
    const append = a.scanLog.append.bind(a.scanLog)
    let fail = true
    a.scanLog.append = async (...args) => {
      if (fail) {
        fail = false
        throw new Error('Connection lost: The server closed the connection.')
      }
      return append(...args)
    }
    // The station beeps an error; the operator scans the order again a few seconds later.
    await a.scan({ station: 'retouch', data: barcode, source: 'http', by: 'ann' }).catch(() => undefined)
    now += 5_000
    await a.scan({ station: 'retouch', data: barcode, source: 'http', by: 'ann' }).catch(() => undefined)
    const steps = (await stores.orders.history(orderId)).filter((h) => h.station === 'retouch')
    expect(steps.map((h) => [h.fromStatus, h.toStatus])).toHaveLength(1)
  })

  // Two servers on one database is a MariaDB set-up. On SQLite two connections in one process
  // can't model it: better-sqlite3 waits for a lock synchronously, so server B's busy wait
  // would freeze server A (same thread) until the busy timeout. So this case exists for MariaDB
  // only (it is not skipped on SQLite: it is not defined there).
  const onMariaDb = kind === 'mariadb' ? it : () => undefined
  onMariaDb('when two servers take scans of one station and the second comes between the first one\'s advance and its log row, then the order moves once', async () => {
    // Server B: its own connection to the same database.
    const other: Db = await createDb(url)
    try {
      const a = service()
      const b = new ScanService({ stores: createStores(other, () => new Date(now)), events: new StationEvents(), log: pino({ level: 'silent' }) })
      await a.createStation({ name: 'retouch', mode: 'advance' })
      // Server A is slow to write its scan-log row (a busy database); server B's HTTP scan of the same order arrives then.
      const append = a.scanLog.append.bind(a.scanLog)
      let release!: () => void
      const gate = new Promise<void>((r) => (release = r))
      let reached!: () => void
      const atGate = new Promise<void>((r) => (reached = r))
      a.scanLog.append = async (...args) => {
        reached()
        await gate
        return append(...args)
      }
      const first = a.scan({ station: 'retouch', data: barcode, source: 'http', by: 'ann' })
      await Promise.race([atGate, first])
      now += 3_000
      const second = b.scan({ station: 'retouch', data: barcode, source: 'http', by: 'bob' })
      await Promise.race([second.catch(() => undefined), new Promise((r) => setTimeout(r, 300))])
      release()
      const results = await Promise.allSettled([first, second])
      const outcomes = results.map((r) => (r.status === 'fulfilled' ? (r.value.code ?? r.value.outcome) : `threw ${String(r.reason)}`))
      expect(outcomes.filter((o) => o === 'advanced')).toHaveLength(1)
      const steps = (await stores.orders.history(orderId)).filter((h) => h.station === 'retouch')
      expect(steps).toHaveLength(1)
      expect(outcomes.sort()).toEqual(expect.arrayContaining(['advanced']))
      expect(outcomes, JSON.stringify(outcomes)).toSatisfy((os: string[]) => os.every((o) => ['advanced', 'CONCURRENT_CHANGE', 'DUPLICATE_SCAN'].includes(o)))
    } finally {
      await other.close()
    }
  })
})
