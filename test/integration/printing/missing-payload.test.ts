import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import pino from 'pino'
import { sql } from 'kysely'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { ZplPrinterSim } from '../../../hw-sim/printers/index.ts'
import { PrintJobStore, type JobPayload } from '../../../src/store/print-job-store.ts'
import { PrinterStore, type PrinterRecord } from '../../../src/store/printer-store.ts'
import { PrinterWorker } from '../../../src/app/printing/printer-worker.ts'
import type { PrinterDriver } from '../../../src/drivers/printers/printer-driver.ts'
import type { Db } from '../../../src/store/create-db.ts'
import { PrintingHarness, eventually, newJob, fastWorkerConfig } from './support.ts'

const LEASE_MS = 5_000

/** A store that has lost the payload of some jobs, or can't read it for a while. */
class GapStore extends PrintJobStore {
  readonly missing = new Set<number>()
  failReads = 0
  override async payload(id: number): Promise<JobPayload | null> {
    if (this.failReads > 0) {
      this.failReads--
      throw new Error('connect ETIMEDOUT (database unreachable)')
    }
    return this.missing.has(id) ? null : super.payload(id)
  }
}

function recordingDriver(printed: string[]): PrinterDriver {
  return {
    name: 'gap',
    language: 'zpl',
    uri: 'tcp://127.0.0.1:9',
    probe: async () => ({ state: 'idle', reasons: [], source: 'test' }),
    close: async () => {},
    async print(job, opts = {}) {
      let index = 0
      for await (const _unit of job.units) {
        if (index++ < (job.startAt ?? 0)) continue
        printed.push(job.id)
        opts.onProgress?.(index)
      }
      return { jobId: job.id, sentUnits: index, confirmed: true, bytes: 0, ms: 0 }
    },
  }
}

/**
 * A job whose payload can't be had must not sit 'processing' until its lease lapses (and then
 * go round again forever): missing or damaged, it is aborted at once with a clear reason, and
 * the worker goes on with the next job. A payload that merely could not be read (database
 * trouble) sends the job back to the queue.
 */
describe.each(DB_KINDS)('a job whose payload is missing on %s', (kind) => {
  describe('worker', () => {
    let db: Db
    let dispose: () => Promise<void>
    let jobs: GapStore
    let printer: PrinterRecord
    let worker: PrinterWorker | null = null
    const printed: string[] = []
    beforeAll(async () => {
      const m = await migratedDb(kind)
      db = m.db
      dispose = m.dispose
      jobs = new GapStore(db.db, db.dialect)
      printer = await new PrinterStore(db.db).create({ name: 'gap', language: 'zpl', uri: 'tcp://127.0.0.1:9', location: 'here', media: null })
    })
    afterEach(async () => {
      await worker?.stop(100)
      worker = null
    })
    afterAll(async () => dispose?.())

    const insert = () =>
      jobs.insert(newJob('gap'))
    const config = fastWorkerConfig(LEASE_MS)

    it('when the payload is gone, then the job is aborted at once (document-unprintable-error), the worker is free and the next job prints', async () => {
      const lost = await insert()
      const next = await insert()
      jobs.missing.add(lost)
      worker = new PrinterWorker(printer, recordingDriver(printed), jobs, config, pino({ level: 'silent' }))
      const started = Date.now()
      worker.start()
      await eventually(async () => (await jobs.get(next))?.state === 'completed', 3_000, 'the next job completed')
      // Well before the lease of the lost one would have lapsed.
      expect(Date.now() - started).toBeLessThan(LEASE_MS)
      const aborted = await jobs.get(lost)
      expect(aborted).toMatchObject({ state: 'aborted', attempts: 1, claimedBy: null, leaseUntil: null, sentUnits: 0 })
      expect(aborted?.reasons).toContain('document-unprintable-error')
      expect(aborted?.message).toMatch(/document|payload/i)
      expect(printed.filter((p) => p === String(lost))).toHaveLength(0)
      expect(printed.filter((p) => p === String(next))).toHaveLength(2)
      expect(worker.busyWith).toBeNull()
    })

    it('when the payload can not be read (database trouble), then the job goes back to the queue and prints once it can', async () => {
      const id = await insert()
      jobs.failReads = 1
      worker = new PrinterWorker(printer, recordingDriver(printed), jobs, config, pino({ level: 'silent' }))
      const started = Date.now()
      worker.start()
      await eventually(async () => (await jobs.get(id))?.state === 'completed', 3_000, 'the job completed after the failed read')
      expect(Date.now() - started).toBeLessThan(LEASE_MS)
      expect(await jobs.get(id)).toMatchObject({ state: 'completed', attempts: 2 })
      expect(printed.filter((p) => p === String(id))).toHaveLength(2)
    })
  })

  describe('server', () => {
    let h: PrintingHarness
    let zpl: ZplPrinterSim
    let clientId: number
    beforeAll(async () => {
      h = await PrintingHarness.start(kind)
      zpl = new ZplPrinterSim('damaged-zpl')
      await zpl.listen()
      // Owned by another location first: the jobs wait until they are damaged.
      const res = await h.api('/api/printers', { method: 'POST', json: { name: 'damaged-zpl', language: 'zpl', uri: zpl.uri, location: 'elsewhere' } })
      expect(res.status).toBe(201)
      clientId = await h.client()
    })
    afterAll(async () => {
      await h?.close()
      await zpl?.close()
    })

    it('when a stored payload is emptied or its unit lengths are garbage, then those jobs end aborted without printing, and the next job prints', async () => {
      const db = h.s.running.stores.database.db
      const emptied = await h.submit({ document: 'client-label', recordId: clientId, printer: 'damaged-zpl', copies: 2 })
      const garbled = await h.submit({ document: 'client-label', recordId: clientId, printer: 'damaged-zpl' })
      const good = await h.submit({ document: 'client-label', recordId: clientId, printer: 'damaged-zpl' })
      await db.updateTable('print_jobs').set({ payload: Buffer.alloc(0) }).where('id', '=', emptied.id).execute()
      await db.updateTable('print_jobs').set({ unit_lengths: sql<string>`'not json'` }).where('id', '=', garbled.id).execute()
      expect((await h.api('/api/printers/damaged-zpl', { method: 'PATCH', json: { location: 'test-location' } })).status).toBe(200)
      // Well before the 3 s lease of the test environment.
      const done = await h.waitJob(good.id, undefined, 2_500)
      expect(done.state).toBe('completed')
      for (const id of [emptied.id, garbled.id]) {
        const j = await h.job(id)
        expect(j).toMatchObject({ state: 'aborted', attempts: 1 })
        expect(j.reasons).toContain('document-unprintable-error')
      }
      expect(zpl.printedCount).toBe(1)
    })
  })
})
