import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { ZplPrinterSim } from '../../../hw-sim/printers/index.ts'
import { PrintingHarness, eventually, json, type JobView } from './support.ts'

type Problem = { status: number; code: string; detail: string }

describe.each(DB_KINDS)('printing API on %s', (kind) => {
  let h: PrintingHarness
  let zpl: ZplPrinterSim
  let clientId: number
  let dir: string
  beforeAll(async () => {
    h = await PrintingHarness.start(kind)
    zpl = new ZplPrinterSim('api-zpl')
    await zpl.listen()
    await h.printerFor(zpl, 'zpl')
    dir = mkdtempSync(join(tmpdir(), 'studio-office-'))
    await h.printer('office', 'pdf', `file:${dir}/`)
    clientId = await h.client()
  })
  afterAll(async () => {
    await h?.close()
    await zpl?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const problem = async (res: Response, status: number, code: string) => {
    expect(res.headers.get('content-type')).toContain('application/problem+json')
    const p = await json<Problem>(res)
    expect({ status: res.status, code: p.code }).toEqual({ status, code })
    return p
  }

  describe('printers', () => {
    it('when a printer is created, read and listed, then it has its location and a live status', async () => {
      const res = await h.api('/api/printers', { method: 'POST', json: { name: 'desk', language: 'zpl', uri: zpl.uri, media: { stock: '2.25x1.25', dpi: 203 } } })
      expect(res.status).toBe(201)
      expect(await res.json()).toMatchObject({ name: 'desk', language: 'zpl', uri: zpl.uri, location: 'test-location', owned: true, media: { stock: '2.25x1.25', dpi: 203 } })
      // Status comes from the background probe, with its age; the first one follows the creation.
      type Status = { status: { state: string; reasons: string[]; ageMs: number | null } }
      const read = async () => json<Status>(await h.api('/api/printers/desk'))
      await eventually(async () => (await read()).status.state !== 'unknown', 10_000, 'the first probe')
      const one = await read()
      expect(one.status).toEqual(expect.objectContaining({ state: 'idle', reasons: [] }))
      expect(one.status.ageMs).toBeGreaterThanOrEqual(0)
      const list = await json<{ items: Array<{ name: string }> }>(await h.api('/api/printers'))
      expect(list.items.map((p) => p.name)).toEqual(expect.arrayContaining(['desk', 'api-zpl', 'office']))
    })

    it('when a printer is patched, then it changes; another location owns it: no status probe', async () => {
      const res = await h.api('/api/printers/desk', { method: 'PATCH', json: { location: 'elsewhere' } })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ location: 'elsewhere', owned: false })
      expect(await json(await h.api('/api/printers/desk'))).toMatchObject({ status: null })
      expect((await h.api('/api/printers/desk', { method: 'DELETE' })).status).toBe(204)
      await problem(await h.api('/api/printers/desk'), 404, 'PRINTER_NOT_FOUND')
    })

    it('when a printer is invalid, then 400 with a clear code; a duplicate is 409; a client token is 403', async () => {
      await problem(await h.api('/api/printers', { method: 'POST', json: { name: 'x', language: 'postscript', uri: 'tcp://10.0.0.5:9100' } }), 400, 'PRINTER_LANGUAGE_UNKNOWN')
      await problem(await h.api('/api/printers', { method: 'POST', json: { name: 'x', language: 'zpl', uri: 'tcp://10.0.0.5' } }), 400, 'PRINTER_URI_INVALID')
      await problem(await h.api('/api/printers', { method: 'POST', json: { name: 'x', language: 'zpl', uri: 'ipp://printer.local/ipp/print' } }), 400, 'PRINTER_URI_INVALID')
      await problem(await h.api('/api/printers', { method: 'POST', json: { name: 'bad name!', language: 'zpl', uri: 'tcp://10.0.0.5:9100' } }), 400, 'VALIDATION_FAILED')
      await problem(await h.api('/api/printers', { method: 'POST', json: { name: 'api-zpl', language: 'zpl', uri: zpl.uri } }), 409, 'PRINTER_EXISTS')
      await problem(await h.api('/api/printers/nope', { method: 'PATCH', json: { uri: 'tcp://10.0.0.5:9100' } }), 404, 'PRINTER_NOT_FOUND')
      await problem(await h.api('/api/printers/api-zpl', { method: 'PATCH', json: { uri: 'serial:/dev/ttyS0?baud=7' } }), 400, 'PRINTER_URI_INVALID')
      const tok = await json<{ token: string }>(await h.api('/api/tokens', { method: 'POST', json: { role: 'client' } }))
      await problem(await h.api('/api/printers', { method: 'POST', token: tok.token, json: { name: 'y', language: 'zpl', uri: zpl.uri } }), 403, 'FORBIDDEN')
      expect((await h.api('/api/printers', { token: tok.token })).status).toBe(200)
      await problem(await h.api('/api/printers', { token: null }), 401, 'UNAUTHORIZED')
    })

    it('when a printer has an active job, then DELETE is refused with 409', async () => {
      await h.printer('held-printer', 'zpl', 'tcp://127.0.0.1:9')
      await h.api('/api/printers/held-printer', { method: 'PATCH', json: { location: 'nowhere' } })
      const { id } = await h.submit({ document: 'client-label', recordId: clientId, printer: 'held-printer' })
      await problem(await h.api('/api/printers/held-printer', { method: 'DELETE' }), 409, 'PRINTER_HAS_ACTIVE_JOBS')
      expect((await h.api(`/api/print-jobs/${id}/cancel`, { method: 'POST' })).status).toBe(200)
      expect((await h.api('/api/printers/held-printer', { method: 'DELETE' })).status).toBe(204)
    })
  })

  describe('print jobs', () => {
    it('when a job is accepted, then 202 {id, state} and GET shows the job in IPP terms', async () => {
      const res = await h.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: clientId, printer: 'api-zpl' } })
      expect(res.status).toBe(202)
      const { id, state } = await json<{ id: number; state: string }>(res)
      expect(state).toBe('pending')
      expect(res.headers.get('location')).toBe(`/api/print-jobs/${id}`)
      const done = await h.waitJob(id)
      expect(done).toMatchObject({ id, state: 'completed', printer: 'api-zpl', document: 'client-label', recordId: clientId, attempts: 1, progress: { sent: 1, total: 1 } })
      expect(Date.parse(done.completedAt!)).toBeGreaterThan(0)
    })

    it('when a PDF goes to a file: printer, then the file holds exactly the document', async () => {
      const { id } = await h.submit({ document: 'client-profile', recordId: clientId, printer: 'office' })
      expect(await h.waitJob(id)).toMatchObject({ state: 'completed', confirmed: false })
      const files = readdirSync(dir)
      expect(files).toHaveLength(1)
      expect(readFileSync(join(dir, files[0])).subarray(0, 5).toString()).toBe('%PDF-')
    })

    it('when the request is wrong, then 400/404/415/422 before anything is queued', async () => {
      const before = (await json<{ items: unknown[] }>(await h.api('/api/print-jobs?limit=500'))).items.length
      await problem(await h.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', printer: 'api-zpl' } }), 400, 'VALIDATION_FAILED')
      await problem(await h.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: clientId, printer: 'api-zpl', copies: 0 } }), 400, 'VALIDATION_FAILED')
      await problem(await h.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: clientId, printer: 'api-zpl', extra: 1 } }), 400, 'VALIDATION_FAILED')
      await problem(await h.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: clientId, printer: 'api-zpl' }, headers: { 'idempotency-key': 'x'.repeat(201) } }), 400, 'IDEMPOTENCY_KEY_INVALID')
      await problem(await h.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: clientId, printer: 'ghost' } }), 404, 'PRINTER_NOT_FOUND')
      await problem(await h.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: 999_999, printer: 'api-zpl' } }), 404, 'RECORD_NOT_FOUND')
      await problem(await h.api('/api/print-jobs', { method: 'POST', json: { document: 'poster', recordId: clientId, printer: 'api-zpl' } }), 404, 'DOCUMENT_NOT_FOUND')
      await problem(await h.api('/api/print-jobs', { method: 'POST', json: { document: 'client-profile', recordId: clientId, printer: 'api-zpl' } }), 415, 'FORMAT_NOT_SUPPORTED')
      const order = await json<{ id: number }>(await h.api('/api/production-orders', { method: 'POST', json: { vendor: 'Bay Photo' } }))
      await problem(await h.api('/api/print-jobs', { method: 'POST', json: { document: 'work-order', recordId: order.id, printer: 'office' } }), 422, 'PRODUCTION_ORDER_NUMBER_MISSING')
      await problem(await h.api('/api/print-jobs/abc'), 400, 'ID_INVALID')
      await problem(await h.api('/api/print-jobs/999999'), 404, 'PRINT_JOB_NOT_FOUND')
      await problem(await h.api('/api/print-jobs?state=lost'), 400, 'QUERY_INVALID')
      const after = (await json<{ items: unknown[] }>(await h.api('/api/print-jobs?limit=500'))).items.length
      expect(after).toBe(before)
    })

    it('when the same Idempotency-Key comes twice, then one job and one print; another body with it is 422', async () => {
      const body = { document: 'client-label', recordId: clientId, printer: 'api-zpl' }
      const printedBefore = zpl.printed.length
      const a = await h.submit(body, 'key-twice')
      const b = await h.api('/api/print-jobs', { method: 'POST', json: body, headers: { 'idempotency-key': 'key-twice' } })
      expect(b.status).toBe(202)
      expect(b.headers.get('idempotent-replayed')).toBe('true')
      expect((await json<{ id: number }>(b)).id).toBe(a.id)
      await h.waitJob(a.id)
      const c = await h.api('/api/print-jobs', { method: 'POST', json: body, headers: { 'idempotency-key': 'key-twice' } })
      expect(await json(c)).toEqual({ id: a.id, state: 'completed' })
      await problem(await h.api('/api/print-jobs', { method: 'POST', json: { ...body, copies: 2 }, headers: { 'idempotency-key': 'key-twice' } }), 422, 'IDEMPOTENCY_KEY_REUSED')
      await h.waitIdle('api-zpl')
      expect(zpl.printed.length - printedBefore).toBe(1)
    })

    it('when 20 requests race with one Idempotency-Key, then all get the same job and it prints once', async () => {
      const body = { document: 'client-label', recordId: clientId, printer: 'api-zpl' }
      const printedBefore = zpl.printed.length
      const answers = await Promise.all(Array.from({ length: 20 }, () => h.api('/api/print-jobs', { method: 'POST', json: body, headers: { 'idempotency-key': 'key-race-20' } })))
      expect(answers.map((r) => r.status)).toEqual(Array(20).fill(202))
      const ids = new Set(await Promise.all(answers.map(async (r) => (await json<{ id: number }>(r)).id)))
      expect(ids.size).toBe(1)
      await h.waitJob([...ids][0])
      await h.waitIdle('api-zpl')
      expect(zpl.printed.length - printedBefore).toBe(1)
    })

    it('when jobs are listed, then pages and filters work', async () => {
      const all = await json<{ items: JobView[]; nextAfter: number | null }>(await h.api('/api/print-jobs?limit=2'))
      expect(all.items).toHaveLength(2)
      expect(all.nextAfter).toBe(all.items[1].id)
      const next = await json<{ items: JobView[] }>(await h.api(`/api/print-jobs?limit=2&after=${all.nextAfter}`))
      expect(next.items[0].id).toBeGreaterThan(all.nextAfter!)
      const completed = await json<{ items: JobView[] }>(await h.api('/api/print-jobs?state=completed&printer=api-zpl&limit=500'))
      expect(completed.items.length).toBeGreaterThan(0)
      expect(completed.items.every((j) => j.state === 'completed' && j.printer === 'api-zpl')).toBe(true)
      const newest = await json<{ items: JobView[]; nextAfter: number | null }>(await h.api('/api/print-jobs?limit=2&order=newest'))
      expect(newest.items[0].id).toBeGreaterThan(newest.items[1].id)
      const older = await json<{ items: JobView[] }>(await h.api(`/api/print-jobs?limit=2&order=newest&after=${newest.nextAfter}`))
      expect(older.items[0].id).toBeLessThan(newest.items[1].id)
      expect((await h.api('/api/print-jobs?order=sideways')).status).toBe(400)
    })

    it('when a job is reprinted, then a new job prints the same bytes; cancel and release of finished jobs are 409', async () => {
      const { id } = await h.submit({ document: 'client-label', recordId: clientId, printer: 'api-zpl' })
      await h.waitJob(id)
      const first = zpl.printed[zpl.printed.length - 1].data
      // The record changes; the reprint prints what was accepted.
      await h.api(`/api/clients/${clientId}`, { method: 'PATCH', json: { lastName: 'Changed' } })
      const res = await h.api(`/api/print-jobs/${id}/reprint`, { method: 'POST' })
      expect(res.status).toBe(202)
      const again = await json<{ id: number }>(res)
      expect(again.id).not.toBe(id)
      expect(await h.waitJob(again.id)).toMatchObject({ state: 'completed' })
      expect(zpl.printed[zpl.printed.length - 1].data.equals(first)).toBe(true)
      await problem(await h.api(`/api/print-jobs/${id}/cancel`, { method: 'POST' }), 409, 'PRINT_JOB_FINISHED')
      await problem(await h.api(`/api/print-jobs/${id}/release`, { method: 'POST' }), 409, 'PRINT_JOB_NOT_HELD')
      await problem(await h.api('/api/print-jobs/999999/reprint', { method: 'POST' }), 404, 'PRINT_JOB_NOT_FOUND')
      await problem(await h.api('/api/print-jobs/999999/cancel', { method: 'POST' }), 404, 'PRINT_JOB_NOT_FOUND')
    })
  })
})
