/**
 * Conservative text width estimates (in em) for wrapping and cutting text to its field before any
 * compiler sees it. Tuned to DejaVu Sans (PDF and PNG); Zebra's font 0 is narrower, so ZPL text
 * stays inside the same box. EPL's fixed-width fonts are cut exactly by the EPL compiler.
 */
const NARROW = new Set([...'ijlI.,:;!|\'`()[]{} f t r'.replace(/ /g, '')])
const WIDE = new Set([...'MWmw@%&'])

export function charEm(ch: string, bold = false): number {
  const cp = ch.codePointAt(0) ?? 0
  if (cp < 128 && ch.length === 1) return bold ? ASCII_EM_BOLD[cp] : ASCII_EM[cp]
  return computeEm(ch, cp, bold)
}

function computeEm(ch: string, cp: number, bold: boolean): number {
  let em: number
  if (ch === ' ') em = 0.33
  else if (NARROW.has(ch)) em = 0.4
  else if (WIDE.has(ch)) em = 0.95
  else if (cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xff60) || cp >= 0x1f300)) em = 1.05
  else if (ch >= 'A' && ch <= 'Z') em = 0.78
  else if (cp >= 0x0400 && cp <= 0x04ff && ch === ch.toUpperCase()) em = 0.82
  else em = 0.64
  return bold ? em * 1.08 : em
}

/** ASCII widths looked up instead of computed: text is measured for every label. */
const ASCII_EM = Float64Array.from({ length: 128 }, (_, cp) => computeEm(String.fromCharCode(cp), cp, false))
const ASCII_EM_BOLD = Float64Array.from({ length: 128 }, (_, cp) => computeEm(String.fromCharCode(cp), cp, true))

export function textWidth(text: string, size: number, bold = false): number {
  const table = bold ? ASCII_EM_BOLD : ASCII_EM
  let em = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 128) em += table[c]
    else {
      // One code point (a surrogate pair counts once), as `for (const ch of text)` would.
      const cp = text.codePointAt(i)!
      const ch = String.fromCodePoint(cp)
      if (ch.length === 2) i++
      em += computeEm(ch, cp, bold)
    }
  }
  return em * size
}

/**
 * The width of `text` at font height `size` (in the layout's unit), as the font that will print
 * it measures it: DejaVu's own advance widths for PDF and PNG (font-metrics.ts), EPL's fixed
 * cells, or the estimate above (ZPL's font 0, which is narrower than it).
 */
export type TextMeasure = (text: string, size: number, bold: boolean) => number

/** The conservative estimate, for printers whose font we can't measure (ZPL font 0). */
export const estimateMeasure: TextMeasure = textWidth

const ELLIPSIS = '…'

/** Cuts `text` so that it fits `width`, ending with an ellipsis when cut. */
export function cutToWidth(text: string, width: number, size: number, bold = false, measure: TextMeasure = estimateMeasure): string {
  if (measure(text, size, bold) <= width) return text
  return cutWithEllipsis(text, width, size, bold, measure)
}

/** Characters after which a line may break inside a word: the hyphen-minus, the hyphen and the en dash. */
const HYPHENS = new Set(['-', '\u2010', '\u2013'])

/** A piece of text that may start a line: a word, or the part of one up to and including a hyphen. */
interface Piece {
  text: string
  /** Whether a space separates it from the piece before. */
  space: boolean
}

/** Splits text where a line may break: at spaces, and after a hyphen inside a word ("Müller-" "Lüdenscheidt"). */
function breakPieces(text: string): Piece[] {
  const chars = [...text]
  const out: Piece[] = []
  let cur = ''
  let curSpace = false
  let pending = false
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]
    if (ch === ' ') {
      if (cur !== '') out.push({ text: cur, space: curSpace })
      cur = ''
      pending = true
      continue
    }
    if (cur === '') {
      curSpace = pending
      pending = false
    }
    cur += ch
    const next = chars[i + 1]
    if (HYPHENS.has(ch) && i > 0 && !HYPHENS.has(chars[i - 1]) && chars[i - 1] !== ' ' && next !== undefined && next !== ' ' && !HYPHENS.has(next)) {
      out.push({ text: cur, space: curSpace })
      cur = ''
    }
  }
  if (cur !== '') out.push({ text: cur, space: curSpace })
  return out
}

/**
 * Wraps at spaces and after hyphens into at most `maxLines` lines; a word breaks inside only when
 * it alone is wider than the line. The last line is cut with an ellipsis when text is left over.
 */
export function wrapText(text: string, width: number, size: number, maxLines: number, bold = false, measure: TextMeasure = estimateMeasure): string[] {
  if (maxLines < 1) return []
  if (measure(text, size, bold) <= width) return [text]
  const pieces = breakPieces(text)
  const lines: string[] = []
  let line = ''
  let i = 0
  while (i < pieces.length && lines.length < maxLines) {
    const piece = pieces[i]
    const candidate = line === '' ? piece.text : line + (piece.space ? ' ' : '') + piece.text
    if (measure(candidate, size, bold) <= width) {
      line = candidate
      i++
    } else if (line !== '') {
      lines.push(line)
      line = ''
    } else {
      // One piece wider than the whole line: break it where the line ends.
      const chars = [...piece.text]
      let n = 0
      while (n < chars.length && measure(chars.slice(0, n + 1).join(''), size, bold) <= width) n++
      n = Math.max(1, n)
      lines.push(chars.slice(0, n).join(''))
      pieces[i] = { text: chars.slice(n).join(''), space: false }
      if (pieces[i].text === '') i++
    }
  }
  if (line !== '' && lines.length < maxLines) {
    lines.push(line)
    line = ''
  }
  if (i < pieces.length || line !== '') {
    // Text is left over: the last line takes what fits of the rest, with an ellipsis.
    let rest = lines[lines.length - 1]
    if (line !== '') rest += ' ' + line
    for (let k = i; k < pieces.length; k++) rest += (pieces[k].space ? ' ' : '') + pieces[k].text
    lines[lines.length - 1] = cutWithEllipsis(rest, width, size, bold, measure)
  }
  return lines
}

/** Always ends with an ellipsis, cutting as much as needed. */
function cutWithEllipsis(text: string, width: number, size: number, bold: boolean, measure: TextMeasure): string {
  const limit = width - measure(ELLIPSIS, size, bold)
  let used = 0
  let out = ''
  for (const ch of text) {
    const w = measure(ch, size, bold)
    if (used + w > limit) break
    used += w
    out += ch
  }
  return out.trimEnd() + ELLIPSIS
}
