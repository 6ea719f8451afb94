/**
 * ESC/POS receipt -> PNG, for the simulated receipt printer (`renderTo`) and tests. The bytes are
 * tokenized (escpos-tokens.ts), played through a small printer state, laid out as the neutral
 * `Layout` in dots and drawn by the templates' PreviewCompiler (glyphs, bars, PNG encoder).
 *
 * What is understood: text in font A (12 × 24 dots; 48 columns on 80 mm paper, 32 on 58 mm) or
 * font B (9 × 17), bold (ESC E, ESC !), double width/height (GS !, ESC !), alignment (ESC a), line
 * feeds (LF, ESC d, ESC J, ESC 2/3), Windows-1252 text, `GS k` Code 128 (`{A {B {C` code sets)
 * and Code 39 with GS h / GS w / GS H, `GS ( k` QR codes (model 2, module size, store, print),
 * and the cut `GS V`, which ends the receipt. Each character is centred in its cell, so columns
 * line up as on paper, though the glyphs are the preview's font. Raster images (GS v 0) are
 * outlined; underline, reverse and other commands are skipped and listed in `warnings`.
 */
import type { Symbology } from '../../src/domain/preferences.ts'
import { encodeSymbol } from '../../src/templates/barcode-geometry.ts'
import { PreviewCompiler } from '../../src/templates/compilers/preview-compiler.ts'
import type { LayoutNode } from '../../src/templates/layout.ts'
import { decodeCp1252 } from '../../src/templates/epl/parse-epl.ts'
import { cellText } from '../../src/templates/epl/render-epl.ts'
import { readEscPos } from './escpos-tokens.ts'

export interface EscPosRenderOptions {
  /** Paper width: 80 mm (576 dots, 48 columns of font A) or 58 mm (384 dots, 32 columns). Default 80. */
  paperWidthMm?: 80 | 58
}

export interface RenderedReceipt {
  png: Uint8Array
  width: number
  height: number
  /** The text lines as printed (wrapped), for tests and logs. */
  lines: string[]
  /** Barcodes and QR codes drawn, with their payloads. */
  barcodes: Array<{ symbology: Symbology; payload: string }>
  warnings: string[]
}

const PAPER_DOTS = { 80: 576, 58: 384 } as const
const FONTS = { A: [12, 24], B: [9, 17] } as const
/** White paper beyond the printable width, and above the first line. */
const MARGIN = 16
const DEFAULT_LINE_SPACING = 30

interface Style {
  bold: boolean
  wm: number
  hm: number
  font: keyof typeof FONTS
}

interface Cell extends Style {
  ch: string
}

const preview = new PreviewCompiler()

export function renderEscPos(bytes: Uint8Array, opts: EscPosRenderOptions = {}): RenderedReceipt {
  const paper = PAPER_DOTS[opts.paperWidthMm ?? 80]
  const nodes: LayoutNode[] = []
  const lines: string[] = []
  const barcodes: RenderedReceipt['barcodes'] = []
  const warnings = new Set<string>()
  let style: Style = { bold: false, wm: 1, hm: 1, font: 'A' }
  let align: 'left' | 'center' | 'right' = 'left'
  let lineSpacing = DEFAULT_LINE_SPACING
  let codePage = 0
  let barcodeHeight = 162
  let moduleWidth = 3
  let hri = 0
  let qrSize = 3
  let qrData: Uint8Array | null = null
  let y = MARGIN
  let buffer: Cell[] = []

  const xFor = (width: number) => MARGIN + (align === 'center' ? Math.floor((paper - width) / 2) : align === 'right' ? paper - width : 0)
  const cellOf = (c: Style) => [FONTS[c.font][0] * c.wm, FONTS[c.font][1] * c.hm] as const

  /** Prints the line buffer (wrapping at the paper width) and feeds; an empty buffer feeds one line. */
  const printLine = () => {
    if (buffer.length === 0) {
      y += lineSpacing
      return
    }
    const rows: Cell[][] = [[]]
    let used = 0
    for (const c of buffer) {
      const [w] = cellOf(c)
      if (used + w > paper && rows.at(-1)!.length) {
        rows.push([])
        used = 0
      }
      rows.at(-1)!.push(c)
      used += w
    }
    for (const row of rows) {
      const width = row.reduce((n, c) => n + cellOf(c)[0], 0)
      const tallest = Math.max(...row.map((c) => cellOf(c)[1]))
      let x = xFor(width)
      for (const c of row) {
        const [w, h] = cellOf(c)
        // Characters of one line share its bottom edge, as on paper.
        for (const n of cellText(c.ch, w, h, c.bold)) if (n.type === 'text') nodes.push({ ...n, x: n.x + x, y: n.y + y + tallest - h })
        x += w
      }
      lines.push(row.map((c) => c.ch).join(''))
      y += Math.max(lineSpacing, tallest + 6)
    }
    buffer = []
  }

  const hriText = (payload: string, left: number, width: number) => {
    const [w, h] = FONTS.A
    const x = left + Math.floor((width - payload.length * w) / 2)
    for (const n of cellText(payload, w, h)) if (n.type === 'text') nodes.push({ ...n, x: n.x + x, y: n.y + y })
    y += h + 4
  }

  const drawBarcode = (symbology: Symbology, payload: string, module: number, barHeight: number) => {
    let symbol
    try {
      symbol = encodeSymbol(symbology, payload)
    } catch {
      warnings.add(`${symbology} cannot carry ${JSON.stringify(payload.slice(0, 40))}: not printed`)
      return
    }
    const width = symbol.modules * module
    const height = symbology === 'qrcode' ? width : barHeight
    if (width > paper) warnings.add(`${symbology} ${payload.slice(0, 40)} is ${width} dots wide, wider than the paper (${paper})`)
    const left = xFor(width)
    if (symbology !== 'qrcode' && (hri === 1 || hri === 3)) hriText(payload, left, width)
    nodes.push({ type: 'barcode', x: left, y, width, height, symbology, payload, moduleWidth: module, modules: symbol.modules })
    y += height
    if (symbology !== 'qrcode' && (hri === 2 || hri === 3)) hriText(payload, left, width)
    barcodes.push({ symbology, payload })
  }

  const tokens = readEscPos(bytes)
  let cut = false
  for (const t of tokens) {
    if (cut) break
    const b = t.bytes
    switch (t.name) {
      case 'text':
        if (codePage !== 16 && b.some((x) => x >= 0x80)) warnings.add(`code page ${codePage}: bytes above 0x7F read as Windows-1252`)
        for (const ch of decodeCp1252(Uint8Array.from(b))) buffer.push({ ...style, ch })
        break
      case 'LF':
        printLine()
        break
      case 'ESC @':
        style = { bold: false, wm: 1, hm: 1, font: 'A' }
        align = 'left'
        lineSpacing = DEFAULT_LINE_SPACING
        codePage = 0
        barcodeHeight = 162
        moduleWidth = 3
        hri = 0
        qrSize = 3
        buffer = []
        break
      case 'ESC t':
        codePage = b[2]
        break
      case 'ESC a': {
        const n = b[2] & 0x0f
        align = n === 1 ? 'center' : n === 2 ? 'right' : 'left'
        break
      }
      case 'ESC E':
        style = { ...style, bold: (b[2] & 1) === 1 }
        break
      case 'ESC !':
        style = { font: b[2] & 1 ? 'B' : 'A', bold: (b[2] & 0x08) !== 0, hm: b[2] & 0x10 ? 2 : 1, wm: b[2] & 0x20 ? 2 : 1 }
        break
      case 'GS !':
        style = { ...style, wm: ((b[2] >> 4) & 7) + 1, hm: (b[2] & 7) + 1 }
        break
      case 'ESC M':
        style = { ...style, font: b[2] & 1 ? 'B' : 'A' }
        break
      case 'ESC d':
        if (buffer.length) printLine()
        y += b[2] * lineSpacing
        break
      case 'ESC J':
        if (buffer.length) printLine()
        y += b[2]
        break
      case 'ESC 2':
        lineSpacing = DEFAULT_LINE_SPACING
        break
      case 'ESC 3':
        lineSpacing = b[2]
        break
      case 'GS h':
        barcodeHeight = Math.max(1, b[2])
        break
      case 'GS w':
        moduleWidth = Math.max(1, Math.min(6, b[2]))
        break
      case 'GS H':
        hri = b[2] & 3
        break
      case 'GS k': {
        if (buffer.length) printLine()
        const m = b[2]
        const formA = m <= 6
        const data = formA ? b.slice(3, b.at(-1) === 0 ? -1 : undefined) : b.slice(4)
        if (m === 73) {
          const payload = code128Payload(data, warnings)
          if (payload !== null) drawBarcode('code128', payload, moduleWidth, barcodeHeight)
        } else if (m === 69 || m === 4) drawBarcode('code39', String.fromCharCode(...data), moduleWidth, barcodeHeight)
        else warnings.add(`GS k barcode system ${m} is not drawn`)
        break
      }
      case 'GS ( k': {
        const [cn, fn] = [b[5], b[6]]
        if (cn !== 49) {
          warnings.add(`GS ( k symbol ${cn} (not QR) is not drawn`)
          break
        }
        if (fn === 67) qrSize = Math.max(1, Math.min(16, b[7]))
        else if (fn === 80) qrData = Uint8Array.from(b.slice(8))
        else if (fn === 81) {
          if (buffer.length) printLine()
          if (qrData) drawBarcode('qrcode', new TextDecoder().decode(qrData), qrSize, 0)
          else warnings.add('GS ( k print with no QR data stored')
        }
        break
      }
      case 'GS v 0': {
        if (buffer.length) printLine()
        const w = (b[4] + 256 * b[5]) * 8
        const h = b[6] + 256 * b[7]
        nodes.push({ type: 'image', x: xFor(w), y, width: w, height: h, png: new Uint8Array(0) })
        warnings.add('raster images (GS v 0) are outlined, not drawn')
        y += h
        break
      }
      case 'GS V':
        if (buffer.length) printLine()
        cut = true
        break
      case 'DLE EOT':
        break
      default:
        warnings.add(t.kind === 'unknown' ? `unknown byte ${t.name}` : `${t.name} is ignored`)
    }
  }
  if (buffer.length) printLine()
  if (!cut) warnings.add('no cut (GS V): the receipt may be incomplete')
  const width = paper + 2 * MARGIN
  const height = y + MARGIN
  const png = preview.compile({ unit: 'dot', dpi: 203, width, height, pages: [{ nodes }] })
  return { png, width, height, lines, barcodes, warnings: [...warnings] }
}

/** GS k CODE128 data: `{A`/`{B`/`{C` select a code set (in C each byte is two digits), `{{` is `{`. */
function code128Payload(data: number[], warnings: Set<string>): string | null {
  let set: 'A' | 'B' | 'C' = 'B'
  let out = ''
  for (let i = 0; i < data.length; i++) {
    const c = data[i]
    if (c === 0x7b && i + 1 < data.length) {
      const f = String.fromCharCode(data[++i])
      if (f === '{') out += '{'
      else if (f === 'A' || f === 'B' || f === 'C') set = f
      else warnings.add(`Code 128 function {${f} is dropped`)
      continue
    }
    out += set === 'C' ? String(c).padStart(2, '0') : String.fromCharCode(c)
  }
  if (!data.length) {
    warnings.add('empty Code 128 barcode')
    return null
  }
  return out
}
