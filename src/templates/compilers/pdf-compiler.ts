/**
 * Layout -> PDF through pdfkit. Text with an embedded Unicode TTF (fonts.ts); barcodes as vector
 * rectangles from bwip-js's encoding (barcode-geometry.ts), so they stay sharp at any zoom.
 */
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

/** Font state of one PDF document: DejaVu (or the configured TTF), else Helvetica. */
function setupFonts(doc: Doc): { regular: string; bold: string; text: (s: string) => string } {
  const font = unicodeFont()
  if (font) {
    doc.registerFont(REGULAR, font.regular)
    doc.registerFont(BOLD, font.bold)
    return { regular: REGULAR, bold: BOLD, text: (s) => s }
  }
  return { regular: 'Helvetica', bold: 'Helvetica-Bold', text: toCp1252Text }
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
