import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { PrintJobStore } from '../../../src/store/print-job-store.ts'
import { PrinterStore } from '../../../src/store/printer-store.ts'
import type { Db } from '../../../src/store/create-db.ts'
import { newJob } from './support.ts'

const job = (printer: string) => newJob(printer)

/**
 * A cancel that arrives while a job is processing only sets cancel_requested; the worker (maybe
 * on another server) learns of it at its next progress write. When the attempt ends another way
 * first (printer unreachable, paper out, connection lost, or the server died), the job must not
 * go back to pending/held with the cancel forgotten: it would print later although the studio
 * was told it is being canceled.
 */
describe.each(DB_KINDS)('a cancel requested while processing on %s', (kind) => {
  let db: Db
  let dispose: () => Promise<void>
  let jobs: PrintJobStore
  beforeAll(async () => {
    const m = await migratedDb(kind)
    db = m.db
    dispose = m.dispose
    jobs = new PrintJobStore(db.db, db.dialect)
    await new PrinterStore(db.db).create({ name: 'p1', language: 'zpl', uri: 'tcp://127.0.0.1:1', location: 'here', media: null })
  })
  afterAll(async () => dispose?.())

  for (const to of ['pending', 'held'] as const) {
    it(`when the attempt then ends ${to} (unreachable / printer stopped / unconfirmed), then the job is canceled, not ${to}`, async () => {
      const id = await jobs.insert(job('p1'))
      expect((await jobs.claim('p1', 'srv-a', 30_000))?.id).toBe(id)
      expect(await jobs.cancel(id)).toBe('requested')
      const settled = await jobs.settle(id, 'srv-a', to, { reasons: to === 'pending' ? ['printer-unreachable'] : ['printer-stopped'], sentUnits: 1, writtenUnits: 1 })
      expect(settled).toBe(true)
      const after = await jobs.get(id)
      expect(after).toMatchObject({ state: 'canceled', reasons: ['job-canceled-by-user'], sentUnits: 1, cancelRequested: false })
      expect(after?.completedAt).not.toBeNull()
      // Nothing left for a worker to claim.
      expect(await jobs.claim('p1', 'srv-a', 30_000)).toBeNull()
    })
  }

  it('when the attempt completes anyway, then it stays completed (what printed is printed)', async () => {
    const id = await jobs.insert(job('p1'))
    expect((await jobs.claim('p1', 'srv-a', 30_000))?.id).toBe(id)
    expect(await jobs.cancel(id)).toBe('requested')
    expect(await jobs.settle(id, 'srv-a', 'completed', { reasons: ['job-completed-successfully'], sentUnits: 2, writtenUnits: 2 })).toBe(true)
    expect(await jobs.get(id)).toMatchObject({ state: 'completed' })
  })

  it('when the server died with the cancel requested, then recovery cancels the job instead of queuing or holding it', async () => {
    for (const started of [false, true]) {
      const id = await jobs.insert(job('p1'))
      expect((await jobs.claim('p1', 'srv-dead', 30_000))?.id).toBe(id)
      if (started) expect(await jobs.markSending(id, 'srv-dead', 30_000, 1)).toBe(true)
      expect(await jobs.cancel(id)).toBe('requested')
      const recovered = await jobs.recover(['p1'], (c) => c === 'srv-dead')
      expect(recovered.map((r) => r.id)).toContain(id)
      expect(await jobs.get(id)).toMatchObject({ state: 'canceled', reasons: ['job-canceled-by-user'], cancelRequested: false })
      expect(await jobs.claim('p1', 'srv-a', 30_000)).toBeNull()
    }
  })
})
