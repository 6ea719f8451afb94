import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import bwipjs from 'bwip-js'
import { code128Codewords, code128Modules, code39Modules } from '../../../src/templates/barcode-width.ts'
import { encodeSymbol, symbolSize } from '../../../src/templates/barcode-geometry.ts'
import { labelLayout } from '../../../src/templates/index.ts'
import { STUDIO, makeClient } from './fixtures.ts'

/** Modules of a linear symbol as bwip-js encodes it (sum of its bar and space widths). */
function bwipModules(bcid: 'code128' | 'code39', text: string): number {
  const raw = bwipjs.raw(bcid, text, '')[0] as { sbs: number[] }
  return raw.sbs.reduce((a, b) => a + b, 0)
}

/** Strings that exercise every code set decision: digit runs of every length and parity, set B-only and set A-only characters. */
const chunk = fc.oneof(
  fc.stringMatching(/^[0-9]{1,9}$/),
  fc.string({ unit: fc.constantFrom(...'ABCXYZ-./ $%+'), minLength: 1, maxLength: 4 }),
  fc.string({ unit: fc.constantFrom(...'abcxyz`{|}~'), minLength: 1, maxLength: 4 }),
)
const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 80 })
const mixed = fc.array(chunk, { minLength: 1, maxLength: 10 }).map((parts) => parts.join('').slice(0, 80))
const withControls = fc.array(fc.oneof(chunk, fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 8 }).map((p) => p.join(''))

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
    const code39 = fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%'), minLength: 1, maxLength: 40 })
    fc.assert(fc.property(code39, (s) => code39Modules(s) === bwipModules('code39', s)), { numRuns: 500 })
  })
})

describe('when a layout sizes a barcode, then symbolSize agrees with the full encoding', () => {
  it('code128 and code39 sizes equal encodeSymbol; QR falls back to it', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9A-Z\-. ]{1,30}$/), (s) => {
        for (const sym of ['code128', 'code39'] as const) {
          const full = encodeSymbol(sym, s)
          expect(symbolSize(sym, s)).toEqual({ kind: full.kind, modules: full.modules })
        }
      }),
      { numRuns: 200 },
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
