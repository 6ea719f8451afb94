/**
 * One line of text -> glyph runs in visual order, left to right: the Unicode bidirectional
 * algorithm (bidi-js) orders right-to-left runs, each run is split where the font chain
 * (font-chain.ts) changes font, and fontkit shapes each piece (Arabic joining, ligatures,
 * kerning; an RTL piece comes back already reversed into visual order).
 */
import bidiModule, { type Bidi } from 'bidi-js'
import type { ChainFont, FontChain, GlyphRun } from './font-chain.ts'

export interface ShapedRun extends GlyphRun {
  readonly font: ChainFont
  /** The run's text in logical order (what pdfkit is given). */
  readonly text: string
  readonly rtl: boolean
  /** Advance of the whole run, in em. */
  readonly widthEm: number
}

export interface ShapedLine {
  readonly runs: readonly ShapedRun[]
  readonly widthEm: number
}

// bidi-js is CommonJS whose module.exports is the factory; its types declare an ES default export.
const bidiFactory = ((bidiModule as unknown as { default?: () => Bidi }).default ?? bidiModule) as unknown as () => Bidi
const bidi = bidiFactory()

/** The first font of the chain with a glyph for `cp` (the first font when none has it). */
function fontIndexFor(fonts: readonly ChainFont[], cp: number, previous: number): number {
  // Spaces, marks and punctuation stay in the font of the text around them.
  if (previous >= 0 && (cp === 0x20 || (cp >= 0x300 && cp <= 0x36f)) && fonts[previous].font.hasGlyphForCodePoint(cp)) return previous
  for (let i = 0; i < fonts.length; i++) if (fonts[i].font.hasGlyphForCodePoint(cp)) return i
  return 0
}

/** Level runs of the bidi algorithm, as [start, end) pairs in visual order with their direction. */
function visualLevelRuns(text: string): Array<{ start: number; end: number; rtl: boolean }> {
  const { levels } = bidi.getEmbeddingLevels(text, 'auto')
  const runs: Array<{ start: number; end: number; level: number }> = []
  for (let i = 0; i < text.length; i++) {
    const last = runs[runs.length - 1]
    if (last && last.level === levels[i]) last.end = i + 1
    else runs.push({ start: i, end: i + 1, level: levels[i] })
  }
  // Rule L2: from the highest level down to the lowest odd one, reverse every sequence of runs at that level or above.
  const max = Math.max(0, ...runs.map((r) => r.level))
  const minOdd = Math.min(...runs.map((r) => r.level).filter((l) => l % 2 === 1), max + 1)
  for (let level = max; level >= minOdd; level--) {
    for (let i = 0; i < runs.length; i++) {
      if (runs[i].level < level) continue
      let j = i
      while (j + 1 < runs.length && runs[j + 1].level >= level) j++
      runs.splice(i, j - i + 1, ...runs.slice(i, j + 1).reverse())
      i = j
    }
  }
  return runs.map((r) => ({ start: r.start, end: r.end, rtl: r.level % 2 === 1 }))
}

/** Splits a logical piece of text where the chain's font changes. */
function fontPieces(text: string, fonts: readonly ChainFont[]): Array<{ text: string; font: number }> {
  const out: Array<{ text: string; font: number }> = []
  let previous = -1
  for (const ch of text) {
    const f = fontIndexFor(fonts, ch.codePointAt(0)!, previous)
    const last = out[out.length - 1]
    if (last && last.font === f) last.text += ch
    else out.push({ text: ch, font: f })
    previous = f
  }
  return out
}

const cache = new Map<string, ShapedLine>()

/** Shapes one line (no line breaks) with the chain's regular or bold fonts. */
export function shapeLine(chain: FontChain, text: string, bold: boolean): ShapedLine {
  const key = (bold ? 'b' : 'r') + text
  const known = cache.get(key)
  if (known) return known
  const fonts = bold ? chain.bold : chain.regular
  const runs: ShapedRun[] = []
  for (const level of visualLevelRuns(text)) {
    const pieces = fontPieces(text.slice(level.start, level.end), fonts)
    if (level.rtl) pieces.reverse()
    for (const piece of pieces) {
      const font = fonts[piece.font]
      const run = font.font.layout(piece.text, undefined, undefined, undefined, level.rtl ? 'rtl' : 'ltr')
      let units = 0
      for (const p of run.positions) units += p.xAdvance
      runs.push({ font, text: piece.text, rtl: level.rtl, glyphs: run.glyphs, positions: run.positions, widthEm: units / font.font.unitsPerEm })
    }
  }
  const line: ShapedLine = { runs, widthEm: runs.reduce((n, r) => n + r.widthEm, 0) }
  if (cache.size >= 256) cache.clear()
  cache.set(key, line)
  return line
}
