/**
 * Text a label printer's resident font can't show is printed as a graphic field drawn with the
 * preview's fonts; combining accents are composed first; right-to-left text is ordered.
 */
import { describe, expect, it } from 'vitest'
import { parseEpl } from '../../../src/templates/epl/parse-epl.ts'
import { splitGraphics } from '../../../src/templates/epl/render-epl.ts'
import { render } from '../../../src/templates/index.ts'
import { STUDIO, makeClient, makeSubject } from './fixtures.ts'
import { readZpl } from './zpl-reader.ts'

const label = (firstName: string, lastName: string) => makeSubject('client-label', makeClient({ firstName, lastName, organization: null, phones: [] }))

/** CRC-16/XMODEM, written here apart from the compiler's (check value of "123456789": 0x31C3). */
function xmodem(text: string): number {
  let crc = 0
  for (const byte of Buffer.from(text, 'latin1')) {
    for (let bit = 7; bit >= 0; bit--) {
      const top = ((crc >> 15) & 1) ^ ((byte >> bit) & 1)
      crc = (crc << 1) & 0xffff
      if (top) crc ^= 0x1021
    }
  }
  return crc
}

async function zplOf(firstName: string, lastName: string, media = '4x6'): Promise<string> {
  const r = await render({ subject: label(firstName, lastName), format: 'zpl', studio: STUDIO, barcode: null, media })
  return new TextDecoder().decode(r.bytes)
}

async function eplOf(firstName: string, lastName: string, media = '4x6'): Promise<Uint8Array> {
  return (await render({ subject: label(firstName, lastName), format: 'epl', studio: STUDIO, barcode: null, media })).bytes
}

describe('when a name is typed with combining accents, then every printer gets the composed letter', () => {
  const first = 'Jose\u0301' // e + COMBINING ACUTE ACCENT
  it('EPL prints é (0xE9), not "Jose?"', async () => {
    const { text } = splitGraphics(await eplOf(first, 'Garcia'))
    const names = parseEpl(text)[0].texts.map((t) => t.data)
    expect(names).toContain('Garcia, José')
    expect(Buffer.from(text).includes(Buffer.from('Jose?', 'latin1'))).toBe(false)
  })
  it('ZPL sends é as one character to font 0 (no combining mark, no graphic)', async () => {
    const zpl = await zplOf(first, 'Garcia')
    const fields = readZpl(zpl).formats[0].fields.map((f) => f.data)
    expect(fields).toContain('Garcia, José')
    expect(zpl).not.toContain('_CC_81')
    expect(zpl).not.toContain('^GF')
  })
})

describe('when a name is beyond the resident font (Greek, Cyrillic, CJK…), then it is a graphic field, never text for font 0', () => {
  it('ZPL: the Greek name is a ^GFA Z64 graphic with a correct CRC, and no UTF-8 Greek goes to ^A0', async () => {
    const zpl = await zplOf('Ελένη', 'Papadopoulou')
    expect(zpl).not.toContain('_CE_') // Ε is CE 95 in UTF-8
    const gf = /\^FO(\d+),(\d+)\^GFA,(\d+),(\d+),(\d+),:Z64:([A-Za-z0-9+/=]+):([0-9A-F]{4})\^FS/.exec(zpl)
    expect(gf).not.toBeNull()
    expect(xmodem('123456789')).toBe(0x31c3)
    expect(xmodem(gf![6]).toString(16).toUpperCase().padStart(4, '0')).toBe(gf![7])
    expect(Number(gf![3]) % Number(gf![5])).toBe(0)
  })
  it('EPL: the Cyrillic name is GW graphics (one a line), not transliterated text', async () => {
    const { text, graphics } = splitGraphics(await eplOf('Дмитрий', 'Щербаков'))
    expect(graphics[0].length).toBeGreaterThanOrEqual(1)
    const texts = parseEpl(text)[0].texts.map((t) => t.data)
    expect(texts.some((t) => t.includes('Shcherbakov'))).toBe(false)
  })
  it('EPL: a long Cyrillic name on a 2.25×1.25 label stays on the label (457 dots)', async () => {
    const { graphics } = splitGraphics(await eplOf('Дмитрий Александрович', 'Щербаков-Жуковский', '2.25x1.25'))
    expect(graphics[0].length).toBeGreaterThanOrEqual(1)
    for (const g of graphics[0]) expect(g.x + g.bytesPerRow * 8).toBeLessThanOrEqual(457 + 7)
  })
})


describe('when a name stacks hundreds of combining marks, then its graphic stays in a band around its line', () => {
  it('ZPL: the ^GF is no taller than three times the text size', async () => {
    const zalgo = 'Ζ' + '\u0301\u0308\u0327\u0323'.repeat(150) + 'ώη'
    const zpl = await zplOf(zalgo, 'Ελένη')
    const rows = [...zpl.matchAll(/\^GFA,(\d+),\d+,(\d+),/g)].map((m) => Number(m[1]) / Number(m[2]))
    expect(rows.length).toBeGreaterThan(0)
    // 4x6 client label: the name is 9 mm (72 dots) high.
    for (const r of rows) expect(r).toBeLessThanOrEqual(3 * 72)
  })
})
