import { describe, expect, it } from 'vitest'
import { createAppServer } from '../../../src/server/app-server.ts'
import type { AddressInfo } from 'node:net'
import pino from 'pino'
import { serverIdFrom, withDefaultSections } from '../../../src/config/load-config.ts'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { createStores } from '../../../src/app/stores.ts'
import { createApp } from '../../../src/server/app.ts'
import { createScanningModule } from '../../../src/compose/scanning-module.ts'

/**
 * A station screen that was offline while more than one replay page of scans happened (a busy
 * production room, a display rebooting) reconnects with Last-Event-ID. It must get every scan
 * since, then the live ones: a gap is never filled later, because the browser's Last-Event-ID
 * moves past it with the first live event.
 */
describe.each(DB_KINDS)('station event replay on %s', (kind) => {
  it('when more scans happened since Last-Event-ID than one replay page holds, then the stream still has every id in order, no gap, no repeat', async () => {
    const { db, dispose } = await migratedDb(kind)
    const stores = createStores(db)
    await stores.settings.seedDefaults()
    const token = (await stores.tokens.create('admin', null, 'test')).token
    const log = pino({ level: 'silent' })
    const config = withDefaultSections({ port: 0, host: '127.0.0.1', databaseUrl: 'sqlite::memory:', adminToken: null, demo: false, logLevel: 'silent', dataDir: '/tmp', serverId: serverIdFrom(process.env) })
    const scanning = await createScanningModule({ config, stores, log }, { heartbeatMs: 60_000 })
    await scanning.start?.()
    const server = createAppServer(createApp({ stores, log, version: 'test', apiRouters: scanning.apiRouters ?? [] }))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const abort = new AbortController()
    try {
      const service = scanning.service
      await service.createStation({ name: 'busy', mode: 'advance' })
      const seen = (await service.scan({ station: 'busy', data: 'NOT-A-CODE-0', source: 'http', by: 't' })).scanId
      const missed = 1_050
      for (let i = 1; i <= missed; i++) await service.scan({ station: 'busy', data: `NOT-A-CODE-${i}`, source: 'http', by: 't' })
      const res = await fetch(`${url}/api/stations/busy/events`, { headers: { authorization: `Bearer ${token}`, 'last-event-id': String(seen) }, signal: abort.signal })
      expect(res.status).toBe(200)
      const reader = (res.body as ReadableStream<Uint8Array>).getReader()
      const decoder = new TextDecoder()
      let text = ''
      let live = 0
      const ids = () => [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]))
      const deadline = Date.now() + 15_000
      while (Date.now() < deadline) {
        if (live === 0 && text.includes('retry:')) live = (await service.scan({ station: 'busy', data: 'LIVE-ONE', source: 'http', by: 't' })).scanId
        if (live !== 0 && ids().includes(live)) break
        const { value, done } = await reader.read()
        if (done) break
        text += decoder.decode(value, { stream: true })
      }
      const got = ids()
      const expected = Array.from({ length: missed + 1 }, (_, i) => seen + 1 + i)
      expect(got.length).toBe(expected.length)
      expect(got).toEqual(expected)
    } finally {
      abort.abort()
      await scanning.stop?.()
      await new Promise<void>((r) => server.close(() => r()))
      await dispose()
    }
  }, 60_000)
})
