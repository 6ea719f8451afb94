import { hostname } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { PrintingHarness, newJob } from './support.ts'

/**
 * Whether the server printing a job is alive is told by its lease alone: two servers may share a
 * host name but not a process-id namespace (containers), so a pid says nothing.
 */
describe.each(DB_KINDS)('liveness of the server printing a job, on %s', (kind) => {
  let h: PrintingHarness
  beforeAll(async () => {
    h = await PrintingHarness.start(kind)
    // A printer of this location that nothing answers on: its worker never gets to print.
    const res = await h.api('/api/printers', { method: 'POST', json: { name: 'elsewhere-pid', language: 'zpl', uri: 'tcp://127.0.0.1:9' } })
    expect(res.status).toBe(201)
  })
  afterAll(async () => {
    await h?.close()
  })

  it('when a server on a host of the same name, with a pid that does not exist here, holds a live lease, then recovery leaves its job alone; once the lease lapsed, the job is held for a person', async () => {
    const jobs = h.service.jobs
    const id = await jobs.insert(newJob('elsewhere-pid'))
    const other = `${hostname()}:4194000:c0ffee` // another container's process: no such pid here
    // This server's own worker for the printer may hold the printer row for a moment (MariaDB's
    // SKIP LOCKED then claims nothing): claim again until the other server has it.
    const claimedByOther = async () => {
      await jobs.claim('elsewhere-pid', other, 30_000)
      return (await jobs.get(id))?.claimedBy ?? null
    }
    await expect.poll(claimedByOther, { timeout: 10_000 }).toBe(other)
    expect(await jobs.markSending(id, other, 30_000, 1)).toBe(true)
    await h.service.recover()
    expect(await jobs.get(id)).toMatchObject({ state: 'processing', claimedBy: other })
    // Its lease lapses (it died, or lost the database): now the job is recovered.
    expect(await jobs.markSending(id, other, -1, 1)).toBe(true)
    await h.service.recover()
    expect(await jobs.get(id)).toMatchObject({ state: 'held', reasons: ['job-sent-unconfirmed'], claimedBy: null, sentUnits: 0, writtenUnits: 1 })
  })
})
