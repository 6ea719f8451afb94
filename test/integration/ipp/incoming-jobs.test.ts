/**
 * The queue's part of Create-Job / Send-Document, on SQLite and MariaDB: a job queued held
 * `job-incoming` takes its document once (rows and chunks together), and one whose document
 * never came is aborted by the sweep — never one that got its document or was released.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { PrintJobStore } from '../../../src/store/print-job-store.ts'
import { PrinterStore } from '../../../src/store/printer-store.ts'
import { newJob } from '../printing/support.ts'

describe.each(DB_KINDS)('incoming IPP jobs on %s', (kind) => {
  let dispose: (() => Promise<void>) | null = null
  afterEach(async () => {
    await dispose?.()
    dispose = null
  })

  async function store(now: () => number = Date.now): Promise<PrintJobStore> {
    const m = await migratedDb(kind)
    dispose = m.dispose
    await new PrinterStore(m.db.db).create({ name: 'here', language: 'zpl', uri: 'tcp://127.0.0.1:9', location: 'x', media: null })
    return new PrintJobStore(m.db.db, m.db.dialect, now)
  }

  const incoming = () => newJob('here', { document: 'ipp-document', recordIds: [], payload: new Uint8Array(0), unitLengths: [], totalUnits: 0, heldFor: 'job-incoming' })

  it('when a job held job-incoming gets its document, then it is pending with those units, and a second document is refused', async () => {
    const jobs = await store()
    const id = await jobs.insert(incoming())
    expect(await jobs.get(id)).toMatchObject({ state: 'held', reasons: ['job-incoming'], totalUnits: 0 })
    const doc = { contentType: 'text/plain', options: { subject: 'two-step' }, payload: Buffer.from('^XA^XZ^XA1^XZ'), unitLengths: [6, 7], totalUnits: 2 }
    expect(await jobs.attachDocument(id, doc)).toBe(true)
    expect(await jobs.get(id)).toMatchObject({ state: 'pending', reasons: ['job-queued'], totalUnits: 2, options: { subject: 'two-step' } })
    const stored = await jobs.payload(id)
    expect(stored?.payload.toString()).toBe('^XA^XZ^XA1^XZ')
    expect(stored?.unitLengths).toEqual([6, 7])
    expect(await jobs.attachDocument(id, doc)).toBe(false)
  })

  it('when the time-out passes, then only jobs still waiting for their document are aborted', async () => {
    let now = 1_000_000
    const jobs = await store(() => now)
    const waiting = await jobs.insert(incoming())
    const served = await jobs.insert(incoming())
    await jobs.attachDocument(served, { contentType: 'text/plain', options: {}, payload: Buffer.from('^XA^XZ'), unitLengths: [6], totalUnits: 1 })
    const ordinary = await jobs.insert(newJob('here'))
    now += 299_000
    expect(await jobs.abortStaleIncoming(300_000)).toBe(0)
    now += 2_000
    expect(await jobs.abortStaleIncoming(300_000)).toBe(1)
    expect(await jobs.get(waiting)).toMatchObject({ state: 'aborted', reasons: ['aborted-by-system'] })
    expect((await jobs.get(served))?.state).toBe('pending')
    expect((await jobs.get(ordinary))?.state).toBe('pending')
  })
})
