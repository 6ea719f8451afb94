import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { PrintingHarness } from './support.ts'

describe.each(DB_KINDS)('Idempotency-Key on a database made with the server defaults (%s)', (kind) => {
  let h: PrintingHarness
  let client: number
  beforeAll(async () => {
    h = await PrintingHarness.start(kind)
    // Another location's printer: jobs are accepted and stay queued.
    const res = await h.api('/api/printers', { method: 'POST', json: { name: 'far', language: 'zpl', uri: 'tcp://127.0.0.1:9', location: 'elsewhere' } })
    expect(res.status).toBe(201)
    client = await h.client()
  })
  afterAll(async () => {
    await h?.close()
  })

  it('when two keys differ only in case, then they are two requests: two jobs; the same key again is the same job', async () => {
    const body = { document: 'client-label', recordId: client, printer: 'far' }
    const a = await h.submit(body, 'Order-7f3a')
    const b = await h.submit(body, 'order-7F3A')
    const again = await h.submit(body, 'Order-7f3a')
    expect(b.id).not.toBe(a.id)
    expect(again.id).toBe(a.id)
    const page = (await (await h.api('/api/print-jobs?printer=far&limit=10')).json()) as { items: unknown[] }
    expect(page.items).toHaveLength(2)
  })
})
