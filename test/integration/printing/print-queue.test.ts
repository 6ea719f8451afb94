import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { ZplPrinterSim } from '../../../hw-sim/printers/index.ts'
import { PrintingHarness, json } from './support.ts'

describe.each(DB_KINDS)('print queue on %s', (kind) => {
  let h: PrintingHarness
  let zpl: ZplPrinterSim
  let clientId: number
  beforeAll(async () => {
    h = await PrintingHarness.start(kind)
    zpl = new ZplPrinterSim('label-1')
    await zpl.listen()
    await h.printerFor(zpl, 'zpl')
    clientId = await h.client()
  })
  afterAll(async () => {
    await h?.close()
    await zpl?.close()
  })
  afterEach(async () => {
    await zpl.clearFaults()
    zpl.reset()
  })

  it('when a label is printed, then the sim receives it once and the job completes confirmed', async () => {
    const { id, state } = await h.submit({ document: 'client-label', recordId: clientId, printer: 'label-1' })
    expect(['pending', 'processing', 'completed']).toContain(state)
    const done = await h.waitJob(id)
    expect(done).toMatchObject({ state: 'completed', reasons: ['job-completed-successfully'], confirmed: true, progress: { sent: 1, total: 1 }, attempts: 1 })
    expect(zpl.printed).toHaveLength(1)
    expect(zpl.labels[0]).toContain('^XA')
  })

  it('when copies are asked, then each copy is one label and progress counts them', async () => {
    const { id } = await h.submit({ document: 'client-label', recordId: clientId, printer: 'label-1', copies: 3 })
    expect(await h.waitJob(id)).toMatchObject({ state: 'completed', progress: { sent: 3, total: 3 } })
    expect(zpl.printedCount).toBe(3)
  })

  it('when the printer is offline, then the job waits pending after one attempt while the printer is probed, and prints once when it is back', async () => {
    await zpl.setFaults({ refuseConnections: true })
    const { id } = await h.submit({ document: 'client-label', recordId: clientId, printer: 'label-1' })
    const waiting = await h.waitJob(id, (j) => j.reasons.includes('printer-unreachable') && j.state === 'pending')
    expect(waiting.attempts).toBe(1)
    const printer = await json<{ status: { state: string; reasons: string[] } }>(await h.api('/api/printers/label-1'))
    expect(printer.status).toMatchObject({ state: 'offline', reasons: ['offline-report'] })
    await zpl.setFaults({ refuseConnections: false })
    const done = await h.waitJob(id)
    expect(done.state).toBe('completed')
    expect(zpl.printed).toHaveLength(1)
  })

  it('when paper runs out, then the job is held printer-stopped and resumes by itself once paper is loaded', async () => {
    await zpl.setFaults({ paperOut: true })
    const { id } = await h.submit({ document: 'client-label', recordId: clientId, printer: 'label-1', copies: 2 })
    const held = await h.waitJob(id, (j) => j.state === 'held')
    expect(held.reasons).toEqual(expect.arrayContaining(['printer-stopped', 'media-empty-error']))
    const printer = await json<{ status: { state: string; reasons: string[] } }>(await h.api('/api/printers/label-1'))
    expect(printer.status.state).toBe('stopped')
    expect(zpl.printed).toHaveLength(0)
    await zpl.setFaults({ paperOut: false })
    const done = await h.waitJob(id)
    expect(done).toMatchObject({ state: 'completed', progress: { sent: 2, total: 2 } })
    expect(zpl.printedCount).toBe(2)
  })
})
