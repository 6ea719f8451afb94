/**
 * The long property search behind test/unit/templates/barcode-width.test.ts: the same properties
 * with thousands of runs each, where the unit test runs a few hundred.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { code128Modules } from '../../../src/templates/barcode-width.ts'
import { encodeSymbol, symbolSize } from '../../../src/templates/barcode-geometry.ts'
import { bwipModules, linearText, mixed, printable, withControls } from '../../unit/templates/barcode-width-cases.ts'

describe('when a Code 128 symbol is counted without encoding it, then it has exactly bwip-js\'s modules', () => {
  it('random printable ASCII payloads', () => {
    fc.assert(fc.property(printable, (s) => code128Modules(s) === bwipModules('code128', s)), { numRuns: 3000 })
  })
  it('payloads built from digit runs and set A/B-only characters (every switch and shift)', () => {
    fc.assert(fc.property(mixed, (s) => code128Modules(s) === bwipModules('code128', s)), { numRuns: 3000 })
  })
  it('payloads with control characters (set A, shifts between A and B)', () => {
    fc.assert(fc.property(withControls, (s) => code128Modules(s) === bwipModules('code128', s)), { numRuns: 2000 })
  })
})

describe('when a layout sizes a barcode, then symbolSize agrees with the full encoding', () => {
  it('code128 and code39 sizes equal encodeSymbol', () => {
    fc.assert(
      fc.property(linearText, (s) => {
        for (const sym of ['code128', 'code39'] as const) {
          const full = encodeSymbol(sym, s)
          expect(symbolSize(sym, s)).toEqual({ kind: full.kind, modules: full.modules })
        }
      }),
      { numRuns: 200 },
    )
  })
})
