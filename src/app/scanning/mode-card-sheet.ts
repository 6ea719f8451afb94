import type { ScanCardEntry } from '../../domain/scan-cards.ts'
import { freezeLayout, type Layout, type LayoutNode } from '../../templates/layout.ts'
import { symbolSize } from '../../templates/barcode-geometry.ts'
import { wrapText } from '../../templates/text-metrics.ts'
import { PdfCompiler } from '../../templates/compilers/pdf-compiler.ts'

const PAGE = { width: 612, height: 792 } // US Letter, points
const MARGIN = 36
const COLUMNS = 2
const CELL_H = 118
const CAPTION = { size: 10, lineHeight: 12, lines: 2 }
const PAD = 8
/** The barcode sits below the room of a two-line caption, whatever the caption's length. */
const BARCODE_TOP = PAD + CAPTION.lines * CAPTION.lineHeight + 6
const BARCODE_H = 42

/**
 * A Letter sheet of mode cards for a station (Code 128, human-readable payload under each). The
 * caption is wrapped (measured with the document font) into at most two lines above the barcode,
 * so it never runs into it.
 */
export function modeCardLayout(station: string, cards: readonly ScanCardEntry[]): Layout {
  const cellW = (PAGE.width - 2 * MARGIN) / COLUMNS
  const rows = Math.floor((PAGE.height - 2 * MARGIN - 24) / CELL_H)
  const perPage = rows * COLUMNS
  const pages: Array<{ nodes: LayoutNode[] }> = []
  const textW = cellW - 24
  cards.forEach((card, i) => {
    if (i % perPage === 0) {
      pages.push({ nodes: [{ type: 'text', x: MARGIN, y: MARGIN - 8, width: PAGE.width - 2 * MARGIN, size: 12, text: `Station ${station}: mode cards`, bold: true, align: 'left' }] })
    }
    const page = pages[pages.length - 1]
    const slot = i % perPage
    const x = MARGIN + (slot % COLUMNS) * cellW
    const y = MARGIN + 16 + Math.floor(slot / COLUMNS) * CELL_H
    const { modules } = symbolSize('code128', card.payload)
    // At least 0.75 pt (about 10 mil) per module; a quiet zone of 10 modules each side.
    const moduleWidth = Math.max(0.75, Math.min(1.5, (cellW - 24) / (modules + 20)))
    const width = modules * moduleWidth
    page.nodes.push({ type: 'box', x: x + 4, y, width: cellW - 8, height: CELL_H - 8, thickness: 0.5, filled: false })
    wrapText(card.label, textW, CAPTION.size, CAPTION.lines, true).forEach((line, n) => {
      page.nodes.push({ type: 'text', x: x + 12, y: y + PAD + n * CAPTION.lineHeight, width: textW, size: CAPTION.size, text: line, bold: true, align: 'left' })
    })
    page.nodes.push(
      { type: 'barcode', x: x + (cellW - width) / 2, y: y + BARCODE_TOP, width, height: BARCODE_H, symbology: 'code128', payload: card.payload, moduleWidth, modules },
      { type: 'text', x: x + 12, y: y + BARCODE_TOP + BARCODE_H + 6, width: textW, size: 10, text: card.payload, bold: false, align: 'center' },
    )
  })
  return freezeLayout({ unit: 'pt', dpi: 72, width: PAGE.width, height: PAGE.height, pages })
}

export function modeCardPdf(station: string, cards: readonly ScanCardEntry[]): Promise<Uint8Array> {
  return new PdfCompiler().compile(modeCardLayout(station, cards), { title: `Mode cards — ${station}` })
}
