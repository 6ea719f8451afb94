import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import pino from 'pino'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { PrintJobStore } from '../../../src/store/print-job-store.ts'
import { PrinterStore, type PrinterRecord } from '../../../src/store/printer-store.ts'
import { PrinterWorker } from '../../../src/app/printing/printer-worker.ts'
import type { PrinterDriver } from '../../../src/drivers/printers/printer-driver.ts'
import { PrintCanceledError } from '../../../src/drivers/printers/printer-errors.ts'
import type { Db } from '../../../src/store/create-db.ts'
import { newJob, fastWorkerConfig } from './support.ts'

const LEASE_MS = 300
const UNIT_MS = 20
const UNITS = 60 // 1.2 s of sending: four leases long

/** A store whose progress writes (the lease renewals) fail once `failing` is set: the database went away for this server. */
class FlakyStore extends PrintJobStore {
  failing = false
  override async progress(...args: Parameters<PrintJobStore['progress']>) {
    if (this.failing) throw new Error('connect ETIMEDOUT (database unreachable)')
    return super.progress(...args)
  }
  override async markSending(...args: Parameters<PrintJobStore['markSending']>) {
    const ok = await super.markSending(...args)
    this.failing = true
    return ok
  }
}

/** A slow raw printer: one unit every UNIT_MS; records when each unit was handed to it. */
function slowDriver(pulled: number[]): PrinterDriver {
  return {
    name: 'slow',
    language: 'zpl',
    uri: 'tcp://127.0.0.1:9',
    probe: async () => ({ state: 'idle', reasons: [], source: 'test' }),
    close: async () => {},
    async print(job, opts = {}) {
      const startAt = job.startAt ?? 0
      let index = 0
      for await (const _unit of job.units) {
        if (index++ < startAt) continue
        if (opts.signal?.aborted) throw new PrintCanceledError({ jobId: job.id, printer: 'slow', nextUnit: index - 1, writtenUnits: index - 1, uncertain: false }, opts.signal.reason)
        pulled.push(Date.now())
        await new Promise((r) => setTimeout(r, UNIT_MS))
        opts.onProgress?.(index)
      }
      return { jobId: job.id, sentUnits: index, confirmed: true, bytes: 0, ms: 0 }
    },
  }
}

/**
 * The lease is what keeps another server of the location from recovering a job. A worker that
 * can no longer renew it (database unreachable, event loop stalled) must stop sending once it
 * expires: by then another server may have recovered the job (held job-sent-unconfirmed), and
 * an operator's release lets that server print the same labels again.
 */
describe.each(DB_KINDS)('a worker whose lease lapses on %s', (kind) => {
  let db: Db
  let dispose: () => Promise<void>
  beforeAll(async () => {
    const m = await migratedDb(kind)
    db = m.db
    dispose = m.dispose
  })
  afterAll(async () => dispose?.())

  it('when its lease renewals fail while a slow job is sending, then it stops sending before the lease has run out', async () => {
    const printer: PrinterRecord = await new PrinterStore(db.db).create({ name: 'slow', language: 'zpl', uri: 'tcp://127.0.0.1:9', location: 'here', media: null })
    const jobs = new FlakyStore(db.db, db.dialect)
    const id = await jobs.insert(newJob('slow', { payload: Buffer.alloc(UNITS, 0x41), unitLengths: Array.from({ length: UNITS }, () => 1), totalUnits: UNITS }))
    const config = fastWorkerConfig(LEASE_MS)
    const pulled: number[] = []
    const worker = new PrinterWorker(printer, slowDriver(pulled), jobs, config, pino({ level: 'silent' }))
    worker.start()
    const deadline = Date.now() + 5_000
    let leaseUntil: number | null = null
    while (Date.now() < deadline) {
      const j = await jobs.get(id)
      if (j?.sendingStarted) leaseUntil ??= j.leaseUntil
      if (pulled.length > 0 && worker.busyWith === null) break
      await new Promise((r) => setTimeout(r, 10))
    }
    await worker.stop(100)
    expect(leaseUntil).not.toBeNull()
    // The last lease the database holds was written by markSending; nothing may go out after it.
    const late = pulled.filter((t) => t >= leaseUntil!)
    expect({ unitsSent: pulled.length, unitsAfterLeaseExpired: late.length }).toMatchObject({ unitsAfterLeaseExpired: 0 })
    expect(pulled.length).toBeLessThan(UNITS)
    // Another server recovering it now holds it for a person: never pending, never completed by the lapsed worker.
    const recovered = await jobs.recover(['slow'], () => false)
    expect(recovered).toEqual([{ id, to: 'held' }])
    expect(await jobs.get(id)).toMatchObject({ state: 'held', reasons: ['job-sent-unconfirmed'] })
  })
})
