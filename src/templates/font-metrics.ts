/**
 * Text measured with the fonts that print it, so that wrapping breaks where the printout needs it
 * and not earlier: the document font's own advance widths (DejaVu Sans, or STUDIO_PRINT_FONT) for
 * PDF and PNG — text beyond Latin, Greek and Cyrillic shaped with the whole font chain —, EPL2's
 * fixed character cells for EPL. ZPL's font 0 lives in the printer, so ZPL keeps the estimate of
 * text-metrics.ts, which is wider than font 0. Text a label's resident font can't show is printed
 * as a graphic drawn with the font chain, so it is measured like the PNG preview.
 */
import { eplFont } from './compilers/epl-compiler.ts'
import { inCp1252, toCp1252Text } from './compilers/cp1252.ts'
import { parsedDocumentFonts } from './compilers/pdf-compiler.ts'
import { fontChain } from './glyphs/font-chain.ts'
import { shapeLine } from './glyphs/shape-text.ts'
import { estimateMeasure, type TextMeasure } from './text-metrics.ts'

/** PDF and PNG draw a text node at this fraction of its size (pdf-compiler, preview-compiler). */
export const DRAWN_EM = 0.92

/** A little room for kerning and rounding in the compilers, so measured text never overflows. */
const SAFETY = 1.02

/** The slice of a fontkit font the measure needs. */
interface MetricFont {
  readonly unitsPerEm: number
  glyphForCodePoint(codePoint: number): { readonly advanceWidth: number }
}

function advances(font: MetricFont): (text: string) => number {
  const cache = new Map<number, number>()
  return (text) => {
    let units = 0
    for (let i = 0; i < text.length; i++) {
      const cp = text.codePointAt(i)!
      if (cp > 0xffff) i++
      let w = cache.get(cp)
      if (w === undefined) {
        w = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm
        cache.set(cp, w)
      }
      units += w
    }
    return units
  }
}

let documentCached: TextMeasure | undefined

/** The document font's own widths, from the fonts the PDF compiler embeds (estimate when it has none). */
export function documentMeasure(): TextMeasure {
  if (documentCached) return documentCached
  documentCached = estimateMeasure
  const fonts = parsedDocumentFonts()
  if (fonts) {
    try {
      const regular = advances(fonts.regular as MetricFont)
      const bold = fonts.bold === fonts.regular ? regular : advances(fonts.bold as MetricFont)
      const chain = fontChain()
      documentCached = (text, size, isBold) => {
        // Latin, Greek and Cyrillic: the document font's advances (fast, and labels measure a lot);
        // Hebrew and beyond: shaped with the chain (fallback fonts, Arabic joining).
        const em = chain && needsShaping(text) ? shapeLine(chain, text, isBold).widthEm : (isBold ? bold : regular)(text)
        return em * size * DRAWN_EM * SAFETY
      }
    } catch {
      // An unreadable font: PDFs fall back to Helvetica anyway; keep the estimate.
    }
  }
  return documentCached
}

/** Whether text holds characters from Hebrew (U+0590) on: other fonts, joining, right to left. */
function needsShaping(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x590) return true
  return false
}

const eplMeasures = new Map<number, TextMeasure>()

/** EPL2's resident fonts: every character takes one cell of the font the compiler picks for the size. */
export function eplMeasure(dpi: number): TextMeasure {
  let m = eplMeasures.get(dpi)
  if (!m) {
    const cell = new Map<number, number>() // size -> cell width: labels measure the same few sizes
    m = (text, size, bold) => {
      if (!inCp1252(text)) {
        // Printed as a graphic drawn like the preview, or transliterated (Щ → "Shch") without fonts.
        if (fontChain()) return documentMeasure()(text, size, bold)
        text = toCp1252Text(text)
      }
      let w = cell.get(size)
      if (w === undefined) {
        w = eplFont(size, dpi).charWidth
        cell.set(size, w)
      }
      let n = 0
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i)
        if (c < 0xd800 || c > 0xdbff) n++
      }
      return n * w
    }
    eplMeasures.set(dpi, m)
  }
  return m
}

/** ZPL: font 0's estimate for what it shows; the preview's measure for text printed as a graphic. */
export const zplMeasure: TextMeasure = (text, size, bold) => (inCp1252(text) || !fontChain() ? estimateMeasure(text, size, bold) : documentMeasure()(text, size, bold))

