/**
 * Template + record -> frozen neutral layout (pure). Labels are laid out in printer dots (or PDF
 * points for sheet stock), documents in PDF points, receipts in character cells.
 */
import type { BarcodeSpec, DocumentSubject } from '../domain/documents.ts'
import type { StudioInfo } from '../domain/preferences.ts'
import { ValidationError } from '../domain/errors.ts'
import { symbolSize } from './barcode-geometry.ts'
import { type FieldValues, allFieldsEmpty, fieldValues, fillPlaceholders, printFormat, tableRows } from './fields.ts'
import { type Layout, type LayoutNode, type LayoutUnit, type TextNode, cleanText, freezeLayout } from './layout.ts'
import { PAPER } from './media.ts'
import type { DocumentBlock, DocumentTemplate, LabelLayoutBody } from './template.ts'
import { cutToWidth, estimateMeasure, textWidth, type TextMeasure, wrapText } from './text-metrics.ts'

const MM_PER_IN = 25.4

export interface LabelFrame {
  unit: Extract<LayoutUnit, 'dot' | 'pt'>
  /** Dots per inch for 'dot'; 72 for 'pt'. */
  dpi: number
  widthIn: number
  heightIn: number
  /** The printing font's widths (font-metrics.ts); the estimate when absent. */
  measure?: TextMeasure
  /** The studio logo (a verified PNG) for `logo` elements; they are left out without one. */
  logo?: Uint8Array | null
}

/** A text node; `text` is cleaned of control characters here, the one place for all languages. */
function textNode(x: number, y: number, width: number, size: number, text: string, bold = false, align: TextNode['align'] = 'left'): TextNode {
  return { type: 'text', x, y, width, size, text: cleanText(text), bold, align }
}

/**
 * Places the record's barcode in a box: the symbol (sized to whole modules on dot layouts) and
 * its human-readable text underneath. Returns [] for `barcode: null`.
 */
export function barcodeNodes(
  barcode: BarcodeSpec | null,
  box: { x: number; y: number; width: number; height: number },
  opts: { integer: boolean; align: 'center' | 'right'; textSize: number; maxModule: number },
): LayoutNode[] {
  if (!barcode) return []
  const symbol = symbolSize(barcode.symbology, barcode.payload)
  const int = opts.integer
  const textSize = roundIf(int, Math.min(opts.textSize, box.height * 0.22))
  const gap = roundIf(int, textSize * 0.3)
  const symbolHeight = box.height - textSize - gap
  const across = symbol.kind === 'matrix' ? Math.min(box.width, symbolHeight) : box.width
  let module = Math.min(opts.maxModule, across / symbol.modules)
  if (opts.integer) module = Math.max(1, Math.floor(module))
  const width = module * symbol.modules
  const height = symbol.kind === 'matrix' ? width : symbolHeight
  const x = roundIf(int, opts.align === 'right' ? box.x + box.width - width : box.x + (box.width - width) / 2)
  const nodes: LayoutNode[] = [
    { type: 'barcode', x, y: box.y, width, height: roundIf(int, height), symbology: barcode.symbology, payload: barcode.payload, moduleWidth: module, modules: symbol.modules },
  ]
  const textWidthNeeded = Math.max(width, textWidth(barcode.payload, textSize) * 1.05)
  const tx = opts.align === 'right' ? box.x + box.width - textWidthNeeded : x + (width - textWidthNeeded) / 2
  nodes.push(textNode(roundIf(int, Math.max(box.x, tx)), roundIf(int, box.y + height + gap), roundIf(int, Math.min(box.width, textWidthNeeded)), textSize, barcode.payload, false, 'center'))
  return nodes
}

/** `v`, rounded to whole units on integer (dot) layouts. */
function roundIf(integer: boolean, v: number): number {
  return integer ? Math.round(v) : v
}

/**
 * Lays out a label template on one label of the given frame. Runs for every label of a batch, so
 * it creates no closures (under tsx each one costs a `__name` call) and parses nothing twice.
 */
export function buildLabelLayout(body: LabelLayoutBody, values: FieldValues, barcode: BarcodeSpec | null, frame: LabelFrame): Layout {
  const upm = frame.dpi / MM_PER_IN // units per mm
  const width = Math.round(frame.widthIn * frame.dpi)
  const height = Math.round(frame.heightIn * frame.dpi)
  const sx = (frame.widthIn * MM_PER_IN) / body.widthMm
  const sy = (frame.heightIn * MM_PER_IN) / body.heightMm
  const fs = Math.min(sx, sy)
  const integer = frame.unit === 'dot'
  const measure = frame.measure ?? estimateMeasure
  const nodes: LayoutNode[] = []
  for (const el of body.elements) {
    switch (el.type) {
      case 'text': {
        if (allFieldsEmpty(el.text, values)) break
        const text = cleanText(fillPlaceholders(el.text, values)).trim()
        if (text === '') break
        const size = roundIf(integer, el.size * fs * upm)
        const x = roundIf(integer, el.x * sx * upm)
        const w = Math.min(roundIf(integer, el.width * sx * upm), width - x)
        const y0 = roundIf(integer, el.y * sy * upm)
        const lineHeight = size * 1.2
        const bold = el.bold ?? false
        const align = el.align ?? 'left'
        const lines = wrapText(text, w, size, el.maxLines ?? 1, bold, measure)
        for (let i = 0; i < lines.length; i++) {
          const y = roundIf(integer, y0 + i * lineHeight)
          if (y + size <= height) nodes.push(textNode(x, y, w, size, lines[i], bold, align))
        }
        break
      }
      case 'barcode': {
        if (!barcode) break
        const x = roundIf(integer, el.x * sx * upm)
        const y = roundIf(integer, el.y * sy * upm)
        const box = { x, y, width: Math.min(roundIf(integer, el.width * sx * upm), width - x), height: Math.min(roundIf(integer, el.height * sy * upm), height - y) }
        const opts = { integer, align: 'center' as const, textSize: roundIf(integer, 3 * fs * upm), maxModule: integer ? Math.max(2, Math.round(0.5 * upm)) : 0.5 * upm }
        for (const node of barcodeNodes(barcode, box, opts)) nodes.push(node)
        break
      }
      case 'logo': {
        if (!frame.logo || frame.logo.length === 0) break
        const x = roundIf(integer, el.x * sx * upm)
        const y = roundIf(integer, el.y * sy * upm)
        nodes.push({ type: 'image', x, y, width: Math.min(roundIf(integer, el.width * sx * upm), width - x), height: Math.min(roundIf(integer, el.height * sy * upm), height - y), png: frame.logo })
        break
      }
      case 'box':
        nodes.push({
          type: 'box',
          x: roundIf(integer, el.x * sx * upm),
          y: roundIf(integer, el.y * sy * upm),
          width: roundIf(integer, el.width * sx * upm),
          height: roundIf(integer, el.height * sy * upm),
          thickness: Math.max(1, roundIf(integer, (el.thickness ?? 0.3) * fs * upm)),
          filled: el.filled ?? false,
        })
        break
      case 'line':
        nodes.push({
          type: 'line',
          x1: roundIf(integer, el.x1 * sx * upm),
          y1: roundIf(integer, el.y1 * sy * upm),
          x2: roundIf(integer, el.x2 * sx * upm),
          y2: roundIf(integer, el.y2 * sy * upm),
          thickness: Math.max(1, roundIf(integer, (el.thickness ?? 0.3) * fs * upm)),
        })
        break
    }
  }
  return freezeLayout({ unit: frame.unit, dpi: frame.dpi, width, height, pages: [{ nodes }] })
}

// ---------------------------------------------------------------------------------------------
// Documents (points)

const MARGIN = 40
const BODY = 9.5
const LINE = 13.5
const FOOTER = 78

export interface DocumentContext {
  studio: StudioInfo
  barcode: BarcodeSpec | null
  /** The document font's widths (font-metrics.ts); the estimate when absent. */
  measure?: TextMeasure
}

function headerNodes(studio: StudioInfo, title: string, pageWidth: number, measure: TextMeasure): { nodes: LayoutNode[]; bottom: number } {
  const nodes: LayoutNode[] = []
  let x = MARGIN
  if (studio.logoPng && studio.logoPng.length > 0) {
    nodes.push({ type: 'image', x: MARGIN, y: MARGIN, width: 54, height: 54, png: studio.logoPng })
    x += 64
  }
  const leftWidth = (pageWidth - MARGIN - x) * 0.55
  let y = MARGIN
  nodes.push(textNode(x, y, leftWidth, 14, cutToWidth(cleanText(studio.name), leftWidth, 14, true, measure), true))
  y += 18
  for (const line of [...studio.addressLines, studio.phone, studio.email ?? ''].map(cleanText).filter((s) => s.trim() !== '')) {
    nodes.push(textNode(x, y, leftWidth, 9, cutToWidth(line, leftWidth, 9, false, measure)))
    y += 11.5
  }
  const titleWidth = (pageWidth - 2 * MARGIN) * 0.42
  for (const [i, line] of wrapText(cleanText(title), titleWidth, 16, 2, true, measure).entries()) {
    nodes.push(textNode(pageWidth - MARGIN - titleWidth, MARGIN + i * 19, titleWidth, 16, line, true, 'right'))
  }
  const bottom = Math.max(y, MARGIN + 54, MARGIN + 40) + 6
  nodes.push({ type: 'line', x1: MARGIN, y1: bottom, x2: pageWidth - MARGIN, y2: bottom, thickness: 1 })
  return { nodes, bottom: bottom + 12 }
}

/** Flows a document template's blocks onto as many pages as it needs. */
export function buildDocumentLayout(template: DocumentTemplate, subject: DocumentSubject, ctx: DocumentContext): Layout {
  const paper = PAPER[ctx.studio.paper]
  const W = paper.width
  const H = paper.height
  const values = fieldValues(subject, ctx.studio, ctx.barcode?.payload ?? null)
  const measure = ctx.measure ?? estimateMeasure
  const fill = (t: string, v: FieldValues = values) => cleanText(fillPlaceholders(t, v)).trim()
  const title = fill(template.body.title)
  const contentWidth = W - 2 * MARGIN
  const bottom = H - MARGIN - FOOTER
  const pages: LayoutNode[][] = []
  let nodes: LayoutNode[] = []
  let y = 0
  const newPage = () => {
    const header = headerNodes(ctx.studio, title, W, measure)
    nodes = [...header.nodes]
    pages.push(nodes)
    y = header.bottom
  }
  const ensure = (h: number) => {
    if (y + h > bottom) newPage()
  }
  const heading = (text: string) => {
    ensure(LINE * 2.2)
    y += 4
    nodes.push(textNode(MARGIN, y, contentWidth, 11, cutToWidth(text, contentWidth, 11, true, measure), true))
    y += 16
  }
  newPage()

  for (const block of template.body.blocks) {
    if (block.when === 'photographerFees' && !ctx.studio.photographerFees) continue
    layoutBlock(block)
    y += 8
  }

  function layoutBlock(block: DocumentBlock): void {
    switch (block.type) {
      case 'fields': {
        const rows = block.rows.map((row) => ({ label: row.label, value: allFieldsEmpty(row.value, values) ? '' : fill(row.value) })).filter((row) => row.value !== '')
        if (rows.length === 0) return
        if (block.title) heading(block.title)
        const columns = block.columns ?? 1
        const colWidth = (contentWidth - (columns - 1) * 16) / columns
        // Labels get the room their longest one needs (up to 45% of the column), and wrap rather than being cut.
        const widest = Math.max(...rows.map((row) => measure(row.label, BODY, true)))
        const labelWidth = Math.min(Math.max(widest, colWidth * 0.2), colWidth * 0.45)
        const valueWidth = colWidth - labelWidth - 6
        for (let i = 0; i < rows.length; i += columns) {
          const cells = rows.slice(i, i + columns).map((row) => ({ label: wrapText(row.label, labelWidth, BODY, 2, true, measure), lines: wrapText(row.value, valueWidth, BODY, 4, false, measure) }))
          const h = Math.max(...cells.map((c) => Math.max(c.lines.length, c.label.length))) * LINE
          ensure(h)
          cells.forEach(({ label, lines }, c) => {
            const cx = MARGIN + c * (colWidth + 16)
            label.forEach((line, k) => nodes.push(textNode(cx, y + k * LINE, labelWidth, BODY, line, true)))
            lines.forEach((line, k) => nodes.push(textNode(cx + labelWidth + 6, y + k * LINE, valueWidth, BODY, line)))
          })
          y += h
        }
        return
      }
      case 'table': {
        const rows = tableRows(subject, block.source, printFormat(ctx.studio))
        if (block.title) heading(block.title)
        const cols = block.columns.map((c, i) => {
          const x = MARGIN + block.columns.slice(0, i).reduce((s, k) => s + k.width, 0) * contentWidth
          return { ...c, x, w: c.width * contentWidth - 6 }
        })
        const headerRow = () => {
          ensure(LINE * 2)
          for (const c of cols) nodes.push(textNode(c.x, y, c.w, BODY, cutToWidth(c.header, c.w, BODY, true, measure), true, c.align ?? 'left'))
          y += LINE - 1
          nodes.push({ type: 'line', x1: MARGIN, y1: y, x2: MARGIN + contentWidth, y2: y, thickness: 0.5 })
          y += 3
        }
        headerRow()
        if (rows.length === 0 && block.empty) {
          nodes.push(textNode(MARGIN, y, contentWidth, BODY, block.empty))
          y += LINE
        }
        for (const row of rows) {
          if (y + LINE > bottom) {
            newPage()
            headerRow()
          }
          for (const c of cols) nodes.push(textNode(c.x, y, c.w, BODY, cutToWidth(fill(c.value, row), c.w, BODY, false, measure), false, c.align ?? 'left'))
          y += LINE
        }
        return
      }
      case 'text': {
        const text = allFieldsEmpty(block.value, values) ? '' : fill(block.value)
        if (text === '') return
        heading(block.title)
        for (const line of wrapText(text, contentWidth, BODY, 400, false, measure)) {
          ensure(LINE)
          nodes.push(textNode(MARGIN, y, contentWidth, BODY, line))
          y += LINE
        }
        return
      }
      case 'totals': {
        const labelX = MARGIN + contentWidth * 0.55
        const labelW = contentWidth * 0.25
        const valueX = labelX + labelW
        const valueW = contentWidth * 0.2
        // A row whose amount is empty (no discount) is left out.
        const rows = block.rows.filter((row) => !allFieldsEmpty(row.value, values))
        ensure(LINE * rows.length)
        for (const row of rows) {
          const bold = row.bold ?? false
          nodes.push(textNode(labelX, y, labelW, BODY, cutToWidth(fill(row.label), labelW, BODY, bold, measure), bold))
          nodes.push(textNode(valueX, y, valueW, BODY, cutToWidth(fill(row.value), valueW, BODY, bold, measure), bold, 'right'))
          y += LINE
        }
        return
      }
    }
  }

  // Footer of every page: page number, and the barcode in the lower right-hand corner.
  const total = pages.length
  pages.forEach((page, i) => {
    page.push(textNode(MARGIN, H - MARGIN - 10, 200, 8, `Page ${i + 1} of ${total}`))
    page.push(...barcodeNodes(ctx.barcode, { x: W - MARGIN - 220, y: H - MARGIN - FOOTER + 8, width: 220, height: FOOTER - 8 }, { integer: false, align: 'right', textSize: 9, maxModule: 1.6 }))
  })
  return freezeLayout({ unit: 'pt', dpi: 72, width: W, height: H, pages: pages.map((n) => ({ nodes: n })) })
}

// ---------------------------------------------------------------------------------------------
// Receipts (character cells)

export const RECEIPT_COLUMNS = { 80: 48, 58: 32 } as const

/** Receipt text in character cells: one cell per character. */
const cellMeasure: TextMeasure = (text) => [...text].length

/** The invoice as a receipt: text lines in character cells plus the barcode. */
export function buildReceiptLayout(subject: Extract<DocumentSubject, { document: 'invoice' }>, ctx: DocumentContext & { widthMm: 80 | 58 }): Layout {
  const cols = RECEIPT_COLUMNS[ctx.widthMm]
  if (!cols) throw new ValidationError('receiptWidthMm must be 80 or 58', { receiptWidthMm: ctx.widthMm })
  const values = fieldValues(subject, ctx.studio, ctx.barcode?.payload ?? null)
  const nodes: LayoutNode[] = []
  let y = 0
  const cut = (s: string, n: number) => ([...s].length > n ? [...s].slice(0, Math.max(0, n - 1)).join('') + '…' : s)
  const line = (text: string, opts: { align?: TextNode['align']; bold?: boolean; size?: number } = {}) => {
    const size = opts.size ?? 1
    nodes.push(textNode(0, y, cols, size, cut(cleanText(text), Math.floor(cols / size)), opts.bold ?? false, opts.align ?? 'left'))
    y += size
  }
  // Wraps at spaces and hyphens like every other printout, one character a cell.
  const wrap = (text: string) => {
    for (const l of wrapText(cleanText(text), cols, 1, 400, false, cellMeasure)) line(l)
  }
  const pair = (left: string, right: string, bold = false) => {
    const r = cleanText(right)
    const l = cut(cleanText(left), Math.max(1, cols - [...r].length - 1))
    line(l + ' '.repeat(Math.max(1, cols - [...l].length - [...r].length)) + r, { bold })
  }
  const rule = () => line('-'.repeat(cols))
  line(ctx.studio.name, { align: 'center', bold: true, size: 2 })
  for (const a of ctx.studio.addressLines) line(a, { align: 'center' })
  line(ctx.studio.phone, { align: 'center' })
  rule()
  pair(`Invoice ${values['invoice.number']}`, values['invoice.date'], true)
  pair(values['invoice.type'], values['session.number'] ? `Session ${values['session.number']}` : '')
  line(`Bill to: ${values['billTo.name']}`)
  rule()
  for (const row of tableRows(subject, 'invoice.lines', printFormat(ctx.studio))) {
    wrap(row['line.image'] ? `${row['line.item']} (${row['line.image']})` : row['line.item'])
    pair(`  ${row['line.quantity']} x ${row['line.unitPrice']}`, row['line.total'])
  }
  rule()
  pair('Subtotal', values['invoice.subtotal'])
  if (subject.invoice.discount) pair(values['invoice.discountLabel'], values['invoice.discount'])
  if (subject.invoice.tax) pair('Tax', values['invoice.tax'])
  if (subject.invoice.shipping) pair('Shipping', values['invoice.shipping'])
  pair('Total', values['invoice.total'], true)
  for (const p of tableRows(subject, 'invoice.payments', printFormat(ctx.studio))) pair(`${p['payment.date']} ${p['payment.method']}`, p['payment.amount'])
  pair('Balance due', values['invoice.balanceDue'], true)
  if (values['invoice.terms']) {
    rule()
    wrap(values['invoice.terms'])
  }
  if (ctx.barcode) {
    y += 1
    const symbol = symbolSize(ctx.barcode.symbology, ctx.barcode.payload)
    nodes.push({ type: 'barcode', x: 0, y, width: cols, height: 4, symbology: ctx.barcode.symbology, payload: ctx.barcode.payload, moduleWidth: 1, modules: symbol.modules })
    y += 4
    line(ctx.barcode.payload, { align: 'center' })
  }
  return freezeLayout({ unit: 'char', dpi: 0, width: cols, height: y, pages: [{ nodes }] })
}
