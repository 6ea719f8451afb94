/** What the barcode width properties draw from, shared by the unit test and the long search in integration. */
import fc from 'fast-check'
import bwipjs from 'bwip-js'

/** Modules of a linear symbol as bwip-js encodes it (sum of its bar and space widths). */
export function bwipModules(bcid: 'code128' | 'code39', text: string): number {
  const raw = bwipjs.raw(bcid, text, '')[0] as { sbs: number[] }
  return raw.sbs.reduce((a, b) => a + b, 0)
}

/** Strings that exercise every code set decision: digit runs of every length and parity, set B-only and set A-only characters. */
const chunk = fc.oneof(
  fc.stringMatching(/^[0-9]{1,9}$/),
  fc.string({ unit: fc.constantFrom(...'ABCXYZ-./ $%+'), minLength: 1, maxLength: 4 }),
  fc.string({ unit: fc.constantFrom(...'abcxyz`{|}~'), minLength: 1, maxLength: 4 }),
)
export const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 80 })
export const mixed = fc.array(chunk, { minLength: 1, maxLength: 10 }).map((parts) => parts.join('').slice(0, 80))
export const withControls = fc.array(fc.oneof(chunk, fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 3 })), { minLength: 1, maxLength: 8 }).map((p) => p.join(''))
export const code39Text = fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%'), minLength: 1, maxLength: 40 })
/** Payloads both Code 128 and Code 39 carry. */
export const linearText = fc.stringMatching(/^[0-9A-Z\-. ]{1,30}$/)
