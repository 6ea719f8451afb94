import { createHmac } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DB_KINDS, freshDatabase } from '../../support/databases.ts'
import { ADMIN_TOKEN, startTestServer } from '../../support/server.ts'
import { freePort } from '../../support/net.ts'
import { spawnServer } from '../printing/server-process.ts'
import { until, WebhookReceiver } from './webhook-receiver.ts'

const dir = mkdtempSync(join(tmpdir(), 'studio-hooks-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type Json = Record<string, any>
const body = async (res: Response): Promise<Json> => (await res.json()) as Json

describe.each(DB_KINDS)('webhooks (%s)', { timeout: 120_000 }, (kind) => {
  it('when a job prints and a scan happens while the receiver fails twice, then each event arrives signed, retried, exactly the ones that happened', async () => {
    const receiver = new WebhookReceiver(2)
    const url = await receiver.listen()
    const s = await startTestServer(kind)
    try {
      const hook = await body(await s.api('/api/webhooks', { method: 'POST', json: { url, events: ['print-job.state-changed', 'scan.result'], description: 'studio manager' } }))
      expect(hook.secret).toMatch(/^whsec_/)
      const out = join(dir, `printed-${kind}`)
      mkdirSync(out)
      expect((await s.api('/api/printers', { method: 'POST', json: { name: 'shelf', language: 'zpl', uri: `file:${out}/` } })).status).toBe(201)
      const client = await body(await s.api('/api/clients', { method: 'POST', json: { lastName: 'Hook' } }))
      const job = await body(await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: client.id, printer: 'shelf' } }))
      await until('the job completed', async () => (await body(await s.api(`/api/print-jobs/${job.id}`))).state === 'completed')
      expect((await s.api('/api/stations', { method: 'POST', json: { name: 'desk', mode: 'lookup' } })).status).toBe(201)
      const scan = await body(await s.api('/api/stations/desk/scans', { method: 'POST', json: { data: client.barcode } }))
      expect(scan.outcome).toBe('opened')

      const events = await until('four events delivered', () => receiver.delivered().length === 4 && receiver.delivered())
      expect(events.map((e) => e.type)).toEqual(['print-job.state-changed', 'print-job.state-changed', 'print-job.state-changed', 'scan.result'])
      expect(events.slice(0, 3).map((e) => [e.data.from, e.data.to])).toEqual([
        [null, 'pending'],
        ['pending', 'processing'],
        ['processing', 'completed'],
      ])
      expect(events.slice(0, 3).every((e) => e.data.jobId === job.id && e.data.printer === 'shelf')).toBe(true)
      expect(events[3].data).toMatchObject({ scanId: scan.scanId, station: 'desk', outcome: 'opened', data: client.barcode })

      // Two failures, each retried once: six requests in all, every one signed over timestamp.body.
      expect(receiver.requests.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 500, 500])
      for (const r of receiver.requests) {
        const ts = String(r.headers['studio-print-timestamp'])
        expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(300)
        expect(r.headers['studio-print-signature']).toBe(`v1=${createHmac('sha256', hook.secret).update(`${ts}.${r.body}`).digest('hex')}`)
        expect(JSON.parse(r.body).id).toBe(r.headers['studio-print-event-id'])
      }

      const log = await body(await s.api(`/api/webhooks/${hook.id}/deliveries`))
      expect(log.items).toHaveLength(4)
      expect(log.items.every((d: Json) => d.state === 'delivered' && d.lastStatus === 200)).toBe(true)
      expect(log.items.reduce((n: number, d: Json) => n + d.attempts, 0)).toBe(6)
      expect(log.items.filter((d: Json) => d.attempts === 2).every((d: Json) => d.lastError === null)).toBe(true)
      // One more scan makes exactly one more request: nothing else was queued meanwhile.
      const another = await body(await s.api('/api/stations/desk/scans', { method: 'POST', json: { data: 'NOT A CODE' } }))
      const after = await until('the fifth event', () => receiver.delivered().length === 5 && receiver.delivered())
      expect(after[4].data).toMatchObject({ scanId: another.scanId, outcome: 'error' })
      expect(receiver.requests).toHaveLength(7)
    } finally {
      await s.close()
      await receiver.close()
    }
  })

  it('when an admin sends a bad endpoint, then 400 and nothing is made; a client token may not see webhooks', async () => {
    const s = await startTestServer(kind)
    try {
      for (const bad of [{ url: 'ftp://x/y', events: ['scan.result'] }, { url: 'http://127.0.0.1/x', events: ['nope'] }, { url: 'http://127.0.0.1/x', events: [] }, { url: 'http://u:p@127.0.0.1/x', events: ['scan.result'] }, { url: 'http://127.0.0.1/x', events: ['scan.result'], secret: 'short' }]) {
        const res = await s.api('/api/webhooks', { method: 'POST', json: bad })
        expect(res.status).toBe(400)
        expect((await body(res)).code).toBe('VALIDATION_FAILED')
      }
      expect((await body(await s.api('/api/webhooks'))).items).toEqual([])
      const client = await body(await s.api('/api/tokens', { method: 'POST', json: { role: 'client' } }))
      expect((await s.api('/api/webhooks', { token: client.token })).status).toBe(403)
      expect((await body(await s.api('/api/webhooks/99'))).code).toBe('WEBHOOK_NOT_FOUND')
    } finally {
      await s.close()
    }
  })

  it('when the server is killed -9 while the receiver is down, then after a restart every event still arrives once the receiver is back', async () => {
    const db = await freshDatabase(kind)
    const receiver = new WebhookReceiver(0)
    const port = await freePort()
    const url = `http://127.0.0.1:${port}/hook`
    const first = await spawnServer({ DATABASE_URL: db.url }, ADMIN_TOKEN)
    let second: Awaited<ReturnType<typeof spawnServer>> | null = null
    try {
      expect((await first.api('/api/webhooks', { method: 'POST', json: { url, events: ['scan.result'] } })).status).toBe(201)
      expect((await first.api('/api/stations', { method: 'POST', json: { name: 'desk', mode: 'lookup' } })).status).toBe(201)
      const scans: number[] = []
      for (const data of ['C-000001', 'C-000002', 'NOT A CODE']) scans.push((await body(await first.api('/api/stations/desk/scans', { method: 'POST', json: { data } }))).scanId)
      await first.kill9()
      second = await spawnServer({ DATABASE_URL: db.url }, ADMIN_TOKEN)
      await receiver.listen(port)
      const events = await until('three scan events', () => receiver.delivered().length === 3 && receiver.delivered())
      expect(events.map((e) => e.data.scanId)).toEqual(scans)
    } finally {
      await first.kill9().catch(() => {})
      await second?.stop()
      await receiver.close()
      await db.dispose()
    }
  })
})
