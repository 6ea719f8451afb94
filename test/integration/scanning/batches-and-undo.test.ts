import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { createStores, type Stores } from '../../../src/app/stores.ts'
import { createDb, type Db } from '../../../src/store/create-db.ts'
import type { ScanService } from '../../../src/app/scanning/scan-service.ts'
import { quietScanService, seededStores, storedOrder } from './helpers.ts'

/** Undo once per advance, in one transaction; batch boundaries by ids and the database's clock, whatever each server's clock says. */
describe.each(DB_KINDS)('batches and undo at a station on %s', (kind) => {
  let stores: Stores
  let dispose: () => Promise<void>
  let url: string
  let now: number
  const service = (s: Stores = stores): ScanService => quietScanService(s)
  const newOrder = () => storedOrder(stores)
  const reverts = async (id: number) => (await stores.orders.history(id)).filter((h) => h.fromStatus === 'retouching' && h.toStatus === 'entered').length

  beforeEach(async () => {
    now = Date.UTC(2026, 10, 25, 9, 0)
    ;({ stores, url, dispose } = await seededStores(kind, () => new Date(now)))
  })
  afterEach(async () => dispose?.())

  it('when a presentation scanner reads the UNDO card three times, 1.5 s apart, after three advances, then one order goes back and the other reads answer NOTHING_TO_UNDO', async () => {
    const a = service()
    await a.createStation({ name: 'p', mode: 'advance' })
    const orders = [await newOrder(), await newOrder(), await newOrder()]
    for (const o of orders) {
      now += 1000
      expect(await a.scan({ station: 'p', data: o.barcode, source: 'scanner', scanner: 'sc', by: 'ann', at: now })).toMatchObject({ outcome: 'advanced' })
    }
    const outcomes = []
    for (let i = 0; i < 3; i++) {
      now += 1600
      const r = await a.scan({ station: 'p', data: 'STATION-UNDO', source: 'scanner', scanner: 'sc', by: 'ann', at: now })
      outcomes.push(r.code)
    }
    expect(outcomes).toEqual(['ADVANCE_UNDONE', 'NOTHING_TO_UNDO', 'NOTHING_TO_UNDO'])
    expect(await Promise.all(orders.map((o) => reverts(o.id)))).toEqual([0, 0, 1])
  })

  it('when the undo’s log row can’t be written, then nothing of the undo stays (the order keeps its status, the advance stays undoable) and the next undo reverts it once', async () => {
    const a = service()
    await a.createStation({ name: 'p', mode: 'advance' })
    const o = await newOrder()
    await a.scan({ station: 'p', data: o.barcode, source: 'http', by: 'ann' })
    const append = a.scanLog.append.bind(a.scanLog)
    let fail = true
    a.scanLog.append = async (...args) => {
      if (fail && args[0].outcome === 'undone') {
        fail = false
        throw new Error('Connection lost: The server closed the connection.')
      }
      return append(...args)
    }
    await expect(a.undo('p', 'ann')).rejects.toThrow('Connection lost')
    expect((await stores.orders.get(o.id)).status).toBe('retouching')
    expect(await a.undo('p', 'ann')).toMatchObject({ outcome: 'undone', to: 'entered' })
    await expect(a.undo('p', 'ann')).rejects.toMatchObject({ code: 'NOTHING_TO_UNDO' })
    expect(await reverts(o.id)).toBe(1)
  })

  it('when two servers share the database and one’s clock runs ten minutes slow, then an order it advanced is a duplicate in the batch the other started, and neither clock ends the batch early', async () => {
    // Server B: its own connection on MariaDB (the same handle on SQLite, which is one file in one process), its clock ten minutes behind A's.
    const other: Db | null = kind === 'mariadb' ? await createDb(url) : null
    try {
      const a = service()
      const storesB = createStores(other ?? stores.database, () => new Date(now - 10 * 60_000))
      const b = service(storesB)
      await a.createStation({ name: 'p', mode: 'lookup' })
      await a.updateStation('p', { mode: 'advance' }) // a new batch, started on A
      const o = await newOrder()
      const atB = await b.scan({ station: 'p', data: o.barcode, source: 'http', by: 'bob' })
      expect(atB).toMatchObject({ outcome: 'advanced' })
      now += 5000
      const atA = await a.scan({ station: 'p', data: o.barcode, source: 'http', by: 'ann' })
      expect(atA).toMatchObject({ code: 'DUPLICATE_SCAN', batch: atB.batch })
      expect((await stores.orders.history(o.id)).filter((h) => h.station === 'p')).toHaveLength(1)
      // A clock an hour ahead does not end the batch (30 minutes idle) either.
      const c = service(createStores(other ?? stores.database, () => new Date(now + 3600_000)))
      expect(await c.scan({ station: 'p', data: o.barcode.toLowerCase(), source: 'http', by: 'cy' })).toMatchObject({ code: 'DUPLICATE_SCAN', batch: atB.batch })
    } finally {
      await other?.close()
    }
  })
})
