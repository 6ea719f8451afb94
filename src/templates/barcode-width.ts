/**
 * Module counts of linear symbols without encoding them: the width a label layout needs for a
 * barcode the printer draws itself (ZPL `^BC`/`^B3`, EPL `B`). Pure and allocation-light, so a
 * label costs microseconds instead of a bwip-js encode.
 *
 * Code 128 follows bwip-js's default ("legacy") code set selection exactly — start code, switches,
 * shifts and set C digit runs — so the counts equal those of `encodeSymbol` (barcode-geometry.ts),
 * which the PDF and PNG compilers draw. test/unit/templates/barcode-width.test.ts proves it on
 * random payloads.
 */

const enum Set128 {
  A,
  B,
  C,
}

const NO_NEXT = 9999

/** Reused scratch arrays (the encoder is synchronous, so one set serves every call). */
let digitRun = new Int32Array(128)
let nextANotB = new Int32Array(128)
let nextBNotA = new Int32Array(128)

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}
/** In set A but not in set B: the control characters. */
function aNotB(c: number): boolean {
  return c < 32
}
/** In set B but not in set A: lower case and the few symbols after `_`. */
function bNotA(c: number): boolean {
  return c >= 96
}
/** From position i, a character only set A has comes before one only set B has. */
function aBeforeB(i: number): boolean {
  return nextANotB[i] < nextBNotA[i]
}
function bBeforeA(i: number): boolean {
  return nextBNotA[i] < nextANotB[i]
}

/**
 * Number of symbol characters of a Code 128 symbol: start, data (with switches and shifts), check.
 * Returns -1 for characters beyond 7-bit ASCII (bwip-js would use FNC4; callers fall back to it).
 */
export function code128Codewords(text: string): number {
  const n = text.length
  if (n + 1 > digitRun.length) {
    const size = Math.max(n + 1, digitRun.length * 2)
    digitRun = new Int32Array(size)
    nextANotB = new Int32Array(size)
    nextBNotA = new Int32Array(size)
  }
  digitRun[n] = 0
  nextANotB[n] = NO_NEXT
  nextBNotA[n] = NO_NEXT
  for (let i = n - 1; i >= 0; i--) {
    const c = text.charCodeAt(i)
    if (c > 127) return -1
    digitRun[i] = isDigit(c) ? digitRun[i + 1] + 1 : 0
    nextANotB[i] = aNotB(c) ? 0 : nextANotB[i + 1] + 1
    nextBNotA[i] = bNotA(c) ? 0 : nextBNotA[i + 1] + 1
  }

  // Start code.
  let set: Set128
  if (n === 0) set = Set128.B
  else if ((n === 2 && digitRun[0] === 2) || digitRun[0] >= 4) set = Set128.C
  else set = aBeforeB(0) ? Set128.A : Set128.B
  let cws = 1
  let i = 0
  while (i < n) {
    const nums = digitRun[i]
    if (set !== Set128.C && nums >= 4) {
      if (nums % 2 === 0) {
        cws++ // CODE C
        set = Set128.C
        continue
      }
      cws++ // one digit in A/B, then CODE C if an even run of four or more follows
      i++
      if (digitRun[i] >= 4) {
        cws++
        set = Set128.C
        continue
      }
    }
    const c = text.charCodeAt(i)
    if (set === Set128.B && aNotB(c)) {
      if (i < n - 1 && bBeforeA(i + 1)) {
        cws += 2 // SHIFT + character
        i++
      } else {
        cws++ // CODE A
        set = Set128.A
      }
      continue
    }
    if (set === Set128.A && bNotA(c)) {
      if (i < n - 1 && aBeforeB(i + 1)) {
        cws += 2
        i++
      } else {
        cws++ // CODE B
        set = Set128.B
      }
      continue
    }
    if (set === Set128.C) {
      if (nums < 2) {
        cws++ // CODE A or CODE B
        set = aBeforeB(i) ? Set128.A : Set128.B
        continue
      }
      cws++
      i += 2
      continue
    }
    cws++
    i++
  }
  return cws + 1 // check character
}

/** Modules of a Code 128 symbol (11 per symbol character, 13 for the stop pattern), or -1. */
export function code128Modules(text: string): number {
  const cws = code128Codewords(text)
  return cws < 0 ? -1 : cws * 11 + 13
}

/**
 * Modules of a Code 39 symbol as bwip-js counts it: start and stop `*` plus the data, each 16
 * modules (six narrow elements, three wide ones of three modules, one narrow gap — bwip-js keeps
 * the gap after the stop character too), no check character.
 */
export function code39Modules(text: string): number {
  return (text.length + 2) * 16
}
