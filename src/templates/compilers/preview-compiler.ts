/**
 * Layout -> PNG preview, rasterized here: rectangles for bars, boxes and lines, and text shaped
 * and drawn with the font chain (glyphs/rasterize-text.ts: the very pixels that ZPL and EPL
 * labels carry as graphic fields). Without a Unicode font, bwip-js's built-in OCR-B draws the
 * text. No native dependencies; a 4x6 label at 203 dpi takes a few milliseconds.
 */
import bwipjs from 'bwip-js'
import { encodeSymbol, symbolRects } from '../barcode-geometry.ts'
import type { Layout, LayoutNode, TextNode } from '../layout.ts'
import { unicodeFont } from '../fonts.ts'
import { fontChain } from '../glyphs/font-chain.ts'
import { textBitmap, type TextBitmap } from '../glyphs/rasterize-text.ts'
import { imageBitmap } from '../images/logo-bitmap.ts'
import { encodeMonoPng } from './png-encoder.ts'
import { MAX_PREVIEW_PIXELS, previewTooLarge } from '../zpl-preview-limits.ts'

let fontIds: { regular: number; bold: number } | null = null

function fonts(): { regular: number; bold: number } {
  if (fontIds) return fontIds
  const files = unicodeFont()
  if (files) {
    bwipjs.loadFont('StudioSans', 100, new Uint8Array(files.regular))
    bwipjs.loadFont('StudioSansBold', 100, new Uint8Array(files.bold))
    fontIds = { regular: bwipjs.FontLib.lookup('StudioSans'), bold: bwipjs.FontLib.lookup('StudioSansBold') }
  } else {
    const ocrb = bwipjs.FontLib.lookup('OCR-B')
    fontIds = { regular: ocrb, bold: ocrb }
  }
  return fontIds
}

class Canvas {
  readonly pixels: Uint8Array
  constructor(
    readonly width: number,
    readonly height: number,
    /** A label in printer dots (lines are drawn as printers draw them). */
    readonly dots = false,
  ) {
    this.pixels = new Uint8Array(width * height)
  }

  /** Inks the black pixels of a bitmap (text, logo) where they fall on the canvas. */
  blit(bitmap: TextBitmap): void {
    for (let yy = 0; yy < bitmap.height; yy++) {
      const py = bitmap.y + yy
      if (py < 0 || py >= this.height) continue
      for (let xx = 0; xx < bitmap.width; xx++) {
        const px = bitmap.x + xx
        if (px >= 0 && px < this.width && bitmap.pixels[yy * bitmap.width + xx]) this.pixels[py * this.width + px] = 1
      }
    }
  }

  fill(x: number, y: number, w: number, h: number): void {
    const x0 = Math.max(0, Math.round(x))
    const y0 = Math.max(0, Math.round(y))
    const x1 = Math.min(this.width, Math.round(x + w))
    const y1 = Math.min(this.height, Math.round(y + h))
    for (let yy = y0; yy < y1; yy++) this.pixels.fill(1, yy * this.width + x0, yy * this.width + x1)
  }
}

export interface PreviewOptions {
  /** Pixels per layout unit (1 for dot layouts; e.g. 150/72 for a page at 150 dpi). */
  scale?: number
  /** Which page (0-based). */
  page?: number
}

export class PreviewCompiler {
  compile(layout: Layout, opts: PreviewOptions = {}): Uint8Array {
    if (layout.unit === 'char') throw new Error('receipts have no PNG preview')
    const s = opts.scale ?? (layout.unit === 'dot' ? 1 : 150 / 72)
    const [width, height] = [Math.round(layout.width * s), Math.round(layout.height * s)]
    if (width * height > MAX_PREVIEW_PIXELS) throw previewTooLarge(`A ${width}×${height} pixel preview is larger than the ${MAX_PREVIEW_PIXELS} pixels a preview may have.`, { width, height, maxPixels: MAX_PREVIEW_PIXELS })
    const canvas = new Canvas(width, height, layout.unit === 'dot')
    const page = layout.pages[opts.page ?? 0]
    for (const node of page?.nodes ?? []) this.draw(canvas, node, s)
    return encodeMonoPng(canvas.pixels, canvas.width, canvas.height, Math.round((layout.unit === 'dot' ? layout.dpi : 72) * s))
  }

  private draw(c: Canvas, node: LayoutNode, s: number): void {
    switch (node.type) {
      case 'text':
        return this.text(c, node, s)
      case 'barcode': {
        const symbol = encodeSymbol(node.symbology, node.payload)
        const m = node.moduleWidth * s
        const rowHeight = symbol.kind === 'linear' ? node.height * s : m
        const x0 = node.x * s
        const y0 = node.y * s
        // Snap module edges to whole pixels so that bar widths stay proportional.
        for (const [x, y, w, h] of symbolRects(symbol)) {
          const left = Math.round(x0 + x * m)
          const right = Math.round(x0 + (x + w) * m)
          c.fill(left, y0 + y * rowHeight, right - left, h * rowHeight)
        }
        return
      }
      case 'box': {
        const t = node.thickness * s
        const [x, y, w, h] = [node.x * s, node.y * s, node.width * s, node.height * s]
        if (node.filled) return c.fill(x, y, w, h)
        c.fill(x, y, w, t)
        c.fill(x, y + h - t, w, t)
        c.fill(x, y, t, h)
        c.fill(x + w - t, y, t, h)
        return
      }
      case 'line': {
        const t = Math.max(1, node.thickness * s)
        // Label printers draw a line from its coordinate down (right), as ZPL ^GB and EPL LO do;
        // PDF strokes it centred on its coordinate.
        const off = c.dots ? 0 : t / 2
        if (node.y1 === node.y2) return c.fill(Math.min(node.x1, node.x2) * s, node.y1 * s - off, Math.abs(node.x2 - node.x1) * s, t)
        if (node.x1 === node.x2) return c.fill(node.x1 * s - off, Math.min(node.y1, node.y2) * s, t, Math.abs(node.y2 - node.y1) * s)
        const steps = Math.ceil(Math.hypot(node.x2 - node.x1, node.y2 - node.y1) * s)
        for (let i = 0; i <= steps; i++) c.fill((node.x1 + ((node.x2 - node.x1) * i) / steps) * s, (node.y1 + ((node.y2 - node.y1) * i) / steps) * s, t, t)
        return
      }
      case 'image': {
        // The logo in black and white, as label printers get it (images/logo-bitmap.ts).
        const bitmap = imageBitmap(node, s)
        if (bitmap) c.blit(bitmap)
        return
      }
    }
  }

  private text(c: Canvas, node: TextNode, s: number): void {
    const chain = fontChain()
    if (chain) {
      const bitmap = textBitmap(chain, node, s)
      if (bitmap) c.blit(bitmap)
      return
    }
    const ids = fonts()
    const font = node.bold ? ids.bold : ids.regular
    const em = Math.max(6, Math.round(node.size * s * 0.92))
    const glyphs = [...node.text].map((ch) => bwipjs.FontLib.getglyph(font, ch.codePointAt(0)!, em, em))
    const total = glyphs.reduce((n, g) => n + g.advance, 0)
    const boxX = node.x * s
    const boxW = node.width * s
    let pen = node.align === 'center' ? boxX + (boxW - total) / 2 : node.align === 'right' ? boxX + boxW - total : boxX
    pen = Math.max(boxX, pen)
    const baseline = Math.round(node.y * s + em * 0.8)
    const clipRight = Math.min(c.width, Math.round(boxX + boxW))
    for (const g of glyphs) {
      const gx = Math.round(pen + g.left)
      const gy = baseline - g.top
      for (let yy = 0; yy < g.height; yy++) {
        const py = gy + yy
        if (py < 0 || py >= c.height) continue
        const rowBase = g.offset + yy * g.width
        for (let xx = 0; xx < g.width; xx++) {
          const px = gx + xx
          if (px < 0 || px >= clipRight) continue
          if (g.bytes[rowBase + xx] >= 112) c.pixels[py * c.width + px] = 1
        }
      }
      pen += g.advance
    }
  }
}
