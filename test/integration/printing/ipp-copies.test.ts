import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { ippeveprinterPeer, startIppEvePrinter, type IppEvePrinter } from '../printers/ippeveprinter.ts'
import { PrintingHarness, eventually, json } from './support.ts'

/**
 * IPP sends `copies` as a job attribute: one Print-Job per document, whatever the copies. The
 * job's progress, its total and the resumeAt of a release must all count documents then, or a
 * finished job reads "sent 2 of 6" and a release may skip documents that never printed.
 */
describe.skipIf(!ippeveprinterPeer()).each(DB_KINDS)('IPP copies on one scale (documents) against a real ippeveprinter on %s', (kind) => {
  let h: PrintingHarness
  let eve: IppEvePrinter
  let slow: IppEvePrinter | null = null
  let later: IppEvePrinter | null = null
  let dir: string
  let clients: number[]
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ipp-copies-'))
    eve = await startIppEvePrinter({ name: 'Copies Office' })
    h = await PrintingHarness.start(kind)
    await h.printer('copies-ipp', 'pdf', eve.uri)
    clients = [await h.client('Okafor'), await h.client('Lindqvist')]
  }, 60_000)
  afterAll(async () => {
    await h?.close()
    await Promise.all([eve?.stop(), slow?.stop(), later?.stop()])
    await rm(dir, { recursive: true, force: true })
  })

  it('when two documents are printed with copies 3, then the job completes with progress 2 of 2 (documents), two Print-Jobs', async () => {
    const { id } = await h.submit({ document: 'client-profile', recordIds: clients, printer: 'copies-ipp', copies: 3 })
    const done = await h.waitJob(id, undefined, 30_000)
    expect(done).toMatchObject({ state: 'completed', confirmed: true, progress: { sent: 2, total: 2 } })
    expect(await eve.spooledDocuments()).toHaveLength(2)
  }, 60_000)

  it('when an IPP job is held mid-way, then resumeAt is checked against the documents, and a release from document 2 prints document 2 only', async () => {
    // A printer whose jobs take a while: the first document is created, then the printer dies.
    const cmd = join(dir, 'slow.sh')
    await writeFile(cmd, '#!/bin/sh\nsleep 20\n')
    await chmod(cmd, 0o755)
    slow = await startIppEvePrinter({ name: 'Slow Office', command: cmd })
    await h.printer('slow-ipp', 'pdf', slow.uri)
    const { id } = await h.submit({ document: 'client-profile', recordIds: clients, printer: 'slow-ipp', copies: 3 })
    const s = slow
    await eventually(async () => (await s.spooledDocuments()).length >= 1, 20_000, 'the first document at the printer')
    await slow.stop()
    slow = null
    const held = await h.waitJob(id, (j) => j.state === 'held', 30_000)
    expect(held.reasons).toEqual(['job-sent-unconfirmed'])
    // Document 1 may have printed (with its 3 copies); document 2 surely did not.
    expect(held.progress).toEqual({ sent: 0, uncertainUpTo: 1, total: 2 })

    // Documents are numbered from 1: 4 is past the end (3 would print nothing more): refused.
    const bad = await h.api(`/api/print-jobs/${id}/release`, { method: 'POST', json: { resumeAt: 4 } })
    expect(bad.status).toBe(400)
    expect(await json(bad)).toMatchObject({ code: 'RESUME_AT_INVALID' })
    expect((await h.job(id)).state).toBe('held')

    // The operator finds document 1 printed; the printer is back (here: another one at a new address).
    later = await startIppEvePrinter({ name: 'Slow Office Again' })
    expect((await h.api('/api/printers/slow-ipp', { method: 'PATCH', json: { uri: later.uri } })).status).toBe(200)
    const released = await h.api(`/api/print-jobs/${id}/release`, { method: 'POST', json: { resumeAt: 2 } })
    expect(released.status, await released.clone().text()).toBe(200)
    const done = await h.waitJob(id, undefined, 30_000)
    expect(done).toMatchObject({ state: 'completed', progress: { sent: 2, total: 2 } })
    const docs = await later.spooledDocuments()
    expect(docs).toHaveLength(1)
    // What went out is the second document of the payload (its tail), not the first.
    const accepted = Buffer.from(await (await h.api(`/api/print-jobs/${id}/document`)).arrayBuffer())
    const second = await readFile(docs[0])
    expect(second.length).toBeLessThan(accepted.length)
    expect(accepted.subarray(accepted.length - second.length).equals(second)).toBe(true)
  }, 90_000)
})
