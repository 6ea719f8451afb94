/**
 * EPL2 label -> PNG, for the simulated EPL printer (`renderTo`) and tests. A parsed label
 * (parse-epl.ts) becomes the neutral `Layout` in dots and is drawn by the templates' own
 * PreviewCompiler: the same glyph rasterizer, bar drawing (bwip-js) and PNG encoder as the
 * previews. What a Layout cannot say (rotated fields, reverse text, XOR/white lines) is drawn as a
 * small Layout of its own, decoded and composed onto the label here.
 *
 * Fonts 1–5 are the resident fixed-pitch fonts at 203 dpi: each character is centred in its cell
 * (cell size × the h/v multipliers), so columns and widths match the printer, though the glyphs
 * are the preview's Unicode font, not Zebra's bitmaps.
 * Barcodes: B types 1/1A/1B/1C (Code 128) and 3/3C (Code 39, drawn 3:1, without the 3C check
 * digit); b QR (module size `sN`, error level M). Other types are outlined and reported.
 * GW graphics are cut out of the stream by length before parsing (their bytes are binary) and
 * drawn as bitmaps.
 * Limits: XOR/white lines, reverse text and graphics are applied after the black elements
 * rather than in command order; soft fonts are drawn as font 3.
 */
import { inflateSync } from 'node:zlib'
import type { Symbology } from '../../domain/preferences.ts'
import { encodeSymbol } from '../barcode-geometry.ts'
import { encodeMonoPng } from '../compilers/png-encoder.ts'
import { PreviewCompiler } from '../compilers/preview-compiler.ts'
import type { Layout, LayoutNode } from '../layout.ts'
import { parseEpl, type EplBarcode, type EplLabel, type EplText } from './parse-epl.ts'

/** EPL2 resident fonts at 203 dpi: character cell [width, height] in dots, before multipliers. */
export const EPL_FONT_CELLS: Readonly<Record<string, readonly [number, number]>> = {
  '1': [8, 12],
  '2': [10, 16],
  '3': [12, 20],
  '4': [14, 24],
  '5': [32, 48],
}

export interface EplRenderOptions {
  /** Label width in dots when the label has no `q` (default 812: a 4-inch head at 203 dpi). */
  width?: number
  /** Label length in dots when the label has no `Q` (default: down to the lowest element + 16). */
  length?: number
}

export interface RenderedEplLabel {
  png: Uint8Array
  width: number
  height: number
  /** What could not be drawn faithfully (unknown barcode types, payloads, soft fonts …). */
  warnings: string[]
}

type Op = 'or' | 'xor' | 'clear' | 'reverse'

/** One EPL element as Layout nodes in its own frame: origin at its anchor, unrotated. */
interface Element {
  x: number
  y: number
  rotation: 0 | 1 | 2 | 3
  op: Op
  width: number
  height: number
  nodes: LayoutNode[]
}

const preview = new PreviewCompiler()
const DPI = 203

/** A `GWx,y,bytesPerRow,rows,<binary>` graphic: bit 0 = black, most significant bit first. */
export interface EplGraphic {
  x: number
  y: number
  bytesPerRow: number
  rows: number
  data: Uint8Array
}

/**
 * Cuts GW graphics out of an EPL stream: returns the text without their binary data, and the
 * graphics of each label (by the index of the `P` that prints it).
 */
export function splitGraphics(input: Uint8Array): { text: Uint8Array; graphics: EplGraphic[][] } {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  const parts: Buffer[] = []
  const graphics: EplGraphic[][] = [[]]
  let at = 0
  // The reference point (`R x,y`) moves graphics as it moves every other element (parse-epl.ts).
  let ref = [0, 0]
  while (at < bytes.length) {
    const head = /^GW(\d+),(\d+),(\d+),(\d+),/.exec(bytes.toString('latin1', at, Math.min(bytes.length, at + 40)))
    if (head) {
      const [x, y, bytesPerRow, rows] = head.slice(1).map(Number)
      const start = at + head[0].length
      const end = Math.min(bytes.length, start + bytesPerRow * rows)
      graphics.at(-1)!.push({ x: x + ref[0], y: y + ref[1], bytesPerRow, rows, data: bytes.subarray(start, end) })
      at = end
      if (bytes[at] === 0x0d) at++
      if (bytes[at] === 0x0a) at++
      continue
    }
    const lf = bytes.indexOf(0x0a, at)
    const next = lf < 0 ? bytes.length : lf + 1
    const line = bytes.toString('latin1', at, next).replace(/\r?\n$/, '')
    const reference = /^R(\d+),(\d+)$/.exec(line)
    if (reference) ref = [Number(reference[1]), Number(reference[2])]
    if (line === 'N') graphics[graphics.length - 1] = []
    if (/^P\d*(,\d+)?$/.test(line)) graphics.push([])
    parts.push(bytes.subarray(at, next))
    at = next
  }
  return { text: Buffer.concat(parts), graphics }
}

/** Every label in an EPL stream, drawn. */
export function renderEpl(input: Uint8Array | string, opts: EplRenderOptions = {}): RenderedEplLabel[] {
  const { text, graphics } = typeof input === 'string' ? { text: input, graphics: [] } : splitGraphics(input)
  return parseEpl(text).map((label, i) => renderEplLabel(label, opts, graphics[i] ?? []))
}

export function renderEplLabel(label: EplLabel, opts: EplRenderOptions = {}, graphics: readonly EplGraphic[] = []): RenderedEplLabel {
  const warnings = label.errors.map((line) => `not drawn: ${line.slice(0, 60)}`)
  const elements: Element[] = [
    ...label.texts.map((t) => textElement(t, warnings)),
    ...label.barcodes.map((b) => barcodeElement(b, warnings)),
    ...label.lines.map((l): Element => {
      if (l.kind === 'LS') {
        const thickness = Number.isFinite(l.thickness) ? l.thickness : 1
        return { x: 0, y: 0, rotation: 0, op: 'or', width: 0, height: 0, nodes: [{ type: 'line', x1: l.x, y1: l.y, x2: l.x + l.width, y2: l.y + l.height, thickness }] }
      }
      const op: Op = l.kind === 'LE' ? 'xor' : l.kind === 'LW' ? 'clear' : 'or'
      return { x: l.x, y: l.y, rotation: 0, op, width: l.width, height: l.height, nodes: [{ type: 'box', x: 0, y: 0, width: l.width, height: l.height, thickness: 0, filled: true }] }
    }),
    ...label.boxes.map((b): Element => ({
      x: b.x, y: b.y, rotation: 0, op: 'or', width: b.x2 - b.x, height: b.y2 - b.y,
      nodes: [{ type: 'box', x: 0, y: 0, width: b.x2 - b.x, height: b.y2 - b.y, thickness: b.thickness, filled: false }],
    })),
  ].filter((e) => [e.x, e.y, e.width, e.height].every(Number.isFinite))

  const width = positive(label.width) ?? opts.width ?? 812
  const height = positive(label.length) ?? opts.length ?? Math.max(16, ...elements.map((e) => extentBottom(e))) + 16
  const plain = elements.filter((e) => e.rotation === 0 && e.op === 'or')
  const special = elements.filter((e) => !plain.includes(e))
  const base: Layout = { unit: 'dot', dpi: DPI, width, height, pages: [{ nodes: plain.flatMap((e) => e.nodes.map((n) => shift(n, e.x, e.y))) }] }
  const png = preview.compile(base)
  if (special.length === 0 && graphics.length === 0) return { png, width, height, warnings }

  const canvas = decodeMonoPng(png)
  for (const e of special) {
    const w = Math.max(1, Math.round(e.width))
    const h = Math.max(1, Math.round(e.height))
    const piece = decodeMonoPng(preview.compile({ unit: 'dot', dpi: DPI, width: w, height: h, pages: [{ nodes: e.nodes }] }))
    compose(canvas, piece, e)
  }
  for (const g of graphics) {
    const w = g.bytesPerRow * 8
    const pixels = new Uint8Array(w * g.rows)
    for (let i = 0; i < pixels.length; i++) {
      const byte = g.data[Math.floor(i / 8)]
      if (byte !== undefined && !(byte & (0x80 >> (i & 7)))) pixels[i] = 1
    }
    compose(canvas, { width: w, height: g.rows, pixels }, { x: g.x, y: g.y, rotation: 0, op: 'or', width: w, height: g.rows, nodes: [] })
  }
  return { png: encodeMonoPng(canvas.pixels, width, height, DPI), width, height, warnings }
}

function positive(n: number | null): number | undefined {
  return n !== null && Number.isFinite(n) && n > 0 ? n : undefined
}

function extentBottom(e: Element): number {
  if (e.rotation === 0) return e.y + e.height
  if (e.rotation === 2) return e.y
  return e.y + e.width
}

function shift(node: LayoutNode, dx: number, dy: number): LayoutNode {
  if (node.type === 'line') return { ...node, x1: node.x1 + dx, x2: node.x2 + dx, y1: node.y1 + dy, y2: node.y2 + dy }
  return { ...node, x: node.x + dx, y: node.y + dy }
}

/** Fixed-pitch text: one node per character, centred in its cell (glyphs may overhang a little). */
export function cellText(text: string, cellWidth: number, cellHeight: number, bold = false): LayoutNode[] {
  // The preview font is proportional: its size is bounded by the cell's width too, so that
  // tall narrow cells (v > h) don't overlap their neighbours.
  const size = Math.max(6, Math.min(cellHeight, Math.round(cellWidth * 1.7)))
  const top = Math.round((cellHeight - size) / 2)
  const pad = Math.ceil(cellWidth / 4)
  const nodes: LayoutNode[] = []
  ;[...text].forEach((ch, i) => {
    if (ch === ' ') return
    nodes.push({ type: 'text', x: i * cellWidth - pad, y: top, width: cellWidth + 2 * pad, size, text: ch, bold, align: 'center' })
  })
  return nodes
}

function rotationOf(n: number): 0 | 1 | 2 | 3 {
  return n === 1 || n === 2 || n === 3 ? n : 0
}

function textElement(t: EplText, warnings: string[]): Element {
  let cell = EPL_FONT_CELLS[t.font]
  if (!cell) {
    warnings.push(`font ${t.font} is not resident: drawn as font 3`)
    cell = EPL_FONT_CELLS['3']
  }
  const h = Number.isFinite(t.h) && t.h >= 1 ? Math.min(8, t.h) : 1
  const v = Number.isFinite(t.v) && t.v >= 1 ? Math.min(9, t.v) : 1
  const cw = cell[0] * h
  const ch = cell[1] * v
  const data = t.font === '5' ? t.data.toUpperCase() : t.data
  const count = [...data].length
  return { x: t.x, y: t.y, rotation: rotationOf(t.rotation), op: t.reverse ? 'reverse' : 'or', width: count * cw, height: ch, nodes: cellText(data, cw, ch) }
}

const LINEAR: Readonly<Record<string, Symbology>> = { '1': 'code128', '1A': 'code128', '1B': 'code128', '1C': 'code128', '3': 'code39', '3C': 'code39' }
const HRI_CELL = EPL_FONT_CELLS['2']

function barcodeElement(b: EplBarcode, warnings: string[]): Element {
  const rotation = rotationOf(b.rotation)
  const symbology: Symbology | undefined = b.type === 'Q' ? 'qrcode' : LINEAR[b.type]
  const narrow = Number.isFinite(b.narrow) && b.narrow >= 1 ? b.narrow : 2
  const barHeight = Number.isFinite(b.height) && b.height > 0 ? b.height : 50
  const outline = (w: number, h: number, why: string): Element => {
    warnings.push(why)
    return { x: b.x, y: b.y, rotation, op: 'or', width: w, height: h, nodes: [{ type: 'box', x: 0, y: 0, width: w, height: h, thickness: 2, filled: false }] }
  }
  if (!symbology) return outline(Math.max(40, b.data.length * 11 * narrow), barHeight, `barcode type ${b.type} is not drawn (outlined): ${b.data.slice(0, 40)}`)
  let symbol
  try {
    symbol = encodeSymbol(symbology, b.data)
  } catch {
    return outline(Math.max(40, b.data.length * 11 * narrow), barHeight, `${symbology} cannot carry ${JSON.stringify(b.data.slice(0, 40))} (outlined)`)
  }
  if (symbology === 'qrcode') {
    const s = Number(b.options.find((o) => /^s\d+$/.test(o))?.slice(1) ?? 3)
    const m = Math.max(1, Math.min(99, s))
    const side = symbol.modules * m
    return { x: b.x, y: b.y, rotation, op: 'or', width: side, height: side, nodes: [{ type: 'barcode', x: 0, y: 0, width: side, height: side, symbology, payload: b.data, moduleWidth: m, modules: symbol.modules }] }
  }
  const width = symbol.modules * narrow
  const nodes: LayoutNode[] = [{ type: 'barcode', x: 0, y: 0, width, height: barHeight, symbology, payload: b.data, moduleWidth: narrow, modules: symbol.modules }]
  let height = barHeight
  if (b.humanReadable) {
    const text = cellText(b.data, HRI_CELL[0], HRI_CELL[1])
    const left = Math.round((width - [...b.data].length * HRI_CELL[0]) / 2)
    nodes.push(...text.map((n) => shift(n, left, barHeight + 2)))
    height += 2 + HRI_CELL[1]
  }
  return { x: b.x, y: b.y, rotation, op: 'or', width, height, nodes }
}

// --- composing rotated / XOR / white elements onto the label ---------------------------------

export interface MonoBitmap {
  width: number
  height: number
  /** One byte per pixel, 1 = black. */
  pixels: Uint8Array
}

/** Decodes the 1-bit grayscale PNGs that encodeMonoPng writes (filter 0 only). */
export function decodeMonoPng(png: Uint8Array): MonoBitmap {
  const buf = Buffer.from(png.buffer, png.byteOffset, png.byteLength)
  let at = 8
  let width = 0
  let height = 0
  const idat: Buffer[] = []
  while (at + 8 <= buf.length) {
    const len = buf.readUInt32BE(at)
    const type = buf.toString('latin1', at + 4, at + 8)
    const data = buf.subarray(at + 8, at + 8 + len)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      if (data[8] !== 1 || data[9] !== 0) throw new Error('decodeMonoPng: not a 1-bit grayscale PNG')
    } else if (type === 'IDAT') idat.push(data)
    at += 12 + len
  }
  const raw = inflateSync(Buffer.concat(idat))
  const stride = Math.ceil(width / 8)
  const pixels = new Uint8Array(width * height)
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1)
    if (raw[row] !== 0) throw new Error('decodeMonoPng: filtered rows are not supported')
    for (let x = 0; x < width; x++) if (!(raw[row + 1 + (x >> 3)] & (0x80 >> (x & 7)))) pixels[y * width + x] = 1
  }
  return { width, height, pixels }
}

/** Draws `piece` (the element in its own frame) at the element's anchor, rotated clockwise. */
function compose(canvas: MonoBitmap, piece: MonoBitmap, e: Element): void {
  const ax = Math.round(e.x)
  const ay = Math.round(e.y)
  for (let v = 0; v < piece.height; v++) {
    for (let u = 0; u < piece.width; u++) {
      const on = piece.pixels[v * piece.width + u] === 1
      let px: number
      let py: number
      switch (e.rotation) {
        case 0: [px, py] = [ax + u, ay + v]; break
        case 1: [px, py] = [ax - 1 - v, ay + u]; break
        case 2: [px, py] = [ax - 1 - u, ay - 1 - v]; break
        case 3: [px, py] = [ax + v, ay - 1 - u]; break
      }
      if (px < 0 || py < 0 || px >= canvas.width || py >= canvas.height) continue
      const i = py * canvas.width + px
      switch (e.op) {
        case 'or': if (on) canvas.pixels[i] = 1; break
        case 'xor': if (on) canvas.pixels[i] ^= 1; break
        case 'clear': if (on) canvas.pixels[i] = 0; break
        case 'reverse': if (!on) canvas.pixels[i] ^= 1; break
      }
    }
  }
}
