import { describe, expect, it } from 'vitest'
import { decodeMonoPng } from '../../../src/templates/epl/render-epl.ts'
import { renderEscPos } from '../../../hw-sim/printers/render-escpos.ts'
import type { Symbology } from '../../../src/domain/preferences.ts'
import { render } from '../../../src/templates/index.ts'
import { decodePng } from '../../support/barcodes.ts'
import { STUDIO, barcodeOf, makeSubject, payloadOf } from '../../unit/templates/fixtures.ts'

async function receipt(symbology: Symbology | null, widthMm: 80 | 58): Promise<Uint8Array> {
  const r = await render({ subject: makeSubject('invoice'), format: 'escpos', studio: STUDIO, barcode: symbology ? barcodeOf('invoice', symbology) : null, receiptWidthMm: widthMm })
  return r.bytes
}

describe('ESC/POS receipt rasterizer (hw-sim/printers/render-escpos.ts)', () => {
  for (const [symbology, widthMm] of [['code128', 80], ['code39', 80], ['qrcode', 80], ['code128', 58], ['qrcode', 58]] as const) {
    it(`when the invoice receipt (${widthMm} mm, ${symbology}) is drawn, then its lines are laid out in ${widthMm === 80 ? 48 : 32} columns and the barcode decodes to INV-…`, async () => {
      const out = renderEscPos(await receipt(symbology, widthMm), { paperWidthMm: widthMm })
      expect(out.warnings).toEqual([])
      const columns = widthMm === 80 ? 48 : 32
      expect(out.width).toBe(columns * 12 + 32)
      expect(out.lines).toContain('-'.repeat(columns))
      expect(out.lines.some((l) => /^Total +\$68\.40$/.test(l) && l.length === columns)).toBe(true)
      expect(out.lines.at(-1)).toBe(payloadOf('invoice'))
      expect(out.barcodes).toEqual([{ symbology, payload: payloadOf('invoice') }])
      expect(payloadOf('invoice')).toMatch(/^INV-/)
      expect(await decodePng(out.png)).toEqual([payloadOf('invoice')])
    })
  }

  it('when a line is double size and centred, then its cells are 24 × 48 dots in the middle of the paper', async () => {
    const out = renderEscPos(await receipt(null, 80))
    // "Studio Print Demo Studio": 24 characters × 24 dots = the whole 576-dot line, 48 dots high.
    expect(out.lines[0]).toBe(STUDIO.name)
    const bmp = decodeMonoPng(out.png)
    let inkTop = 0
    let inkBelow = 0
    for (let y = 16; y < 16 + 48; y++) for (let x = 0; x < bmp.width; x++) inkTop += bmp.pixels[y * bmp.width + x]
    for (let y = 16 + 48; y < 16 + 54; y++) for (let x = 0; x < bmp.width; x++) inkBelow += bmp.pixels[y * bmp.width + x]
    expect(inkTop).toBeGreaterThan(2000)
    expect(inkBelow).toBe(0)
    expect(out.barcodes).toEqual([])
  })

  it('when the receipt uses commands beyond our compiler, then code set C, ESC ! and unknown bytes are handled or reported', async () => {
    const GS = 0x1d
    const ESC = 0x1b
    const bytes = Uint8Array.from([
      ESC, 0x40, ESC, 0x21, 0x38, ...Buffer.from('BIG'), 0x0a, ESC, 0x21, 0x00,
      GS, 0x48, 2, GS, 0x77, 2, GS, 0x6b, 73, 6, 0x7b, 0x43, 12, 34, 56, 78, 0x0a,
      0x07, ...Buffer.from('tail'), 0x0a, GS, 0x56, 0x00,
    ])
    const out = renderEscPos(bytes)
    expect(out.barcodes).toEqual([{ symbology: 'code128', payload: '12345678' }])
    expect(out.lines).toEqual(['BIG', 'tail']) // the HRI under the bars is not a text line
    expect(out.warnings).toEqual(['unknown byte 0x7'])
    expect(await decodePng(out.png)).toEqual(['12345678'])
  })
})
