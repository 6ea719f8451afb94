import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { IppPeer } from '../printers/ipp-peer.ts'
import { PrintingHarness } from './support.ts'

describe.each(DB_KINDS)('an IPP printer that fails after the document went out, on %s', (kind) => {
  let h: PrintingHarness
  const resets = new IppPeer('reset-after-document')
  const slow = new IppPeer('keep-processing')
  let client: number
  beforeAll(async () => {
    h = await PrintingHarness.startWithDefaults(kind)
    await resets.listen()
    await slow.listen()
    for (const [name, peer] of [['ipp-resets', resets], ['ipp-slow', slow]] as const) {
      const res = await h.api('/api/printers', { method: 'POST', json: { name, language: 'pdf', uri: peer.uri } })
      expect(res.status, await res.clone().text()).toBe(201)
    }
    client = await h.client('Ipp')
  })
  afterAll(async () => {
    await h?.close()
    await resets.close()
    await slow.close()
  })

  it('when the printer resets the connection after reading the document, then the job is held job-sent-unconfirmed and the document was sent exactly once', async () => {
    const { id } = await h.submit({ document: 'client-profile', recordId: client, printer: 'ipp-resets' })
    const held = await h.waitJob(id, (j) => j.state !== 'pending' && j.state !== 'processing', 20_000)
    expect(held).toMatchObject({ state: 'held', reasons: ['job-sent-unconfirmed'], progress: { sent: 0, total: 1, uncertainUpTo: 1 } })
    expect(resets.documents).toHaveLength(1)
    expect(resets.operations.filter((o) => o === 'Print-Job')).toHaveLength(1)
  })

  it('when a job the printer is processing is canceled, then Cancel-Job goes to the printer for that job, once, and the job ends canceled', async () => {
    const { id } = await h.submit({ document: 'client-profile', recordId: client, printer: 'ipp-slow' })
    await h.waitJob(id, () => slow.operations.includes('Get-Job-Attributes'), 20_000)
    const res = await h.api(`/api/print-jobs/${id}/cancel`, { method: 'POST' })
    expect(res.status).toBe(200)
    expect(await h.waitJob(id, undefined, 20_000)).toMatchObject({ state: 'canceled', reasons: ['job-canceled-by-user'] })
    expect(slow.documents).toHaveLength(1)
    expect(slow.cancels).toEqual([1])
  })
})
