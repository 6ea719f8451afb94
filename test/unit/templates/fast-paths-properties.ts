/**
 * The per-label hot paths were rewritten for speed (fast paths, lookup tables, parsed templates).
 * Each is checked against the straightforward version it replaced, on random input: a few
 * hundred runs in test/unit/templates/fast-paths.test.ts, the full search (thousands) in
 * test/integration/templates/fast-paths-search.test.ts.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { eplQuoted, zplFieldData } from '../../../src/templates/index.ts'
import { encodeCp1252 } from '../../../src/templates/compilers/cp1252.ts'
import { ZPL_MAX_FIELD_BYTES } from '../../../src/templates/compilers/zpl-compiler.ts'
import { allFieldsEmpty, fillPlaceholders, placeholders } from '../../../src/templates/fields.ts'
import { cleanText } from '../../../src/templates/layout.ts'
import { charEm, textWidth } from '../../../src/templates/text-metrics.ts'

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'))
function referenceZpl(text: string, escapeChar = '_'): string {
  let bytes = new TextEncoder().encode(text)
  if (bytes.length > ZPL_MAX_FIELD_BYTES) {
    let end = ZPL_MAX_FIELD_BYTES
    while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--
    bytes = bytes.subarray(0, end)
  }
  const esc = escapeChar.charCodeAt(0)
  let out = ''
  for (const b of bytes) out += b < 0x20 || b >= 0x7f || b === 0x5e || b === 0x7e || b === esc || b === 0x5f ? escapeChar + HEX[b] : String.fromCharCode(b)
  return out
}
function referenceEpl(text: string): string {
  let out = '"'
  for (const b of encodeCp1252(text)) out += b < 0x20 || b === 0x7f ? ' ' : b === 0x22 ? '\\"' : b === 0x5c ? '\\\\' : String.fromCharCode(b)
  return out + '"'
}
const PLACEHOLDER = /\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g

/** Any UTF-16, lone surrogates included, weighted towards the characters the escapers care about. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.string({ unit: fc.constantFrom('a', 'Z', ' ', '^', '~', '_', '"', '\\', '\n', '\x7f', '\x85', 'é', 'ÿ', '€', 'Ω', 'Д', '李', '😀', '\ud800', '\udc00', '\u2028'), maxLength: 60 }),
)

/** Declares the fast-path properties; `runs` scales each property's full number of runs. */
export function fastPathProperties(runs: (full: number) => number): void {
  describe('when record text takes a fast path, then it comes out exactly as the reference encoder writes it', () => {
    it('zplFieldData equals TextEncoder + per-byte escaping (any escape character)', () => {
      fc.assert(fc.property(anyText, fc.constantFrom('_', '#', 'A'), (s, e) => zplFieldData(s, e) === referenceZpl(s, e)), { numRuns: runs(5000) })
    })
    it('zplFieldData cuts over-long data on the same character boundary', () => {
      const long = fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', '^'), minLength: 700, maxLength: 3200 })
      fc.assert(fc.property(long, (s) => zplFieldData(s) === referenceZpl(s)), { numRuns: runs(200) })
      expect(zplFieldData('a'.repeat(4000))).toBe('a'.repeat(ZPL_MAX_FIELD_BYTES))
    })
    it('eplQuoted equals Windows-1252 encoding + per-byte escaping', () => {
      fc.assert(fc.property(anyText, (s) => eplQuoted(s) === referenceEpl(s)), { numRuns: runs(5000) })
    })
    it('cleanText equals the regular expression it replaced, composed (NFC)', () => {
      fc.assert(fc.property(anyText, (s) => cleanText(s) === s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').normalize('NFC')), { numRuns: runs(3000) })
    })
    it('textWidth equals the per-character sum, bold or not', () => {
      fc.assert(
        fc.property(anyText, fc.boolean(), fc.integer({ min: 1, max: 200 }), (s, bold, size) => {
          let em = 0
          for (const ch of s) em += charEm(ch, bold)
          return textWidth(s, size, bold) === em * size
        }),
        { numRuns: runs(3000) },
      )
    })
  })

  describe('when a template text is parsed once and reused, then filling it matches the regular expression', () => {
    const name = fc.constantFrom('client.name', 'client.phone', 'studio.name', 'x', 'unknown.field', 'a1_b.c')
    const piece = fc.oneof(anyText, name.map((n) => `{{${n}}}`), name.map((n) => `{{ ${n}  }}`), fc.constant('{{'), fc.constant('}}'), fc.constant('{{ 1bad }}'))
    const template = fc.array(piece, { maxLength: 8 }).map((p) => p.join(''))
    const values = fc.dictionary(name, anyText)
    it('fillPlaceholders, with and without an escaper', () => {
      const escape = (v: string) => `<${v.toUpperCase()}>`
      fc.assert(
        fc.property(template, values, (t, v) => {
          expect(fillPlaceholders(t, v)).toBe(t.replace(PLACEHOLDER, (_m, n: string) => v[n] ?? ''))
          expect(fillPlaceholders(t, v, escape)).toBe(t.replace(PLACEHOLDER, (_m, n: string) => escape(v[n] ?? '')))
        }),
        { numRuns: runs(2000) },
      )
    })
    it('placeholders and allFieldsEmpty', () => {
      fc.assert(
        fc.property(template, values, (t, v) => {
          const names = [...t.matchAll(PLACEHOLDER)].map((m) => m[1])
          expect(placeholders(t)).toEqual(names)
          expect(allFieldsEmpty(t, v)).toBe(names.length > 0 && names.every((n) => (v[n] ?? '').trim() === ''))
        }),
        { numRuns: runs(2000) },
      )
    })
    it('the list placeholders returns is the caller\'s own copy', () => {
      const t = 'Hi {{client.name}}'
      placeholders(t).push('mutated')
      expect(placeholders(t)).toEqual(['client.name'])
    })
  })
}
