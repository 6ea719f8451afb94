/** Right-to-left text is ordered for display (bidi-js) and Arabic is joined (fontkit). */
import { describe, expect, it } from 'vitest'
import { fontChain } from '../../../src/templates/glyphs/font-chain.ts'
import { shapeLine } from '../../../src/templates/glyphs/shape-text.ts'

describe('when text is right to left, then it is shaped and ordered for display', () => {
  const chain = fontChain()
  it.skipIf(!chain)('Hebrew: "שרה כהן" is drawn right to left, words in reading order', () => {
    const line = shapeLine(chain!, 'שרה כהן', false)
    expect(line.runs).toHaveLength(1)
    expect(line.runs[0].rtl).toBe(true)
    // Visual order, left to right: ן ה כ, space, ה ר ש.
    const ids = (s: string) => [...s].map((c) => chain!.regular[0].font.glyphForCodePoint(c.codePointAt(0)!).id)
    expect(line.runs[0].glyphs.map((g) => g.id)).toEqual(ids('ןהכ הרש'))
  })
  it.skipIf(!chain)('Arabic: letters are joined (contextual forms, not the isolated ones)', () => {
    const text = 'فاطمة'
    const line = shapeLine(chain!, text, false)
    const isolated = [...text].reverse().map((c) => chain!.regular[0].font.glyphForCodePoint(c.codePointAt(0)!).id)
    expect(line.runs[0].glyphs.map((g) => g.id)).not.toEqual(isolated)
  })
  it.skipIf(!chain)('mixed: a Latin word then a Hebrew name keeps the Latin first and the Hebrew reversed after it', () => {
    const line = shapeLine(chain!, 'Order 12 for כהן', false)
    expect(line.runs.map((r) => [r.text, r.rtl])).toEqual([
      ['Order 12 for ', false],
      ['כהן', true],
    ])
  })
})
