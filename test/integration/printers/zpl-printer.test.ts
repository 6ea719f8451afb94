import { describe, expect, it } from 'vitest'
import { ZplPrinterSim } from '../../../hw-sim/printers/zpl-printer-sim.ts'
import {
  PrinterNotReadyError,
  PrinterUnreachableError,
  PrintInterruptedError,
  PrintCanceledError,
  printErrorDisposition,
} from '../../../src/drivers/printers/printer-errors.ts'
import { useSim, driverFor, VIAS, zplLabel } from './support.ts'

describe.each(VIAS)('ZPL driver against the hw-sim ZPL printer via %s', (via) => {
  const sim = useSim(new ZplPrinterSim(`zebra-${via}`))

  it('when the printer is ready, then probe says idle and every label is printed in order, with progress', async () => {
    const driver = await driverFor(sim, via, 'zpl')
    expect(await driver.probe()).toMatchObject({ state: 'idle', reasons: [], source: '~HS' })
    const progress: number[] = []
    const out = await driver.print({ id: 'j1', units: [1, 2, 3].map((n) => zplLabel(n)) }, { onProgress: (n) => progress.push(n) })
    expect(out).toMatchObject({ jobId: 'j1', sentUnits: 3, confirmed: true, status: { state: 'idle' } })
    expect(progress).toEqual([1, 2, 3])
    expect(sim.labels.map((l) => /Label (\d)/.exec(l)?.[1])).toEqual(['1', '2', '3'])
  })

  it('when a label has ^PQ3 and the job 2 copies, then copies are counted and units sent collated', async () => {
    const driver = await driverFor(sim, via, 'zpl')
    async function* units() {
      yield zplLabel(1, 3)
      yield zplLabel(2)
    }
    const out = await driver.print({ id: 'j2', units: units(), copies: 2 })
    expect(out.sentUnits).toBe(4)
    expect(sim.printed.map((u) => u.copies)).toEqual([3, 1, 3, 1])
    expect(sim.printedCount).toBe(8)
  })

  it('when paper is out (~HS silent), then probe falls back to ~HQES; print refuses; after loading, it prints', async () => {
    await sim.setFaults({ paperOut: true })
    const driver = await driverFor(sim, via, 'zpl')
    const st = await driver.probe()
    expect(st).toMatchObject({ state: 'stopped', source: '~HQES' })
    expect(st.reasons).toEqual(['media-empty-error', 'media-needed-error'])
    const err = await driver.print({ id: 'j3', units: [zplLabel(1)] }).catch((e) => e)
    expect(err).toBeInstanceOf(PrinterNotReadyError)
    expect(err.details).toMatchObject({ nextUnit: 0, uncertain: false })
    expect(printErrorDisposition(err)).toMatchObject({ action: 'hold-until-ready', resumeAt: 0 })
    expect(sim.printed).toHaveLength(0)
    await sim.setFaults({ paperOut: false })
    expect((await driver.probe()).state).toBe('idle')
    expect((await driver.print({ id: 'j3', units: [zplLabel(1)] })).sentUnits).toBe(1)
    expect(sim.printed).toHaveLength(1)
  })

  it('when the head is open, then cover-open-error; with ribbon out too, marker-supply-empty-error', async () => {
    await sim.setFaults({ headOpen: true, ribbonOut: true })
    const driver = await driverFor(sim, via, 'zpl')
    expect(await driver.probe()).toMatchObject({ state: 'stopped', reasons: ['marker-supply-empty-error', 'cover-open-error'] })
  })

  it('when paused, then ~HS answers and the reason is paused', async () => {
    await sim.setFaults({ paused: true })
    const driver = await driverFor(sim, via, 'zpl')
    expect(await driver.probe()).toMatchObject({ state: 'stopped', reasons: ['paused'], source: '~HS' })
  })

  it('when paper runs out mid-job, then sending stops and the error says how many labels the printer holds', async () => {
    const driver = await driverFor(sim, via, 'zpl')
    sim.once('unit', () => void sim.setFaults({ paperOut: true }))
    const err = await driver.print({ id: 'j4', units: [1, 2, 3].map((n) => zplLabel(n)) }).catch((e) => e)
    expect(err).toBeInstanceOf(PrinterNotReadyError)
    expect(err.details).toMatchObject({ nextUnit: 1, writtenUnits: 1, uncertain: false })
    expect(sim.pending).toHaveLength(1)
    await sim.setFaults({ paperOut: false })
    expect(sim.printed).toHaveLength(1)
    const out = await driver.print({ id: 'j4', units: [1, 2, 3].map((n) => zplLabel(n)), startAt: err.details.nextUnit })
    expect(out.sentUnits).toBe(3)
    expect(sim.labels.map((l) => /Label (\d)/.exec(l)?.[1])).toEqual(['1', '2', '3'])
  })

  it('when the connection drops after the 2nd label, then the error tells 1 confirmed and label 2 uncertain', async () => {
    await sim.setFaults({ dropAfterUnits: 2 })
    const driver = await driverFor(sim, via, 'zpl')
    const progress: number[] = []
    const err = await driver.print({ id: 'j5', units: [1, 2, 3, 4].map((n) => zplLabel(n)) }, { onProgress: (n) => progress.push(n) }).catch((e) => e)
    expect(err).toBeInstanceOf(PrintInterruptedError)
    expect(err.code).toBe('PRINT_INTERRUPTED')
    expect(err.details).toMatchObject({ nextUnit: 1, writtenUnits: 2, uncertain: true })
    expect(progress).toEqual([1])
    expect(printErrorDisposition(err)).toMatchObject({ action: 'hold-for-operator', resumeAt: 1, uncertainUpTo: 2 })
    expect(sim.printed).toHaveLength(2) // label 2 did print: resending it blindly would double-print
  })

  it('when the connection drops in the middle of a label, then that label is uncertain and not printed', async () => {
    const driver = await driverFor(sim, via, 'zpl')
    await sim.setFaults({ dropAfterBytes: zplLabel(1).length + 3 + 10 })
    const err = await driver.print({ id: 'j6', units: [1, 2].map((n) => zplLabel(n)) }).catch((e) => e)
    expect(err).toBeInstanceOf(PrintInterruptedError)
    expect(err.details).toMatchObject({ nextUnit: 1, uncertain: true })
    expect(sim.printed).toHaveLength(1)
  })

  it('when the printer refuses connections (offline), then probe says offline and print is retryable; back, it prints', async () => {
    await sim.setFaults({ refuseConnections: true })
    const driver = await driverFor(sim, via, 'zpl')
    expect(await driver.probe()).toMatchObject({ state: 'offline', reasons: ['offline-report'] })
    const err = await driver.print({ id: 'j7', units: [zplLabel(1)] }).catch((e) => e)
    expect(err).toBeInstanceOf(PrinterUnreachableError)
    expect(err.details).toMatchObject({ nextUnit: 0, uncertain: false })
    expect(printErrorDisposition(err)).toMatchObject({ action: 'retry', resumeAt: 0 })
    await sim.setFaults({ refuseConnections: false })
    expect((await driver.probe()).state).toBe('idle')
    expect((await driver.print({ id: 'j7', units: [zplLabel(1)] })).sentUnits).toBe(1)
  })

  it('when the printer accepts but never answers, then probe declares it offline after a fresh connection', async () => {
    await sim.setFaults({ mute: true })
    const driver = await driverFor(sim, via, 'zpl', { statusTimeoutMs: 100 })
    const connections: number[] = []
    sim.on('connection', (id) => connections.push(id))
    expect(await driver.probe()).toMatchObject({ state: 'offline', reasons: ['offline-report'] })
    expect(connections).toHaveLength(2)
    sim.removeAllListeners('connection')
  })

  it('when the job is canceled through its signal, then PrintCanceledError with the progress so far', async () => {
    const driver = await driverFor(sim, via, 'zpl')
    const ac = new AbortController()
    const err = await driver
      .print({ id: 'j8', units: [1, 2, 3].map((n) => zplLabel(n)) }, { signal: ac.signal, onProgress: (n) => n === 1 && ac.abort() })
      .catch((e) => e)
    expect(err).toBeInstanceOf(PrintCanceledError)
    expect(err.details).toMatchObject({ nextUnit: 1 })
    expect(printErrorDisposition(err)).toMatchObject({ action: 'abort', canceled: true })
  })

  it('when confirm is "end", then one status round trip confirms the whole job', async () => {
    const driver = await driverFor(sim, via, 'zpl', { statusTimeoutMs: 300, confirm: 'end' })
    const progress: number[] = []
    const out = await driver.print({ id: 'j9', units: [1, 2, 3].map((n) => zplLabel(n)) }, { onProgress: (n) => progress.push(n) })
    expect(out).toMatchObject({ sentUnits: 3, confirmed: true })
    expect(progress).toEqual([3])
  })
})
