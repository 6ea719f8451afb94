/**
 * With no Unicode font (STUDIO_PRINT_FONTS=none: as on a machine with none installed), labels
 * fall back to their resident fonts: EPL transliterates, and cuts the transliterated text to the
 * field, so it never runs off the label.
 */
import { afterAll, describe, expect, it } from 'vitest'
import { parseEpl } from '../../../src/templates/epl/parse-epl.ts'
import { EPL_FONT_CELLS } from '../../../src/templates/epl/render-epl.ts'
import { render, fontNote } from '../../../src/templates/index.ts'
import { STUDIO, makeClient, makeSubject } from './fixtures.ts'
import { configureFonts, DEFAULT_FONT_SETTINGS } from '../../../src/templates/font-settings.ts'

// As the composition root hands in STUDIO_PRINT_FONTS=none.
configureFonts({ ...DEFAULT_FONT_SETTINGS, off: true })
afterAll(() => {
  configureFonts(DEFAULT_FONT_SETTINGS)
})

describe('when no Unicode font is available, then labels fall back to resident fonts and stay on the label', () => {
  it('EPL: a transliterated Cyrillic name on a 2.25×1.25 label ends within its 457 dots', async () => {
    const client = makeClient({ firstName: 'Дмитрий', lastName: 'Щербаков-Жуковский' })
    const r = await render({ subject: makeSubject('client-label', client), format: 'epl', studio: STUDIO, barcode: null, media: '2.25x1.25' })
    const [label] = parseEpl(r.bytes)
    expect(label.width).toBe(457)
    const name = label.texts.find((t) => t.data.startsWith('Shch'))
    expect(name).toBeDefined()
    const end = name!.x + [...name!.data].length * EPL_FONT_CELLS[name!.font][0] * name!.h
    expect(end).toBeLessThanOrEqual(457)
  })
  it('ZPL: without a font the text goes to font 0 as UTF-8 (no graphic), and the fallback is said', async () => {
    const client = makeClient({ firstName: 'Ελένη', lastName: 'Papadopoulou' })
    const r = await render({ subject: makeSubject('client-label', client), format: 'zpl', studio: STUDIO, barcode: null })
    const zpl = new TextDecoder().decode(r.bytes)
    expect(zpl).not.toContain('^GF')
    expect(zpl).toContain('_CE_95') // Ε
    expect(String(fontNote())).toMatch(/STUDIO_PRINT_FONTS=none/)
  })
})
