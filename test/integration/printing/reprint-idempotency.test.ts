import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { ZplPrinterSim } from '../../../hw-sim/printers/index.ts'
import { PrintingHarness, json, type JobView } from './support.ts'

/**
 * POST /api/print-jobs/:id/reprint honours Idempotency-Key like POST /api/print-jobs: a client
 * that retries after a network blip gets the same job, and the labels print once.
 */
describe.each(DB_KINDS)('reprint with an Idempotency-Key on %s', (kind) => {
  let h: PrintingHarness
  let zpl: ZplPrinterSim
  let clientId: number
  beforeAll(async () => {
    h = await PrintingHarness.start(kind)
    zpl = new ZplPrinterSim('reprint-zpl')
    await zpl.listen()
    await h.printerFor(zpl, 'zpl')
    clientId = await h.client()
  })
  afterAll(async () => {
    await h?.close()
    await zpl?.close()
  })

  const reprint = (id: number, key?: string) => h.api(`/api/print-jobs/${id}/reprint`, { method: 'POST', headers: key ? { 'idempotency-key': key } : {} })

  it('when a reprint is retried with the same key, then the same job comes back (replayed) and it prints once', async () => {
    const { id } = await h.submit({ document: 'client-label', recordId: clientId, printer: 'reprint-zpl' })
    await h.waitJob(id)
    const before = zpl.printedCount
    const first = await reprint(id, 'reprint-retry-1')
    expect(first.status).toBe(202)
    expect(first.headers.get('idempotent-replayed')).toBeNull()
    const a = await json<{ id: number }>(first)
    const second = await reprint(id, 'reprint-retry-1')
    expect(second.status).toBe(202)
    expect(second.headers.get('idempotent-replayed')).toBe('true')
    expect((await json<{ id: number }>(second)).id).toBe(a.id)
    expect(await h.waitJob(a.id)).toMatchObject({ state: 'completed' })
    // A third retry, after it printed: still the same job, nothing more printed.
    expect((await json<{ id: number }>(await reprint(id, 'reprint-retry-1'))).id).toBe(a.id)
    await h.waitIdle('reprint-zpl')
    expect(zpl.printedCount - before).toBe(1)
    const jobs = await json<{ items: JobView[] }>(await h.api('/api/print-jobs?printer=reprint-zpl&limit=100'))
    expect(jobs.items.filter((j) => (j as unknown as { reprintOf: number | null }).reprintOf === id)).toHaveLength(1)
  })

  it('when requests race with one key, then all get the same job and it prints once', async () => {
    const { id } = await h.submit({ document: 'client-label', recordId: clientId, printer: 'reprint-zpl' })
    await h.waitJob(id)
    const before = zpl.printedCount
    const answers = await Promise.all(Array.from({ length: 10 }, () => reprint(id, 'reprint-race-1')))
    expect(answers.map((r) => r.status)).toEqual(Array(10).fill(202))
    const ids = new Set(await Promise.all(answers.map(async (r) => (await json<{ id: number }>(r)).id)))
    expect(ids.size).toBe(1)
    await h.waitJob([...ids][0])
    await h.waitIdle('reprint-zpl')
    expect(zpl.printedCount - before).toBe(1)
  })

  it('when the key was used for another request, then 422 IDEMPOTENCY_KEY_REUSED; an invalid key is 400', async () => {
    const one = await h.submit({ document: 'client-label', recordId: clientId, printer: 'reprint-zpl' }, 'submit-key-1')
    const two = await h.submit({ document: 'client-label', recordId: clientId, printer: 'reprint-zpl' })
    await h.waitJob(one.id)
    await h.waitJob(two.id)
    // A key of a print request is not a key of a reprint.
    const reused = await reprint(two.id, 'submit-key-1')
    expect(reused.status).toBe(422)
    expect(await json(reused)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' })
    // A reprint's key, for a reprint of another job, or for a print request.
    expect((await reprint(one.id, 'reprint-key-2')).status).toBe(202)
    const other = await reprint(two.id, 'reprint-key-2')
    expect(other.status).toBe(422)
    expect(await json(other)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' })
    const asSubmit = await h.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: clientId, printer: 'reprint-zpl' }, headers: { 'idempotency-key': 'reprint-key-2' } })
    expect(asSubmit.status).toBe(422)
    const invalid = await reprint(one.id, 'has space')
    expect(invalid.status).toBe(400)
    expect(await json(invalid)).toMatchObject({ code: 'IDEMPOTENCY_KEY_INVALID' })
  })
})
