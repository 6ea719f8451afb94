/** EPL labels drawn by the rasterizer (src/templates/epl/render-epl.ts) and read back by an independent barcode decoder (zxing-wasm). */
import { describe, expect, it } from 'vitest'
import { decodeMonoPng, renderEpl } from '../../../src/templates/epl/render-epl.ts'
import { render } from '../../../src/templates/index.ts'
import type { Symbology } from '../../../src/domain/preferences.ts'
import { decodePng } from '../../support/barcodes.ts'
import { STUDIO, barcodeOf, blackIn, makeSubject, payloadOf } from '../../unit/templates/fixtures.ts'

describe('EPL label rasterizer (src/templates/epl/render-epl.ts)', () => {
  const cases: Array<['client-label' | 'order-label', string, Symbology]> = [
    ['client-label', '2.25x1.25', 'code128'],
    ['order-label', '2.25x1.25', 'code128'],
    ['client-label', '4x6', 'code39'],
    ['order-label', '4x6', 'qrcode'],
    ['client-label', '2.25x1.25', 'qrcode'],
  ]
  for (const [document, media, symbology] of cases) {
    it(`when a ${document} (${media}, ${symbology}) from render() is drawn, then the PNG is the label's size and its barcode decodes to the payload`, async () => {
      const epl = await render({ subject: makeSubject(document), format: 'epl', studio: STUDIO, barcode: barcodeOf(document, symbology), media, dpi: 203 })
      const labels = renderEpl(epl.bytes)
      expect(labels).toHaveLength(1)
      const [label] = labels
      expect(label.warnings).toEqual([])
      const stock = media === '4x6' ? [812, 1218] : [457, 254]
      expect([label.width, label.height]).toEqual(stock)
      const bmp = decodeMonoPng(label.png)
      expect([bmp.width, bmp.height]).toEqual(stock)
      expect(await decodePng(label.png)).toEqual([payloadOf(document)])
    })
  }

  it('when fields are rotated, then they are drawn turned about their anchor; reverse text and XOR lines invert', async () => {
    const epl = [
      'N', 'q400', 'Q300,24',
      'A200,20,1,3,1,1,N,"ROT 90"',
      'A300,280,2,3,1,1,N,"ROT 180"',
      'A20,280,3,3,1,1,N,"ROT 270"',
      'B380,40,1,1,2,4,60,B,"AB-12"',
      'LO0,150,100,20',
      'LE50,150,100,20',
      'A60,200,0,4,1,1,R,"REV"',
      'P1', '',
    ].join('\n')
    const [label] = renderEpl(epl)
    expect(label.warnings).toEqual([])
    // 90°: "ROT 90" (6 × 12 dots across, 20 down) runs downwards to the left of x = 200.
    expect(blackIn(label.png, 180, 20, 20, 72)).toBeGreaterThan(50)
    expect(blackIn(label.png, 200, 20, 20, 72)).toBe(0)
    // 180°: up and to the left of (300, 280).
    expect(blackIn(label.png, 216, 260, 84, 20)).toBeGreaterThan(50)
    // 270°: upwards, to the right of x = 20.
    expect(blackIn(label.png, 20, 196, 20, 84)).toBeGreaterThan(50)
    // LO black 0–100, LE XOR 50–150: black, white, black.
    expect(blackIn(label.png, 0, 150, 50, 20)).toBe(1000)
    expect(blackIn(label.png, 50, 150, 50, 20)).toBe(0)
    expect(blackIn(label.png, 100, 150, 50, 20)).toBe(1000)
    // Reverse: mostly black cells (3 × 14 × 24) with white glyphs.
    const rev = blackIn(label.png, 60, 200, 42, 24)
    expect(rev).toBeGreaterThan(600)
    expect(rev).toBeLessThan(42 * 24)
    // The rotated Code 128 still decodes.
    expect(await decodePng(label.png)).toEqual(['AB-12'])
  })
})
