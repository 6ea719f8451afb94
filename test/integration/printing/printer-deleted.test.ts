import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { ZplPrinterSim } from '../../../hw-sim/printers/index.ts'
import { PrintJobStore } from '../../../src/store/print-job-store.ts'
import { PrinterStore } from '../../../src/store/printer-store.ts'
import type { PrintingModule } from '../../../src/compose/printing-module.ts'
import type { Db } from '../../../src/store/create-db.ts'
import { PrintingHarness, json, type JobView, newJob } from './support.ts'

const job = (printer: string) => newJob(printer)

/**
 * A submission reads the printer, renders, then inserts the job. A printer deleted in between
 * (DELETE /api/printers/:name only checks for active jobs) must not leave a pending job for a
 * printer that no longer exists — it would print if a printer of that name came back later.
 */
describe.each(DB_KINDS)('a printer deleted while a job is submitted on %s', (kind) => {
  describe('store', () => {
    let db: Db
    let dispose: () => Promise<void>
    let jobs: PrintJobStore
    beforeAll(async () => {
      const m = await migratedDb(kind)
      db = m.db
      dispose = m.dispose
      jobs = new PrintJobStore(db.db, db.dialect)
      await new PrinterStore(db.db).create({ name: 'here', language: 'zpl', uri: 'tcp://127.0.0.1:9', location: 'x', media: null })
    })
    afterAll(async () => dispose?.())

    it('when the printer does not exist at insert time, then insert fails and no job is stored', async () => {
      await expect(jobs.insert(job('gone'))).rejects.toMatchObject({ code: 'PRINTER_NOT_FOUND' })
      expect(await jobs.list({ printer: 'gone', limit: 10, after: 0 })).toHaveLength(0)
      const id = await jobs.insert(job('here'))
      expect(await jobs.get(id)).toMatchObject({ id, printer: 'here', state: 'pending' })
    })

    it('when inserts and deletes race, then a deleted printer never has an active job', async () => {
      const printers = new PrinterStore(db.db)
      for (let round = 0; round < 50; round++) {
        const name = `race-${round}`
        await printers.create({ name, language: 'zpl', uri: 'tcp://127.0.0.1:9', location: 'x', media: null })
        const [inserted, deleted] = await Promise.all([
          jobs.insert(job(name)).then(
            () => 'inserted',
            (err: { code?: string }) => err.code,
          ),
          jobs.deletePrinterIfIdle(name),
        ])
        const active = await jobs.countActive(name)
        if (deleted === 'deleted') expect({ round, inserted, active }).toEqual({ round, inserted: 'PRINTER_NOT_FOUND', active: 0 })
        else expect({ round, inserted, deleted, active }).toEqual({ round, inserted: 'inserted', deleted: 'busy', active: 1 })
      }
    })
  })

  describe('API', () => {
    let h: PrintingHarness
    let zpl: ZplPrinterSim
    let clientId: number
    let service: PrintingModule['service']
    beforeAll(async () => {
      h = await PrintingHarness.start(kind)
      zpl = new ZplPrinterSim('vanishing')
      await zpl.listen()
      clientId = await h.client()
      service = (h.s.running.modules.find((m) => m.name === 'printing') as PrintingModule).service
    })
    afterAll(async () => {
      await h?.close()
      await zpl?.close()
    })

    /** The next read of the printer by a submission returns it, and then the printer is deleted (as by DELETE from another request). */
    const deleteRightAfterRead = (method: 'get' | 'find') => {
      const printers = service.printers as unknown as Record<typeof method, (name: string) => Promise<unknown>>
      const original = printers[method]
      printers[method] = async (name: string) => {
        printers[method] = original
        const p = await original.call(printers, name)
        expect((await h.api(`/api/printers/${name}`, { method: 'DELETE' })).status).toBe(204)
        return p
      }
    }

    it('when the printer is deleted between its read and the insert, then 404 PRINTER_NOT_FOUND, no job, and a printer made again with the name prints nothing', async () => {
      await h.printer('vanishing', 'zpl', zpl.uri)
      deleteRightAfterRead('get')
      const res = await h.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: clientId, printer: 'vanishing' } })
      expect(res.status, await res.clone().text()).toBe(404)
      expect(await json(res)).toMatchObject({ code: 'PRINTER_NOT_FOUND' })
      const list = await json<{ items: JobView[] }>(await h.api('/api/print-jobs?printer=vanishing'))
      expect(list.items).toHaveLength(0)
      await h.printer('vanishing', 'zpl', zpl.uri)
      expect(await h.waitIdle('vanishing')).toEqual([])
      expect(zpl.printedCount).toBe(0)
      expect((await h.api('/api/printers/vanishing', { method: 'DELETE' })).status).toBe(204)
    })

    it('when the printer is deleted while a reprint is made, then it is refused 409 PRINTER_GONE and no job is left', async () => {
      await h.printer('vanishing', 'zpl', zpl.uri)
      const { id } = await h.submit({ document: 'client-label', recordId: clientId, printer: 'vanishing' })
      await h.waitJob(id)
      deleteRightAfterRead('find')
      const res = await h.api(`/api/print-jobs/${id}/reprint`, { method: 'POST' })
      expect(res.status, await res.clone().text()).toBe(409)
      expect(await json(res)).toMatchObject({ code: 'PRINTER_GONE' })
      const list = await json<{ items: JobView[] }>(await h.api('/api/print-jobs?printer=vanishing'))
      expect(list.items.map((j) => j.id)).toEqual([id])
    })
  })
})
