import { describe, expect, it } from 'vitest'
import { ZplPrinterSim } from '../../../hw-sim/printers/zpl-printer-sim.ts'
import { EscPosPrinterSim } from '../../../hw-sim/printers/escpos-printer-sim.ts'
import { EplPrinterSim } from '../../../hw-sim/printers/epl-printer-sim.ts'
import { bytewise, exchange } from '../../support/sim-connection.ts'

/** Feeds `bytes` to an in-process connection one byte per write; returns what the sim answered. */
function feedBytewise(sim: ZplPrinterSim | EscPosPrinterSim | EplPrinterSim, bytes: Buffer): Promise<Buffer> {
  return exchange(sim, bytewise(bytes))
}

describe('hw-sim printers split streams fed byte by byte', () => {
  it('when ZPL formats, ~HS and ~HQES arrive split mid-command, then labels and answers come out whole', async () => {
    const sim = new ZplPrinterSim()
    const answers = await feedBytewise(sim, Buffer.from('~HS^XA^FDone^FS^PQ2^XZ\r\n~HQES^XA^FDtwo^FS^XZ', 'latin1'))
    expect(sim.labels).toEqual(['^XA^FDone^FS^PQ2^XZ', '^XA^FDtwo^FS^XZ'])
    expect(sim.printedCount).toBe(3)
    const text = answers.toString('latin1')
    expect(text.startsWith(sim.hsReply())).toBe(true)
    expect(text).toContain('PRINTER STATUS')
  })

  it('when ~PP then ~PS arrive, then the printer pauses (labels wait) and resumes', async () => {
    const sim = new ZplPrinterSim()
    await feedBytewise(sim, Buffer.from('~PP^XA^FDx^FS^XZ', 'latin1'))
    expect(sim.pending).toHaveLength(1)
    await feedBytewise(sim, Buffer.from('~PS', 'latin1'))
    expect(sim.printed).toHaveLength(1)
  })

  it('when DLE EOT sits between receipt bytes, then it is answered and not part of the receipt', async () => {
    const sim = new EscPosPrinterSim()
    await sim.setFaults({ paperLow: true })
    const receipt = Buffer.concat([Buffer.from('Hello\n'), Uint8Array.of(0x1d, 0x56, 0x42, 0x00)])
    const answers = await feedBytewise(sim, Buffer.concat([Uint8Array.of(0x10, 0x04, 0x04), receipt]))
    expect([...answers]).toEqual([0x1e])
    expect(sim.printed.map((u) => u.data)).toEqual([receipt])
  })

  it('when an EPL label holds a GW graphic with LF bytes, then the graphic is skipped by length', async () => {
    const sim = new EplPrinterSim()
    const gw = Buffer.concat([Buffer.from('N\nGW10,10,2,2,', 'latin1'), Uint8Array.of(0x0a, 0x50, 0x31, 0x0a), Buffer.from('\nP2,3\n', 'latin1')])
    await feedBytewise(sim, gw)
    expect(sim.printed).toHaveLength(1)
    expect(sim.printedCount).toBe(6)
  })
})
