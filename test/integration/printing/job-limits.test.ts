import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { ZplPrinterSim } from '../../../hw-sim/printers/index.ts'
import { PrintingHarness, json } from './support.ts'
import { MAX_BYTES_PER_JOB, MAX_RECORDS_PER_JOB } from '../../../src/app/printing/print-jobs.ts'

/** A studio ZPL template carrying its logo as a ^GFA graphic of `graphicBytes` bytes (hex). */
function templateWithGraphic(graphicBytes: number): string {
  const hex = 'F0E1D2C3B4A59687'.repeat(Math.ceil((graphicBytes * 2) / 16)).slice(0, graphicBytes * 2)
  return `^XA^CI28^FO20,20^GFA,${graphicBytes},${graphicBytes},40,${hex}^FS^FO20,300^A0N,30^FH^FD{{client.name}}^FS^FO20,340^A0N,30^FH^FD{{client.number}}^FS^XZ`
}

describe.each(DB_KINDS)('per-job limits and big jobs on %s', (kind) => {
  let h: PrintingHarness
  let zpl: ZplPrinterSim
  const clients: number[] = []
  beforeAll(async () => {
    h = await PrintingHarness.start(kind)
    zpl = new ZplPrinterSim('big-zpl')
    await zpl.listen()
    await h.printerFor(zpl, 'zpl')
    for (let i = 0; i < 10; i++) clients.push(await h.client(`Big${i}`))
  })
  afterAll(async () => {
    await h?.close()
    await zpl?.close()
  })

  async function jobCount(): Promise<number> {
    return (await json<{ items: unknown[] }>(await h.api('/api/print-jobs?limit=500'))).items.length
  }

  async function useTemplate(graphicBytes: number): Promise<void> {
    const res = await h.api('/api/templates/client-label', { method: 'POST', json: { kind: 'zpl', body: templateWithGraphic(graphicBytes) } })
    expect(res.status, await res.clone().text()).toBe(201)
  }

  const recordIds = (n: number) => Array.from({ length: n }, (_, i) => clients[i % clients.length])

  it('when a job names more records than the limit, then 413 JOB_TOO_LARGE and nothing is queued', async () => {
    const before = await jobCount()
    const res = await h.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordIds: recordIds(MAX_RECORDS_PER_JOB + 1), printer: 'big-zpl' } })
    expect(res.status).toBe(413)
    expect(await json(res)).toMatchObject({ code: 'JOB_TOO_LARGE', details: { limit: 'records', max: MAX_RECORDS_PER_JOB } })
    expect(await jobCount()).toBe(before)
  })

  it('when a job renders to more bytes than the limit, then 413 JOB_TOO_LARGE and nothing is queued', async () => {
    const before = await jobCount()
    await useTemplate(3_500) // about 7.1 KB a label: 10,000 labels are over 64 MiB
    const res = await h.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordIds: recordIds(MAX_RECORDS_PER_JOB), printer: 'big-zpl' } })
    expect(res.status).toBe(413)
    expect(await json(res)).toMatchObject({ code: 'JOB_TOO_LARGE', details: { limit: 'bytes', max: MAX_BYTES_PER_JOB } })
    expect(await jobCount()).toBe(before)
  })

  it('when the largest job the limits allow is queued (10,000 labels, just under 64 MiB), then it is stored, read back byte-identical and prints exactly 10,000 labels', async () => {
    await useTemplate(3_250) // about 6.6 KB a label
    const { id } = await h.submit({ document: 'client-label', recordIds: recordIds(MAX_RECORDS_PER_JOB), printer: 'big-zpl' })
    const stored = Buffer.from(await (await h.api(`/api/print-jobs/${id}/document`)).arrayBuffer())
    expect(stored.length).toBeGreaterThan(16 * 1024 * 1024) // over MariaDB's default max_allowed_packet
    expect(stored.length).toBeLessThanOrEqual(MAX_BYTES_PER_JOB)
    expect(stored.toString('latin1').match(/\^XA/g)).toHaveLength(MAX_RECORDS_PER_JOB)
    const done = await h.waitJob(id, undefined, 240_000)
    expect(done).toMatchObject({ state: 'completed', progress: { sent: MAX_RECORDS_PER_JOB, total: MAX_RECORDS_PER_JOB } })
    expect(zpl.printedCount).toBe(MAX_RECORDS_PER_JOB)
    expect(Buffer.concat(zpl.printed.map((u) => u.data)).equals(stored)).toBe(true)
    // And the database holds what was read back: a second read gives the same bytes.
    expect(Buffer.from(await (await h.api(`/api/print-jobs/${id}/document`)).arrayBuffer()).equals(stored)).toBe(true)
  }, 300_000)
})
