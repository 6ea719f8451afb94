import { afterAll, describe, expect, it } from 'vitest'
import { configureFonts, DEFAULT_FONT_SETTINGS, fontSettings } from '../../../src/templates/font-settings.ts'
import { fontChain, fontFiles } from '../../../src/templates/glyphs/font-chain.ts'
import { fontNote } from '../../../src/templates/fonts.ts'

afterAll(() => configureFonts(DEFAULT_FONT_SETTINGS))

describe('font settings handed in by the composition root', () => {
  it('when nothing configured them, then the fonts are on with the bundled DejaVu Sans', () => {
    expect(fontSettings()).toEqual({ off: false, regular: null, bold: null, fallbacks: [] })
    expect(fontFiles().primary).toMatch(/DejaVuSans\.ttf$/)
  })

  it('when the same settings are handed in again (a second server in the process), then the chain is not looked up again', () => {
    const chain = fontChain()
    configureFonts({ off: false, regular: null, bold: null, fallbacks: [] })
    expect(fontChain()).toBe(chain)
  })

  it('when the fonts are turned off, then there is no chain and the note says so; turned on again, then the chain is back', () => {
    configureFonts({ ...DEFAULT_FONT_SETTINGS, off: true })
    expect(fontChain()).toBeNull()
    expect(fontFiles()).toEqual({ primary: null, fallbacks: [] })
    expect(String(fontNote())).toMatch(/STUDIO_PRINT_FONTS=none/)
    configureFonts(DEFAULT_FONT_SETTINGS)
    expect(fontChain()).not.toBeNull()
  })

  it('when STUDIO_PRINT_FONT names a file that does not exist, then the bundled DejaVu Sans is used (as before: not refused)', () => {
    configureFonts({ ...DEFAULT_FONT_SETTINGS, regular: '/nonexistent/Body.ttf' })
    expect(fontFiles().primary).toMatch(/DejaVuSans\.ttf$/)
  })
})
