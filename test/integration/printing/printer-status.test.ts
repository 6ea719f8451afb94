import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { ZplPrinterSim } from '../../../hw-sim/printers/index.ts'
import { PrintingHarness, eventually } from './support.ts'

type PrinterView = { name: string; status: { state: string; reasons: string[]; probedAt: string | null; ageMs: number | null } | null }

/** A studio's printers at the default settings: status probed in the background, held jobs back as soon as the printer is. */
describe.each(DB_KINDS)('printer status at the default settings on %s', (kind) => {
  let h: PrintingHarness
  const mute = new ZplPrinterSim('mute-zpl')
  const paper = new ZplPrinterSim('paper-zpl')
  let client: number
  beforeAll(async () => {
    h = await PrintingHarness.startWithDefaults(kind)
    for (const sim of [mute, paper]) {
      await sim.listen()
      await h.printerFor(sim, 'zpl')
    }
    await mute.setFaults({ mute: true })
    client = await h.client('Status')
  })
  afterAll(async () => {
    await h?.close()
    for (const sim of [mute, paper]) await sim.close()
  })

  it('when a ZPL printer never answers ~HS, then its job waits pending after one attempt with a message a person can read, while the printer keeps being probed', async () => {
    const { id } = await h.submit({ document: 'client-label', recordId: client, printer: mute.name })
    const waiting = await h.waitJob(id, (j) => j.state === 'pending' && j.reasons.includes('printer-unreachable'), 30_000)
    const seen = mute.connectionsSeen
    // Three more looks at the printer (each one a fresh connection)…
    await eventually(() => mute.connectionsSeen >= seen + 3, 60_000, 'three more probes')
    const j = await h.job(id)
    // …and the job never went back to processing.
    expect(j).toMatchObject({ state: 'pending', attempts: 1 })
    expect(waiting.message).toMatch(/mute-zpl/)
    expect(waiting.message).not.toMatch(/^[A-Z_]+$/)
    expect(mute.printed).toHaveLength(0)
    await h.api(`/api/print-jobs/${id}/cancel`, { method: 'POST' })
  }, 90_000)

  it('when GET /api/printers comes while a probe of a silent printer is under way, then it answers from the last probe, with its age, without waiting for that probe', async () => {
    // A probe in progress: a connection that got ~HS and no answer.
    await eventually(() => mute.openConnectionIds.length > 0, 30_000, 'a probe under way')
    const probing = mute.openConnectionIds[0]
    const res = await h.api('/api/printers')
    expect(res.status).toBe(200)
    const items = ((await res.json()) as { items: PrinterView[] }).items
    expect(mute.openConnectionIds).toContain(probing) // the probe still runs: the answer did not wait for it
    const status = items.find((p) => p.name === mute.name)!.status!
    expect(Object.keys(status)).toEqual(expect.arrayContaining(['state', 'probedAt', 'ageMs']))
    if (status.probedAt !== null) {
      expect(status.state).toBe('offline')
      expect(status.ageMs).toBeGreaterThanOrEqual(0)
    }
  }, 60_000)

  it('when paper runs out and a job waits held for a while, then loading paper resumes it within 2 s and every label prints once', async () => {
    await paper.setFaults({ paperOut: true })
    const { id } = await h.submit({ document: 'client-label', recordId: client, printer: paper.name, copies: 2 })
    const heldAt = Date.now()
    await h.waitJob(id, (j) => j.state === 'held' && j.reasons.includes('media-empty-error'), 15_000)
    // Held long enough that a backoff would have grown past several seconds.
    await eventually(async () => Date.now() - heldAt >= 12_000 && (await h.job(id)).state === 'held', 20_000, 'held 12 s')
    await paper.setFaults({ paperOut: false })
    await h.waitJob(id, (j) => j.state !== 'held', 2_000)
    const done = await h.waitJob(id, undefined, 10_000)
    expect(done).toMatchObject({ state: 'completed', progress: { sent: 2, total: 2 } })
    expect(paper.printed).toHaveLength(2)
  }, 60_000)
})
