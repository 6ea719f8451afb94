import { describe, expect, it } from 'vitest'
import { createAppServer } from '../../../src/server/app-server.ts'
import type { AddressInfo } from 'node:net'
import pino from 'pino'
import { serverIdFrom, withDefaultSections } from '../../../src/config/load-config.ts'
import { migratedDb } from '../../support/databases.ts'
import { createStores } from '../../../src/app/stores.ts'
import { createApp } from '../../../src/server/app.ts'
import { createScanningModule } from '../../../src/compose/scanning-module.ts'

describe('station event stream heartbeats', () => {
  it('when a stream is idle, then comment heartbeats keep it alive; stop() ends it', async () => {
    const { db, dispose } = await migratedDb('sqlite')
    const stores = createStores(db)
    await stores.settings.seedDefaults()
    const token = (await stores.tokens.create('admin', null, 'test')).token
    const log = pino({ level: 'silent' })
    const config = withDefaultSections({ port: 0, host: '127.0.0.1', databaseUrl: 'sqlite::memory:', adminToken: null, demo: false, logLevel: 'silent', dataDir: '/tmp', serverId: serverIdFrom(process.env) })
    const scanning = await createScanningModule({ config, stores, log }, { heartbeatMs: 40 })
    await scanning.start?.()
    const server = createAppServer(createApp({ stores, log, version: 'test', apiRouters: scanning.apiRouters ?? [] }))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      await scanning.service.createStation({ name: 'hb', mode: 'lookup' })
      const res = await fetch(`${url}/api/stations/hb/events`, { headers: { authorization: `Bearer ${token}` } })
      expect(res.status).toBe(200)
      let text = ''
      const reader = (res.body as ReadableStream<Uint8Array>).getReader()
      const decoder = new TextDecoder()
      const deadline = Date.now() + 3000
      while ((text.match(/: ping/g) ?? []).length < 2 && Date.now() < deadline) {
        const { value, done } = await reader.read()
        if (done) break
        text += decoder.decode(value, { stream: true })
      }
      expect(text).toMatch(/^retry: \d+\n\n/)
      expect((text.match(/: ping\n\n/g) ?? []).length).toBeGreaterThanOrEqual(2)
      const ended = (async () => {
        for (;;) if ((await reader.read()).done) return true
      })()
      await scanning.stop?.()
      expect(await Promise.race([ended, new Promise((r) => setTimeout(() => r(false), 2000))])).toBe(true)
    } finally {
      await new Promise<void>((r) => server.close(() => r()))
      await dispose()
    }
  })
})
