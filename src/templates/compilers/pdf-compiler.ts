/**
 * Layout -> PDF through pdfkit. Text with an embedded Unicode TTF (fonts.ts); barcodes as vector
 * rectangles from bwip-js's encoding (barcode-geometry.ts), so they stay sharp at any zoom.
 */
import { createRequire } from 'node:module'
import PDFDocument from 'pdfkit'
import { encodeSymbol, symbolRects } from '../barcode-geometry.ts'
import type { Layout, LayoutNode } from '../layout.ts'
import { unicodeFont } from '../fonts.ts'
import { toCp1252Text } from './cp1252.ts'

type Doc = PDFKit.PDFDocument

const REGULAR = 'Body'
const BOLD = 'Body-Bold'

export interface PdfWriter {
  readonly doc: Doc
  /** Resolves with the whole file once `doc.end()` has been called and flushed. */
  readonly done: Promise<Uint8Array>
}

/** What pdfkit accepts as a parsed font (a fontkit font: anything with `layout`). */
interface ParsedFont {
  layout(text: string, features?: unknown): unknown
  readonly characterSet?: number[]
  glyphForCodePoint?(codePoint: number): unknown
}

/**
 * fontkit caches a glyph object with the code points of whoever asked for it first, and pdfkit
 * writes the PDF's ToUnicode map from them. Subsetting asks for accent components (the `u` of
 * `ü`) without code points, so on a font shared across documents later documents would lose
 * `u`, `E`… in copied and extracted text. Creating every mapped glyph from its code point first
 * (about 15 ms, once) keeps the map complete; a glyph shared by several code points keeps the lowest.
 * Presentation forms are left out: they are what ligatures and Arabic shaping produce, and must
 * keep the code points of the text they replace (`ﬁ` extracts as "fi").
 */
function withCodePoints(font: ParsedFont): ParsedFont {
  if (!font.characterSet || !font.glyphForCodePoint) return font
  for (const cp of font.characterSet) {
    if ((cp >= 0xfb00 && cp <= 0xfdff) || (cp >= 0xfe70 && cp <= 0xfeff)) continue
    font.glyphForCodePoint(cp)
  }
  return font
}

/**
 * fontkit, exactly as pdfkit loads it (resolved from pdfkit's own location, so it is the version
 * pdfkit depends on). Null when it cannot be loaded: fonts are then passed as bytes.
 */
function loadFontkit(): { create(buffer: Uint8Array): ParsedFont } | null {
  try {
    const fromPdfkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'))
    const fontkit = fromPdfkit('fontkit') as { create?: (buffer: Uint8Array) => ParsedFont }
    return typeof fontkit.create === 'function' ? (fontkit as { create(buffer: Uint8Array): ParsedFont }) : null
  } catch {
    return null
  }
}

let parsedFonts: { regular: ParsedFont | Buffer; bold: ParsedFont | Buffer; source: Buffer } | null = null

/**
 * The document fonts, parsed once per process. pdfkit re-parses a font given as bytes for every
 * document (and then decodes its layout and subsetting tables again: most of an invoice's time);
 * given a parsed fontkit font it reuses it, tables already decoded (pdfkit's `PDFFontFactory`
 * accepts any object with a `layout` method). Each document still makes its own subset.
 */
function documentFonts(files: { regular: Buffer; bold: Buffer }): { regular: ParsedFont | Buffer; bold: ParsedFont | Buffer } {
  if (parsedFonts && parsedFonts.source === files.regular) return parsedFonts
  const fontkit = loadFontkit()
  const regular = fontkit ? withCodePoints(fontkit.create(files.regular)) : files.regular
  const bold = files.bold === files.regular ? regular : fontkit ? withCodePoints(fontkit.create(files.bold)) : files.bold
  parsedFonts = { regular, bold, source: files.regular }
  return parsedFonts
}

/**
 * The document fonts as parsed fontkit fonts, shared with text measuring (font-metrics.ts) so
 * the font is parsed once; null when PDFs fall back to Helvetica or fontkit can't be loaded.
 */
export function parsedDocumentFonts(): { regular: object; bold: object } | null {
  const files = unicodeFont()
  if (!files) return null
  const { regular, bold } = documentFonts(files)
  return Buffer.isBuffer(regular) || Buffer.isBuffer(bold) ? null : { regular, bold }
}

/** Font state of one PDF document: DejaVu (or the configured TTF), else Helvetica. */
function setupFonts(doc: Doc): { regular: string; bold: string; text: (s: string) => string } {
  const files = unicodeFont()
  if (files) {
    // Registering is free: pdfkit opens (and embeds) a font only when text uses it.
    const fonts = documentFonts(files)
    doc.registerFont(REGULAR, fonts.regular as PDFKit.Mixins.PDFFontSource)
    doc.registerFont(BOLD, fonts.bold as PDFKit.Mixins.PDFFontSource)
    return { regular: REGULAR, bold: BOLD, text: keepText }
  }
  return { regular: 'Helvetica', bold: 'Helvetica-Bold', text: toCp1252Text }
}

function keepText(s: string): string {
  return s
}

export class PdfCompiler {
  /** A new pdfkit document with fonts set up; pages are added by the caller. */
  open(size: [number, number], info: { title?: string } = {}): { doc: Doc; fonts: ReturnType<typeof setupFonts> } {
    const doc = new PDFDocument({ size, margin: 0, autoFirstPage: false, compress: true, info: { Title: info.title ?? 'Studio Print', Producer: 'Studio Print' } })
    const fonts = setupFonts(doc)
    return { doc, fonts }
  }

  /** The whole layout as one PDF. */
  async compile(layout: Layout, info: { title?: string } = {}): Promise<Uint8Array> {
    if (layout.unit !== 'pt') throw new Error(`PDF needs a layout in points, not ${layout.unit}`)
    const { doc, fonts } = this.open([layout.width, layout.height], info)
    const done = collect(doc)
    for (const page of layout.pages) {
      doc.addPage({ size: [layout.width, layout.height], margin: 0 })
      for (const node of page.nodes) this.draw(doc, fonts, node, 0, 0)
    }
    doc.end()
    return done
  }

  /** Draws one node, offset by (dx, dy) points. */
  draw(doc: Doc, fonts: ReturnType<typeof setupFonts>, node: LayoutNode, dx: number, dy: number): void {
    switch (node.type) {
      case 'text': {
        doc.font(node.bold ? fonts.bold : fonts.regular).fontSize(node.size * 0.92)
        doc.fillColor('black').text(fonts.text(node.text), node.x + dx, node.y + dy, { width: node.width, align: node.align, lineBreak: false, lineGap: 0 })
        return
      }
      case 'barcode': {
        const symbol = encodeSymbol(node.symbology, node.payload)
        const m = node.moduleWidth
        const rowHeight = symbol.kind === 'linear' ? node.height : m
        for (const [x, y, w, h] of symbolRects(symbol)) doc.rect(node.x + dx + x * m, node.y + dy + y * rowHeight, w * m, h * rowHeight)
        doc.fillColor('black').fill()
        return
      }
      case 'box':
        if (node.filled) doc.rect(node.x + dx, node.y + dy, node.width, node.height).fill('black')
        else doc.lineWidth(node.thickness).rect(node.x + dx, node.y + dy, node.width, node.height).stroke('black')
        return
      case 'line':
        doc.lineWidth(node.thickness).moveTo(node.x1 + dx, node.y1 + dy).lineTo(node.x2 + dx, node.y2 + dy).stroke('black')
        return
      case 'image':
        try {
          doc.image(Buffer.from(node.png), node.x + dx, node.y + dy, { fit: [node.width, node.height] })
        } catch {
          // An unreadable logo must not stop the document: leave its place empty.
        }
        return
    }
  }
}

/** Collects a pdfkit document's output. */
export function collect(doc: Doc): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  return new Promise((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))))
    doc.on('error', reject)
  })
}
