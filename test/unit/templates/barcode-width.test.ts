import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { code128Codewords, code128Modules, code39Modules } from '../../../src/templates/barcode-width.ts'
import { encodeSymbol, symbolSize } from '../../../src/templates/barcode-geometry.ts'
import { labelLayout } from '../../../src/templates/index.ts'
import { STUDIO, makeClient } from './fixtures.ts'
import { bwipModules, code39Text, linearText, mixed, printable, withControls } from './barcode-width-cases.ts'

// A few hundred runs each here; test/integration/templates/barcode-width-search.test.ts runs thousands.

describe('when a Code 128 symbol is counted without encoding it, then it has exactly bwip-js\'s modules', () => {
  it('random printable ASCII payloads', () => {
    fc.assert(fc.property(printable, (s) => code128Modules(s) === bwipModules('code128', s)), { numRuns: 300 })
  })
  it('payloads built from digit runs and set A/B-only characters (every switch and shift)', () => {
    fc.assert(fc.property(mixed, (s) => code128Modules(s) === bwipModules('code128', s)), { numRuns: 300 })
  })
  it('payloads with control characters (set A, shifts between A and B)', () => {
    fc.assert(fc.property(withControls, (s) => code128Modules(s) === bwipModules('code128', s)), { numRuns: 200 })
  })
  it('known cases: start C for 4+ digits or exactly 2, odd digit runs, shifts', () => {
    for (const s of ['12', '1234', '123', '12345', 'C-000123', 'INV-000789', 'a\x01b', 'ab\x01\x02c', '0', 'x1234567y', 'AB12CD']) {
      expect(code128Modules(s), s).toBe(bwipModules('code128', s))
    }
    expect(code128Codewords('1234')).toBe(4) // start C, 12, 34, check
  })
  it('refuses characters beyond 7-bit ASCII (the caller then asks bwip-js)', () => {
    expect(code128Modules('é')).toBe(-1)
  })
})

describe('when a Code 39 symbol is counted, then it has exactly bwip-js\'s modules', () => {
  it('random payloads of the Code 39 alphabet', () => {
    fc.assert(fc.property(code39Text, (s) => code39Modules(s) === bwipModules('code39', s)), { numRuns: 500 })
  })
})

describe('when a layout sizes a barcode, then symbolSize agrees with the full encoding', () => {
  it('code128 and code39 sizes equal encodeSymbol; QR falls back to it', () => {
    fc.assert(
      fc.property(linearText, (s) => {
        for (const sym of ['code128', 'code39'] as const) {
          const full = encodeSymbol(sym, s)
          expect(symbolSize(sym, s)).toEqual({ kind: full.kind, modules: full.modules })
        }
      }),
      { numRuns: 50 },
    )
    expect(symbolSize('qrcode', 'C-000123')).toEqual({ kind: 'matrix', modules: encodeSymbol('qrcode', 'C-000123').modules })
  })
  it('still refuses payloads the symbology cannot carry', () => {
    expect(() => symbolSize('code39', 'lower')).toThrow(/cannot be printed/)
    expect(() => symbolSize('code128', 'é')).toThrow(/cannot be printed/)
  })
  it('a label barcode spans modules × module width', () => {
    for (const symbology of ['code128', 'code39'] as const) {
      const layout = labelLayout({ subject: { document: 'client-label', client: makeClient() }, studio: STUDIO, barcode: { payload: 'C-000123', symbology }, media: '4x6' })
      const node = layout.pages[0].nodes.find((n) => n.type === 'barcode')
      expect(node?.type === 'barcode' && node.modules).toBe(encodeSymbol(symbology, 'C-000123').modules)
      expect(node?.type === 'barcode' && node.width).toBe(node?.type === 'barcode' ? node.modules * node.moduleWidth : -1)
    }
  })
})
