import { describe, expect, it } from 'vitest'
import { renderEpl, splitGraphics } from '../../../src/templates/epl/render-epl.ts'
import { render } from '../../../src/templates/index.ts'
import { STUDIO, barcodeOf, blackIn, makeSubject } from './fixtures.ts'

// Labels drawn and read back by an independent barcode decoder: test/integration/templates/render-epl-barcodes.test.ts.
describe('EPL label rasterizer (src/templates/epl/render-epl.ts)', () => {
  it('when the client label is drawn, then its first text line is inked where the A command puts it, in font 2 × 2 cells', async () => {
    const epl = await render({ subject: makeSubject('client-label'), format: 'epl', studio: STUDIO, barcode: barcodeOf('client-label'), media: '2.25x1.25', dpi: 203 })
    expect(Buffer.from(epl.bytes).toString('latin1')).toContain('A20,14,0,2,2,2,N,"Müller, Zoë"')
    const [label] = renderEpl(epl.bytes)
    // 11 characters of 20 × 32 dots from (20, 14): ink inside, none just right of the text.
    expect(blackIn(label.png, 20, 14, 220, 32)).toBeGreaterThan(300)
    expect(blackIn(label.png, 250, 14, 200, 32)).toBe(0)
  })

  it('when a label carries a GW graphic whose bytes look like commands, then it is cut out and drawn', () => {
    // 2 bytes × 2 rows: a row of 16 black dots, then "\nP" (binary) — not a print command.
    const bytes = Buffer.concat([Buffer.from('N\nq100\nQ50,24\nGW10,10,2,2,', 'latin1'), Uint8Array.of(0x00, 0x00, 0x0a, 0x50), Buffer.from('\nA10,30,0,1,1,1,N,"x"\nP1\n', 'latin1')])
    const split = splitGraphics(bytes)
    expect(split.graphics[0]).toHaveLength(1)
    const labels = renderEpl(bytes)
    expect(labels).toHaveLength(1)
    expect(labels[0].warnings).toEqual([])
    expect(blackIn(labels[0].png, 10, 10, 16, 1)).toBe(16)
  })

  it('when a label sets a reference point (R), then every element is drawn that far from where its own coordinates put it', () => {
    const body = (r: string, dx: number, dy: number) =>
      `N\nq400\nQ200,24\n${r}\nA${10 + dx},${10 + dy},0,3,1,1,N,"Ref"\nLO${10 + dx},${50 + dy},100,3\nX${10 + dx},${70 + dy},2,${120 + dx},${120 + dy}\nB${150 + dx},${10 + dy},0,1,2,4,40,N,"C-1"\nP1\n`
    const [shifted] = renderEpl(body('R40,20', 0, 0))
    const [placed] = renderEpl(body('R0,0', 40, 20))
    expect(shifted.warnings).toEqual([])
    expect(blackIn(shifted.png, 50, 70, 100, 3)).toBe(300) // the LO line, 40 right and 20 down
    expect(Buffer.from(shifted.png).equals(Buffer.from(placed.png))).toBe(true)
  })

  it('when R is set once, then later labels keep it, as the printer keeps the setting', () => {
    const labels = renderEpl('R40,0\nN\nq400\nQ100,24\nLO0,0,10,10\nP1\nN\nLO0,0,10,10\nP1\n')
    expect(labels.map((l) => blackIn(l.png, 40, 0, 10, 10))).toEqual([100, 100])
    expect(labels.map((l) => blackIn(l.png, 0, 0, 10, 10))).toEqual([0, 0])
  })

  it('when a barcode type or payload cannot be drawn, then it is outlined and reported', () => {
    const [label] = renderEpl('N\nq400\nQ200,24\nB30,10,0,E30,2,4,60,N,"123456789012"\nB10,100,0,3,2,6,50,N,"lower case"\nP1\n')
    expect(label.warnings).toHaveLength(2)
    expect(label.warnings[0]).toMatch(/type E30/)
    expect(label.warnings[1]).toMatch(/code39 cannot carry/)
  })
})
