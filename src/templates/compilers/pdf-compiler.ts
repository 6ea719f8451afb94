/**
 * Layout -> PDF through pdfkit. Text in the fonts of the font chain (glyphs/font-chain.ts),
 * embedded as subsets, ordered and shaped as the PNG preview draws it (glyphs/shape-text.ts);
 * barcodes as vector rectangles from bwip-js's encoding (barcode-geometry.ts), so they stay
 * sharp at any zoom.
 */
import PDFDocument from 'pdfkit'
import { encodeSymbol, symbolRects } from '../barcode-geometry.ts'
import type { Layout, LayoutNode } from '../layout.ts'
import { fontChain, prepareForPdf, type FontChain } from '../glyphs/font-chain.ts'
import { shapeLine } from '../glyphs/shape-text.ts'
import { toCp1252Text } from './cp1252.ts'

type Doc = PDFKit.PDFDocument

export interface PdfWriter {
  readonly doc: Doc
  /** Resolves with the whole file once `doc.end()` has been called and flushed. */
  readonly done: Promise<Uint8Array>
}

/**
 * The document fonts as parsed fontkit fonts (the chain's first regular and bold), shared with
 * text measuring (font-metrics.ts) so the font is parsed once; null when PDFs fall back to
 * Helvetica or fontkit can't be loaded. The chain (glyphs/font-chain.ts) prepares them for
 * pdfkit: pdfkit reuses a parsed font, tables already decoded, and each document makes its own subset.
 */
export function parsedDocumentFonts(): { regular: object; bold: object } | null {
  const chain = fontChain()
  if (!chain) return null
  return { regular: chain.regular[0].font, bold: chain.bold[0].font }
}

interface PdfFonts {
  /** The font chain, or null: Helvetica, with text transliterated to Windows-1252. */
  readonly chain: FontChain | null
}

/** Font state of one PDF document: the font chain (DejaVu and its fallbacks), else Helvetica. */
function setupFonts(doc: Doc): PdfFonts {
  const chain = fontChain()
  if (chain) {
    prepareForPdf(chain)
    // Registering is free: pdfkit opens (and embeds) a font only when text uses it.
    for (const f of [...chain.regular, ...chain.bold.slice(0, 1)]) doc.registerFont(f.name, f.font as unknown as PDFKit.Mixins.PDFFontSource)
  }
  return { chain }
}

/**
 * One line of text at (x, y) (the top of the line) in a box `width` wide: shaped and ordered
 * (bidi) by shape-text.ts, each run drawn in its chain font at the x the shaping gives it. pdfkit
 * gets an RTL run in logical order and reverses it itself (fontkit), and `features: []` makes it
 * lay the run out whole (by default it lays out word by word, which puts RTL words in the wrong order).
 */
function drawLine(doc: Doc, chain: FontChain, text: string, bold: boolean, fontSize: number, x: number, y: number, width: number, align: 'left' | 'center' | 'right'): void {
  const first = (bold ? chain.bold : chain.regular)[0]
  if (leftToRightInFirstFont(text, first.font)) {
    // Latin, Greek, Cyrillic… all in the document font: one pdfkit call, as fast as ever.
    doc.font(first.name).fontSize(fontSize).fillColor('black').text(text, x, y, { width, align, lineBreak: false, lineGap: 0 })
    return
  }
  const line = shapeLine(chain, text, bold)
  const primary = first.font
  const baseline = y + (primary.ascent / primary.unitsPerEm) * fontSize
  const total = line.widthEm * fontSize
  let pen = align === 'center' ? x + (width - total) / 2 : align === 'right' ? x + width - total : x
  pen = Math.max(x, pen)
  doc.fillColor('black')
  for (const run of line.runs) {
    doc.font(run.font.name).fontSize(fontSize)
    doc.text(run.text, pen, baseline, { lineBreak: false, baseline: 'alphabetic', features: [] } as PDFKit.Mixins.TextOptions)
    pen += run.widthEm * fontSize
  }
}

/** Text below U+0590 (no right-to-left or joining scripts) whose every character the document font has. */
function leftToRightInFirstFont(text: string, font: FontChain['regular'][number]['font']): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0x590) return false
    if (c >= 0x80 && !font.hasGlyphForCodePoint(c)) return false
  }
  return true
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
        if (fonts.chain) return drawLine(doc, fonts.chain, node.text, node.bold, node.size * 0.92, node.x + dx, node.y + dy, node.width, node.align)
        doc.font(node.bold ? 'Helvetica-Bold' : 'Helvetica').fontSize(node.size * 0.92)
        doc.fillColor('black').text(toCp1252Text(node.text), node.x + dx, node.y + dy, { width: node.width, align: node.align, lineBreak: false, lineGap: 0 })
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
