import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { ZplPrinterSim, type ReceivedUnit } from '../../../hw-sim/printers/index.ts'
import { PrintingHarness, countBy, eventually } from './support.ts'

const labelKey = (u: ReceivedUnit) => /C-\d+/.exec(u.data.toString('latin1'))?.[0] ?? '?'

describe.each(DB_KINDS)('label numbers from 1, in messages and the API alike, on %s', (kind) => {
  let h: PrintingHarness
  const zpl = new ZplPrinterSim('numbered')
  let clients: number[]
  beforeAll(async () => {
    h = await PrintingHarness.start(kind)
    await zpl.listen()
    await h.printerFor(zpl, 'zpl')
    clients = []
    for (let i = 0; i < 10; i++) clients.push(await h.client(`Numbered${i}`))
  })
  afterAll(async () => {
    await h?.close()
    await zpl.close()
  })

  it('when the connection breaks inside label 5, then the message names label 5 as uncertain, and resuming at the label the message names prints it: every label exactly once', async () => {
    // A first job gives the bytes (to break the connection 10 bytes into label 5: the connection
    // carries a ~HS before the first label and after each one); its reprint meets the fault.
    const { id } = await h.submit({ document: 'client-label', recordIds: clients, printer: zpl.name })
    await h.waitJob(id)
    const doc = Buffer.from(await (await h.api(`/api/print-jobs/${id}/document`)).arrayBuffer()).toString('latin1')
    const starts = [...doc.matchAll(/\^XA/g)].map((m) => m.index!)
    expect(starts).toHaveLength(10)
    zpl.reset()
    // The fault applies to connections opened from now on: wait until the first job's connection,
    // kept for the printer's next job, has been closed (its keep-alive lapsed).
    await eventually(() => zpl.openConnections === 0, 10_000, 'the kept connection closed')
    await zpl.setFaults({ dropAfterBytes: 3 + starts[4] + 4 * 3 + 10 })
    const again = await h.api(`/api/print-jobs/${id}/reprint`, { method: 'POST' })
    const { id: second } = (await again.json()) as { id: number }
    const held = await h.waitJob(second, (j) => j.state === 'held')
    expect(zpl.printed).toHaveLength(4)
    expect(held.progress).toEqual({ sent: 4, total: 10, uncertainUpTo: 5 })
    const named = /(?:labels?|units?) (\d+)(?:–\d+)? may have printed/.exec(held.message ?? '')
    expect(named?.[1]).toBe('5')
    // The person checks the printer: label 5 did not come out, so resume at label 5.
    const res = await h.api(`/api/print-jobs/${second}/release`, { method: 'POST', json: { resumeAt: Number(named![1]) } })
    expect(res.status).toBe(200)
    expect(await h.waitJob(second)).toMatchObject({ state: 'completed', progress: { sent: 10, total: 10 } })
    const counts = countBy(zpl.printed, labelKey)
    expect(zpl.printed).toHaveLength(10)
    expect(counts.size).toBe(10)
  })

  it('when a held job is released at 0 or past its end, then 400 RESUME_AT_INVALID and it stays held', async () => {
    await eventually(() => zpl.openConnections === 0, 10_000, 'the kept connection closed')
    await zpl.setFaults({ dropAfterUnits: 2 })
    const { id } = await h.submit({ document: 'client-label', recordIds: clients.slice(0, 3), printer: zpl.name })
    await h.waitJob(id, (j) => j.state === 'held')
    for (const resumeAt of [0, 5]) {
      const res = await h.api(`/api/print-jobs/${id}/release`, { method: 'POST', json: { resumeAt } })
      expect(res.status).toBe(400)
      expect(((await res.json()) as { code: string }).code).toMatch(resumeAt === 0 ? /VALIDATION_FAILED/ : /RESUME_AT_INVALID/)
    }
    expect((await h.job(id)).state).toBe('held')
    await h.api(`/api/print-jobs/${id}/cancel`, { method: 'POST' })
  })
})
