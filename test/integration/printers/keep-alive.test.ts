import { describe, expect, it } from 'vitest'
import { ZplPrinterSim } from '../../../hw-sim/printers/zpl-printer-sim.ts'
import { EplPrinterSim } from '../../../hw-sim/printers/epl-printer-sim.ts'
import type { RawPrinterDriver } from '../../../src/drivers/printers/raw-printer-driver.ts'
import { PrinterNotReadyError } from '../../../src/drivers/printers/printer-errors.ts'
import { useSim, driverFor, zplLabel, eplLabel } from './support.ts'
import { eventually } from '../../support/poll.ts'

/** `~HS` requests the printer received, over all connections. */
function statusRequests(sim: ZplPrinterSim): number {
  let n = 0
  for (const chunks of sim.raw.values()) n += Buffer.concat(chunks).toString('latin1').split('~HS').length - 1
  return n
}

/**
 * A printer's jobs one after the other over one connection: a job whose every label was
 * confirmed (with a ready status) keeps its connection for the next job, for 250 ms; the last
 * confirmation is the status check between the two jobs. Counts are exact: connections, status
 * round trips, labels.
 */
describe("a ZPL printer's connection kept between jobs (TCP)", () => {
  const sim = useSim(new ZplPrinterSim('keep-zpl'))

  it('when jobs follow each other, then they share one connection and one status check each (its label confirmation)', async () => {
    const driver = (await driverFor(sim, 'tcp', 'zpl')) as RawPrinterDriver
    const seenBefore = sim.connectionsSeen
    for (let i = 1; i <= 10; i++) expect((await driver.print({ id: `k${i}`, units: [zplLabel(i)] })).sentUnits).toBe(1)
    expect(sim.labels.map((l) => /Label (\d+)/.exec(l)?.[1])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'])
    expect(sim.connectionsSeen - seenBefore).toBe(1)
    expect(driver.opened).toBe(1)
    // The first job: a check before and a confirmation; each next job: its confirmation only.
    expect(statusRequests(sim)).toBe(11)
    // Idle past the keep-alive: the connection is closed.
    await eventually(() => sim.openConnections === 0, 5_000, 'the kept connection closed')
    await driver.close()
  })

  it('when the printer ended the kept connection, then the next job opens a new one, checks status first, and its label prints once', async () => {
    const driver = (await driverFor(sim, 'tcp', 'zpl')) as RawPrinterDriver
    await driver.print({ id: 'a', units: [zplLabel(1)] })
    sim.dropConnections()
    await eventually(() => sim.openConnections === 0, 5_000, 'dropped')
    const out = await driver.print({ id: 'b', units: [zplLabel(2)] })
    expect(out.sentUnits).toBe(1)
    expect(driver.opened).toBe(2)
    expect(sim.labels).toHaveLength(2)
    // Two checks before (one per connection) and two confirmations.
    expect(statusRequests(sim)).toBe(4)
    await driver.close()
  })

  it('when the keep-alive lapsed, then the next job opens a new connection and checks status first', async () => {
    const driver = (await driverFor(sim, 'tcp', 'zpl')) as RawPrinterDriver
    await driver.print({ id: 'a', units: [zplLabel(1)] })
    await eventually(() => sim.openConnections === 0, 5_000, 'the kept connection closed after the keep-alive')
    await driver.print({ id: 'b', units: [zplLabel(2)] })
    expect(driver.opened).toBe(2)
    expect(statusRequests(sim)).toBe(4)
    await driver.close()
  })

  it('when a job ended on a stopped printer, then its connection is not kept and the next job checks status first', async () => {
    const driver = (await driverFor(sim, 'tcp', 'zpl')) as RawPrinterDriver
    await sim.setFaults({ paused: true })
    await expect(driver.print({ id: 'a', units: [zplLabel(1), zplLabel(2)] })).rejects.toBeInstanceOf(PrinterNotReadyError)
    expect(sim.openConnections).toBe(0)
    await sim.setFaults({ paused: false })
    await driver.print({ id: 'b', units: [zplLabel(3)] })
    expect(driver.opened).toBe(2)
    await driver.close()
  })

  it('when a status request went unanswered during the job (~HS silent, ~HQES said ready), then its connection is not kept: a late answer must not meet the next job', async () => {
    const driver = (await driverFor(sim, 'tcp', 'zpl')) as RawPrinterDriver
    await sim.setFaults({ silentHostStatus: true })
    expect(await driver.print({ id: 'a', units: [zplLabel(1)] })).toMatchObject({ sentUnits: 1, confirmed: true })
    await sim.setFaults({ silentHostStatus: false })
    await driver.print({ id: 'b', units: [zplLabel(2)] })
    expect(driver.opened).toBe(2)
    expect(sim.labels).toHaveLength(2)
    await driver.close()
  })

  it('when a probe comes while a connection is kept, then the probe ends it and uses its own', async () => {
    const driver = (await driverFor(sim, 'tcp', 'zpl')) as RawPrinterDriver
    await driver.print({ id: 'a', units: [zplLabel(1)] })
    expect(await driver.probe()).toMatchObject({ state: 'idle' })
    expect(sim.openConnections).toBe(0)
    await driver.print({ id: 'b', units: [zplLabel(2)] })
    expect(driver.opened).toBe(3)
    expect(sim.labels).toHaveLength(2)
    await driver.close()
    expect(sim.openConnections).toBe(0)
  })

})

describe('a printer without a status channel (EPL over TCP)', () => {
  const sim = useSim(new EplPrinterSim('keep-epl'))

  it('when jobs follow each other, then each has its own connection (its clean close is the only proof the printer took every byte)', async () => {
    const driver = (await driverFor(sim, 'tcp', 'epl')) as RawPrinterDriver
    const seenBefore = sim.connectionsSeen
    for (let i = 1; i <= 3; i++) await driver.print({ id: `e${i}`, units: [eplLabel(i)] })
    expect(sim.connectionsSeen - seenBefore).toBe(3)
    expect(sim.openConnections).toBe(0)
    await driver.close()
  })
})
