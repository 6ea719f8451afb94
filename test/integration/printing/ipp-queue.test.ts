import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ippeveprinterPeer, startIppEvePrinter, type IppEvePrinter } from '../printers/ippeveprinter.ts'
import { PrintingHarness, json } from './support.ts'

describe.skipIf(!ippeveprinterPeer())('IPP through the print queue against a real ippeveprinter', () => {
  let h: PrintingHarness
  let eve: IppEvePrinter
  let rasterOnly: IppEvePrinter
  let clientId: number
  beforeAll(async () => {
    ;[eve, rasterOnly] = await Promise.all([startIppEvePrinter({ name: 'Studio Office' }), startIppEvePrinter({ name: 'Raster Only', formats: ['image/pwg-raster'] })])
    h = await PrintingHarness.start('sqlite')
    await h.printer('office-ipp', 'pdf', eve.uri)
    await h.printer('raster-ipp', 'pdf', rasterOnly.uri)
    clientId = await h.client()
  }, 60_000)
  afterAll(async () => {
    await h?.close()
    await Promise.all([eve?.stop(), rasterOnly?.stop()])
  })

  it('when a PDF is queued, then the job completes and the spooled document is byte-identical to what was accepted', async () => {
    const status = await json<{ status: { state: string } }>(await h.api('/api/printers/office-ipp'))
    expect(status.status.state).toBe('idle')
    const { id } = await h.submit({ document: 'client-profile', recordId: clientId, printer: 'office-ipp' })
    const done = await h.waitJob(id, undefined, 30_000)
    expect(done).toMatchObject({ state: 'completed', confirmed: true, reasons: ['job-completed-successfully'], progress: { sent: 1, total: 1 } })
    const accepted = Buffer.from(await (await h.api(`/api/print-jobs/${id}/document`)).arrayBuffer())
    expect(accepted.subarray(0, 5).toString()).toBe('%PDF-')
    const docs = await eve.spooledDocuments()
    expect(docs).toHaveLength(1)
    expect((await readFile(docs[0])).equals(accepted)).toBe(true)
  }, 60_000)

  it('when the printer does not take PDF, then the job ends aborted with document-format-error and nothing is spooled', async () => {
    const { id } = await h.submit({ document: 'client-profile', recordId: clientId, printer: 'raster-ipp' })
    const done = await h.waitJob(id, undefined, 30_000)
    expect(done).toMatchObject({ state: 'aborted', reasons: ['document-format-error'] })
    expect(done.message).toContain('application/pdf')
    expect(await rasterOnly.spooledDocuments()).toHaveLength(0)
  }, 60_000)
})
