/**
 * With STUDIO_PRINT_FONT set to a font without Greek or Cyrillic, DejaVu Sans follows it in the
 * chain, so such names are still drawn (not as empty boxes).
 */
import { afterAll, describe, expect, it } from 'vitest'
import { existsSync } from 'node:fs'
import { fontChain } from '../../../src/templates/glyphs/font-chain.ts'
import { shapeLine } from '../../../src/templates/glyphs/shape-text.ts'
import { peer } from '../../support/peers.ts'
import { configureFonts, DEFAULT_FONT_SETTINGS } from '../../../src/templates/font-settings.ts'

// A real font other than DejaVu serves as the "custom" one: Droid Sans Fallback (fonts-droid-fallback).
const CUSTOM = '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf'
const HAS_CUSTOM = peer('fonts-droid-fallback', existsSync(CUSTOM), 'apt-get install fonts-droid-fallback (scripts/install-system-deps.sh)')
// As the composition root hands in STUDIO_PRINT_FONT=CUSTOM.
configureFonts({ ...DEFAULT_FONT_SETTINGS, regular: CUSTOM })
afterAll(() => {
  configureFonts(DEFAULT_FONT_SETTINGS)
})

describe.skipIf(!HAS_CUSTOM)('when STUDIO_PRINT_FONT is a font without some scripts, then DejaVu Sans draws them', () => {
  it('the chain is the custom font, then DejaVu Sans; Greek and Cyrillic come from a font that has them', () => {
    const chain = fontChain()!
    expect(chain.regular[0].source).toBe(CUSTOM)
    expect(chain.regular[1].source).toMatch(/DejaVuSans\.ttf$/)
    for (const text of ['Ελένη', 'Щербаков']) {
      for (const run of shapeLine(chain, text, false).runs) {
        for (const ch of run.text) expect(run.font.font.hasGlyphForCodePoint(ch.codePointAt(0)!), `${ch} in ${run.font.source}`).toBe(true)
      }
    }
  })
})
