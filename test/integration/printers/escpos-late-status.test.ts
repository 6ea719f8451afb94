import { describe, expect, it } from 'vitest'
import { EscPosPrinterSim } from '../../../hw-sim/printers/escpos-printer-sim.ts'
import { useSim, driverFor, receipt, VIAS } from './support.ts'

describe.each(VIAS)('ESC/POS printer whose roll-sensor status (DLE EOT 4) answers late, via %s', (via) => {
  const sim = useSim(new EscPosPrinterSim(`escpos-late-${via}`))

  it('when the paper is near its end and DLE EOT 4 answers after the wait, then a late answer is never read as the next receipt’s status: three receipts, each confirmed, printed once', async () => {
    await sim.setFaults({ paperLow: true, paperStatusDelayMs: 700 })
    const driver = await driverFor(sim, via, 'escpos', { statusTimeoutMs: 2_000 })
    const out = await driver.print({ id: 'late', units: [1, 2, 3].map(receipt) })
    expect(out).toMatchObject({ sentUnits: 3, confirmed: true })
    expect(sim.printed).toHaveLength(3)
    // A probe (its own connection) still reads the roll sensors.
    expect(await driver.probe()).toMatchObject({ state: 'idle' })
  })
})
