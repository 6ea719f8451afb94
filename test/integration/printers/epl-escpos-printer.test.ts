import { describe, expect, it } from 'vitest'
import { EplPrinterSim } from '../../../hw-sim/printers/epl-printer-sim.ts'
import { EscPosPrinterSim } from '../../../hw-sim/printers/escpos-printer-sim.ts'
import {
  PrinterNotReadyError,
  PrinterUnreachableError,
  PrintInterruptedError,
} from '../../../src/drivers/printers/printer-errors.ts'
import { useSim, driverFor, eplLabel, receipt, VIAS } from './support.ts'
import { eventually } from '../../support/poll.ts'

describe.each(VIAS)('EPL driver against the hw-sim EPL printer via %s', (via) => {
  const sim = useSim(new EplPrinterSim(`epl-${via}`))

  it('when it connects, then probe says idle (a connection check: EPL has no TCP status)', async () => {
    const driver = await driverFor(sim, via, 'epl')
    expect(await driver.probe()).toMatchObject({ state: 'idle', source: 'connect' })
  })

  it('when labels are sent, then each P command prints one, and the outcome says unconfirmed', async () => {
    const driver = await driverFor(sim, via, 'epl')
    const out = await driver.print({ id: 'e1', units: [1, 2, 3].map(eplLabel) })
    expect(out).toMatchObject({ sentUnits: 3, confirmed: false })
    await sim.waitForPrinted(3)
    expect(sim.labels.map((l) => /Label (\d)/.exec(l)?.[1])).toEqual(['1', '2', '3'])
    expect(sim.parsedLabels.map((l) => l.texts[0]?.data)).toEqual(['Label 1', 'Label 2', 'Label 3'])
  })

  it('when offline (refused), then probe says offline and print is PrinterUnreachableError; back, it prints', async () => {
    await sim.setFaults({ refuseConnections: true })
    const driver = await driverFor(sim, via, 'epl')
    expect((await driver.probe()).state).toBe('offline')
    expect(await driver.print({ id: 'e2', units: [eplLabel(1)] }).catch((e) => e)).toBeInstanceOf(PrinterUnreachableError)
    await sim.setFaults({ refuseConnections: false })
    await driver.print({ id: 'e2', units: [eplLabel(1)] })
    await sim.waitForPrinted(1)
  })

  it('when paper is out, then labels wait in the printer and print once it is loaded', async () => {
    await sim.setFaults({ paperOut: true })
    const driver = await driverFor(sim, via, 'epl')
    await driver.print({ id: 'e3', units: [eplLabel(1)] })
    await eventually(() => sim.pending.length > 0, 5_000, 'the label received')
    expect(sim.pending).toHaveLength(1)
    await sim.setFaults({ paperOut: false })
    expect(sim.printed).toHaveLength(1)
  })

  it('when the connection drops mid-job, then nothing counts as confirmed and the written units are uncertain', async () => {
    await sim.setFaults({ dropAfterUnits: 1, slowMs: 20 })
    const driver = await driverFor(sim, via, 'epl')
    const units = Array.from({ length: 200 }, (_, i) => eplLabel(i))
    const progress: number[] = []
    const err = await driver.print({ id: 'e4', units, startAt: 5 }, { onProgress: (n) => progress.push(n) }).catch((e) => e)
    // Over TCP all 200 labels fit in the socket buffers: the writes succeed and only the
    // reset seen at close tells that they did not all arrive. Without a status channel
    // nothing is confirmed: the queue must ask an operator (1 label really printed).
    expect(err).toBeInstanceOf(PrintInterruptedError)
    expect(err.details).toMatchObject({ nextUnit: 5, uncertain: true })
    expect(err.details.writtenUnits).toBeGreaterThan(5)
    expect(progress).toEqual([]) // nothing was ever reported as confirmed
    expect(sim.printed).toHaveLength(1)
  })
})

describe.each(VIAS)('ESC/POS driver against the hw-sim ESC/POS printer via %s', (via) => {
  const sim = useSim(new EscPosPrinterSim(`pos-${via}`))

  it('when ready, then probe reads DLE EOT and receipts print, each confirmed', async () => {
    const driver = await driverFor(sim, via, 'escpos')
    expect(await driver.probe()).toEqual({ state: 'idle', reasons: [], source: 'DLE EOT' })
    const progress: number[] = []
    const out = await driver.print({ id: 'r1', units: [1, 2].map(receipt) }, { onProgress: (n) => progress.push(n) })
    expect(out).toMatchObject({ sentUnits: 2, confirmed: true })
    expect(progress).toEqual([1, 2])
    expect(sim.printed.map((u) => u.data)).toEqual([receipt(1), receipt(2)]) // the status queries are not part of the receipts
  })

  it('when paper ended, then media-empty-error; print refuses; loaded, it prints', async () => {
    await sim.setFaults({ paperOut: true })
    const driver = await driverFor(sim, via, 'escpos')
    expect(await driver.probe()).toMatchObject({ state: 'stopped', reasons: ['media-empty-error', 'media-needed-error'] })
    expect(await driver.print({ id: 'r2', units: [receipt(1)] }).catch((e) => e)).toBeInstanceOf(PrinterNotReadyError)
    await sim.setFaults({ paperOut: false })
    await driver.print({ id: 'r2', units: [receipt(1)] })
    expect(sim.printed).toHaveLength(1)
  })

  it('when the cover is open, then cover-open-error; near end only, then media-low-warning and idle', async () => {
    await sim.setFaults({ headOpen: true })
    const driver = await driverFor(sim, via, 'escpos')
    expect(await driver.probe()).toMatchObject({ state: 'stopped', reasons: ['cover-open-error'] })
    await sim.setFaults({ headOpen: false, paperLow: true })
    expect(await driver.probe()).toMatchObject({ state: 'idle', reasons: ['media-low-warning'] })
  })

  it('when the cutter fails, then other-error with the cause from DLE EOT 3', async () => {
    await sim.setFaults({ cutterError: true })
    const driver = await driverFor(sim, via, 'escpos')
    expect(await driver.probe()).toMatchObject({ state: 'stopped', reasons: ['other-error'], details: ['auto-cutter error'] })
  })

  it('when the connection drops after the 1st receipt, then 0 confirmed and receipt 1 uncertain', async () => {
    await sim.setFaults({ dropAfterUnits: 1 })
    const driver = await driverFor(sim, via, 'escpos')
    const err = await driver.print({ id: 'r3', units: [1, 2].map(receipt) }).catch((e) => e)
    expect(err).toBeInstanceOf(PrintInterruptedError)
    expect(err.details).toMatchObject({ nextUnit: 0, writtenUnits: 1, uncertain: true })
  })

  it('when the printer never answers DLE EOT, then probe says offline', async () => {
    await sim.setFaults({ mute: true })
    const driver = await driverFor(sim, via, 'escpos', { statusTimeoutMs: 100 })
    expect(await driver.probe()).toMatchObject({ state: 'offline', reasons: ['offline-report'] })
  })
})
