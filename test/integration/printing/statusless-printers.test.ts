import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { EplPrinterSim } from '../../../hw-sim/printers/index.ts'
import { PrintingHarness } from './support.ts'

/**
 * EPL over TCP has no status channel: the only evidence that a printer took a job is that it
 * read every byte and closed its side. At the default settings (the printer gets the write
 * timeout, 15 s, to do so), counted at the printer.
 */
describe.each(DB_KINDS)('statusless (EPL) printers on %s, default settings', (kind) => {
  let h: PrintingHarness
  const neverReads = new EplPrinterSim('epl-deaf')
  const stopsAfter50 = new EplPrinterSim('epl-stops')
  const healthy = new EplPrinterSim('epl-ok')
  let clients: number[]
  beforeAll(async () => {
    h = await PrintingHarness.startWithDefaults(kind)
    for (const sim of [neverReads, stopsAfter50, healthy]) {
      await sim.listen()
      await h.printerFor(sim, 'epl')
    }
    await neverReads.setFaults({ stallReading: true })
    await stopsAfter50.setFaults({ stallAfterUnits: 50 })
    clients = []
    for (let i = 0; i < 20; i++) clients.push(await h.client(`Epl${i}`))
  })
  afterAll(async () => {
    await h?.close()
    for (const sim of [neverReads, stopsAfter50, healthy]) await sim.close()
  })

  it('when a printer accepts the connection and never reads, or stops reading after 50 labels, then neither job completes: both are held with every label sent uncertain and the exact number arrived', async () => {
    const deaf = await h.submit({ document: 'client-label', recordIds: clients, printer: neverReads.name })
    const stops = await h.submit({ document: 'client-label', recordId: clients[0], printer: stopsAfter50.name, copies: 500 })
    const [a, b] = await Promise.all([
      h.waitJob(deaf.id, (j) => j.state !== 'processing' && j.state !== 'pending', 60_000),
      h.waitJob(stops.id, (j) => j.state !== 'processing' && j.state !== 'pending', 60_000),
    ])
    expect(neverReads.printed).toHaveLength(0)
    expect(a).toMatchObject({ state: 'held', reasons: ['job-sent-unconfirmed'], progress: { sent: 0, total: 20, uncertainUpTo: 20 } })
    expect(stopsAfter50.printedCount).toBe(50)
    expect(b).toMatchObject({ state: 'held', reasons: ['job-sent-unconfirmed'], progress: { sent: 0, total: 500 } })
    expect(b.progress.uncertainUpTo).toBeGreaterThanOrEqual(50)
    expect(b.release?.map((c) => c.resumeAt)).toEqual([1, b.progress.uncertainUpTo! + 1])
  }, 90_000)

  it('when the printer reads everything and closes, then the job completes unconfirmed with every label once', async () => {
    const { id } = await h.submit({ document: 'client-label', recordIds: clients, printer: healthy.name, copies: 2 })
    const j = await h.waitJob(id, undefined, 30_000)
    expect(j).toMatchObject({ state: 'completed', confirmed: false, progress: { sent: 40, total: 40 } })
    expect(healthy.printed).toHaveLength(40)
  })
})
