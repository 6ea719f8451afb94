import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { ZplPrinterSim, type ReceivedUnit } from '../../../hw-sim/printers/index.ts'
import { PrintingHarness, countBy, eventually } from './support.ts'

/** The client number a label carries (each client label prints its number). */
const labelKey = (u: ReceivedUnit) => /C-\d+/.exec(u.data.toString('latin1'))?.[0] ?? u.data.toString('latin1')

describe.each(DB_KINDS)('print faults on %s', (kind) => {
  let h: PrintingHarness
  let zpl: ZplPrinterSim
  let clients: number[]
  beforeAll(async () => {
    h = await PrintingHarness.start(kind)
    zpl = new ZplPrinterSim('faulty')
    await zpl.listen()
    await h.printerFor(zpl, 'zpl')
    clients = []
    for (let i = 0; i < 12; i++) clients.push(await h.client(`Batch${i}`))
  }, 120_000)
  afterAll(async () => {
    await h?.close()
    await zpl?.close()
  })
  afterEach(async () => {
    zpl.removeAllListeners('unit')
    await zpl.clearFaults()
    zpl.reset()
  })

  it('when paper runs out mid-batch, then the job is held at label N and resumes from N by itself: every label once', async () => {
    zpl.on('unit', () => {
      if (zpl.printed.length + zpl.pending.length === 4) void zpl.setFaults({ paperOut: true })
    })
    const { id } = await h.submit({ document: 'client-label', recordIds: clients, printer: 'faulty' })
    const held = await h.waitJob(id, (j) => j.state === 'held')
    expect(held.reasons).toContain('media-empty-error')
    expect(held.progress.sent).toBeGreaterThanOrEqual(3)
    expect(held.progress.sent).toBeLessThan(12)
    zpl.removeAllListeners('unit')
    await zpl.setFaults({ paperOut: false })
    expect(await h.waitJob(id)).toMatchObject({ state: 'completed', progress: { sent: 12, total: 12 } })
    const counts = countBy(zpl.printed, labelKey)
    expect(counts.size).toBe(12)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
  })

  it('when the connection drops mid-job, then the job is held job-sent-unconfirmed (never resent by itself); released after the uncertain label as its release choice says, every label prints once', async () => {
    // A drop fault applies to connections opened from now on: wait until the connection the last
    // job left for the printer's next job has been closed (its 250 ms keep-alive lapsed).
    await eventually(() => zpl.openConnections === 0, 10_000, 'the kept connection closed')
    await zpl.setFaults({ dropAfterUnits: 5 })
    const { id } = await h.submit({ document: 'client-label', recordIds: clients, printer: 'faulty' })
    const held = await h.waitJob(id, (j) => j.state === 'held')
    expect(held.reasons).toEqual(['job-sent-unconfirmed'])
    expect(held.progress).toMatchObject({ sent: 4, uncertainUpTo: 5, total: 12 })
    expect(zpl.printed).toHaveLength(5)
    // Label 5 did come out: resume after it, as the release choice says.
    const after = held.release?.find((c) => c.choice === 'after-uncertain')
    expect(after).toMatchObject({ resumeAt: 6, prints: 'prints labels 6–12 (7 labels)' })
    const released = await h.api(`/api/print-jobs/${id}/release`, { method: 'POST', json: { resumeAt: after!.resumeAt } })
    expect(released.status).toBe(200)
    expect(await h.waitJob(id)).toMatchObject({ state: 'completed', progress: { sent: 12, total: 12 } })
    const counts = countBy(zpl.printed, labelKey)
    expect(counts.size).toBe(12)
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
  })

  it('when a job of 2000 labels hits paper-out at label 700, then it resumes from there: 2000 printed, progress persisted', async () => {
    zpl.on('unit', () => {
      if (zpl.printed.length + zpl.pending.length === 700) void zpl.setFaults({ paperOut: true })
    })
    const { id } = await h.submit({ document: 'client-label', recordId: clients[0], printer: 'faulty', copies: 2000 })
    const held = await h.waitJob(id, (j) => j.state === 'held', 60_000)
    expect(held.progress.sent).toBeGreaterThanOrEqual(699)
    expect(held.progress.sent).toBeLessThanOrEqual(701)
    zpl.removeAllListeners('unit')
    await zpl.setFaults({ paperOut: false })
    expect(await h.waitJob(id, undefined, 60_000)).toMatchObject({ state: 'completed', progress: { sent: 2000, total: 2000 } })
    expect(zpl.printed).toHaveLength(2000)
  }, 120_000)

  it('when a processing job is canceled, then it stops after the label in flight: canceled, with exactly the labels that printed counted, none uncertain, nothing more arriving', async () => {
    await zpl.setFaults({ slowMs: 20 })
    const { id } = await h.submit({ document: 'client-label', recordId: clients[0], printer: 'faulty', copies: 200 })
    await h.waitJob(id, (j) => j.state === 'processing' && j.progress.sent > 2)
    const res = await h.api(`/api/print-jobs/${id}/cancel`, { method: 'POST' })
    expect(res.status).toBe(200)
    const done = await h.waitJob(id)
    expect(done).toMatchObject({ state: 'canceled', reasons: ['job-canceled-by-user'] })
    await eventually(() => zpl.openConnections === 0, 5_000, 'the job’s connection closed')
    expect(done.progress.uncertainUpTo).toBeUndefined()
    expect(zpl.printed).toHaveLength(done.progress.sent)
  })
})
