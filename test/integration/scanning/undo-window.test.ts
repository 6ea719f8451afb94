import { describe, expect, it } from 'vitest'
import pino from 'pino'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { createStores } from '../../../src/app/stores.ts'
import { ScanService, UNDO_WINDOW_MS } from '../../../src/app/scanning/scan-service.ts'
import { StationEvents } from '../../../src/app/scanning/station-events.ts'
import { DEFAULT_TRACK } from '../../../src/domain/status-track.ts'

describe.each(DB_KINDS)('undo window and debounce on an injected clock on %s', (kind) => {
  it('when the last advance is older than the undo window, then undo refuses; within it, undo works and the history shows both rows with the station', async () => {
    const { db, dispose } = await migratedDb(kind)
    try {
      let now = Date.UTC(2026, 10, 25, 9, 0)
      const stores = createStores(db, () => new Date(now))
      await stores.settings.seedDefaults()
      const events = new StationEvents()
      const heard: string[] = []
      events.subscribe('p', (e) => e.kind === 'scan' && heard.push(e.result.outcome))
      const service = new ScanService({ stores, events, log: pino({ level: 'silent' }) })
      await service.createStation({ name: 'p', mode: 'advance' })
      const order = await stores.orders.create({ vendor: 'Lab', vendorAddress: [], orderType: 'default', productionOrderNumber: 'auto', invoiceIds: [], lines: [] }, DEFAULT_TRACK, { by: 't', station: null })
      const barcode = `PO-${order.productionOrderNumber}`
      expect(await service.scan({ station: 'p', data: barcode, source: 'http', by: 'ann' })).toMatchObject({ outcome: 'advanced', to: 'retouching' })
      // The same code again 1 s later: debounced; 2 s later: duplicate within the batch.
      now += 1000
      expect(await service.scan({ station: 'p', data: barcode, source: 'http', by: 'ann' })).toMatchObject({ code: 'DUPLICATE_SCAN' })
      now += 2000
      expect(await service.scan({ station: 'p', data: barcode, source: 'http', by: 'ann' })).toMatchObject({ code: 'DUPLICATE_SCAN', status: { key: 'retouching' } })
      now += UNDO_WINDOW_MS + 1
      await expect(service.undo('p', 'ann')).rejects.toMatchObject({ code: 'NOTHING_TO_UNDO' })
      await service.updateStation('p', { mode: 'advance' }) // new batch
      expect(await service.scan({ station: 'p', data: barcode, source: 'http', by: 'ann' })).toMatchObject({ outcome: 'advanced', to: 'ready-to-send' })
      now += UNDO_WINDOW_MS - 1000
      expect(await service.undo('p', 'bob')).toMatchObject({ outcome: 'undone', to: 'retouching', status: { key: 'retouching' } })
      const history = await stores.orders.history(order.id)
      expect(history.map((h) => [h.fromStatus, h.toStatus, h.station, h.by])).toEqual([
        [null, 'entered', null, 't'],
        ['entered', 'retouching', 'p', 'ann'],
        ['retouching', 'ready-to-send', 'p', 'ann'],
        ['ready-to-send', 'retouching', 'p', 'bob'],
      ])
      // Undone, the order may be scanned on again within the same batch.
      now += 2000
      expect(await service.scan({ station: 'p', data: barcode, source: 'http', by: 'ann' })).toMatchObject({ outcome: 'advanced', to: 'ready-to-send' })
      expect(heard).toEqual(['advanced', 'warning', 'warning', 'advanced', 'undone', 'advanced'])
    } finally {
      await dispose()
    }
  })
})
