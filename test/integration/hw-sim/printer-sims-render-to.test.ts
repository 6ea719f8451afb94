/** hw-sim printers with `renderTo`: each printed unit is written to disk as its raw bytes and a PNG. */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ZplPrinterSim } from '../../../hw-sim/printers/zpl-printer-sim.ts'
import { EplPrinterSim } from '../../../hw-sim/printers/epl-printer-sim.ts'
import { EscPosPrinterSim } from '../../../hw-sim/printers/escpos-printer-sim.ts'
import { render } from '../../../src/templates/index.ts'
import { decodePng } from '../../support/barcodes.ts'
import { bytewise, exchange } from '../../support/sim-connection.ts'
import { STUDIO, barcodeOf, makeSubject } from '../../unit/templates/fixtures.ts'

describe('ZPL sim renderTo', () => {
  it('when renderTo is set, then each printed label is written as .zpl and .png', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'printed-'))
    try {
      const sim = new ZplPrinterSim('demo', { renderTo: dir })
      await exchange(sim, bytewise(Buffer.from('^XA^FO50,50^A0N,40,40^FDHello^FS^XZ', 'latin1')))
      await sim.renderQueue
      const files = (await readdir(dir)).sort()
      expect(files).toEqual(['demo-0001.png', 'demo-0001.zpl'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('EPL and ESC/POS sims renderTo', () => {
  it('when renderTo is set, then each EPL label is written as .epl and .png, and the PNG decodes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'printed-'))
    try {
      const sim = new EplPrinterSim('demo-epl', { renderTo: dir })
      const epl = await render({ subject: makeSubject('client-label'), format: 'epl', studio: STUDIO, barcode: barcodeOf('client-label'), media: '2.25x1.25', dpi: 203 })
      await exchange(sim, [epl.bytes])
      await sim.renderQueue
      expect((await readdir(dir)).sort()).toEqual(['demo-epl-0001.epl', 'demo-epl-0001.png'])
      expect(await readFile(join(dir, 'demo-epl-0001.epl'))).toEqual(Buffer.from(epl.bytes).subarray(1)) // the leading LF is not part of the unit
      expect(await decodePng(await readFile(join(dir, 'demo-epl-0001.png')))).toEqual(['C-000123'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('when renderTo is set, then each receipt is written as .bin and .png, and the PNG decodes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'printed-'))
    try {
      const sim = new EscPosPrinterSim('demo-receipt', { renderTo: dir })
      const bytes = (await render({ subject: makeSubject('invoice'), format: 'escpos', studio: STUDIO, barcode: barcodeOf('invoice', 'code128'), receiptWidthMm: 80 })).bytes
      await exchange(sim, [bytes])
      await sim.renderQueue
      expect((await readdir(dir)).sort()).toEqual(['demo-receipt-0001.bin', 'demo-receipt-0001.png'])
      expect(await readFile(join(dir, 'demo-receipt-0001.bin'))).toEqual(Buffer.from(bytes))
      expect(await decodePng(await readFile(join(dir, 'demo-receipt-0001.png')))).toEqual(['INV-000789'])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
