/**
 * Layout -> EPL2 bytes (Windows-1252, `I8,A,001`). One `N … P1` block per page. Quoted data goes
 * through `eplQuoted`, the one place EPL is escaped.
 *
 * The resident fonts show Windows-1252 only: other text is drawn with the font chain into a `GW`
 * graphic, the same pixels as the PNG preview. Without a Unicode font it is transliterated
 * (Дмитрий → Dmitrij) and cut to the field after transliteration.
 */
import type { BarcodeNode, ImageNode, Layout, LayoutNode, LayoutPage, TextNode } from '../layout.ts'
import { encodeCp1252, inCp1252, toCp1252Text } from './cp1252.ts'
import { nodeGraphic } from '../glyphs/node-graphic.ts'
import type { TextBitmap } from '../glyphs/rasterize-text.ts'
import { packBitmap } from '../glyphs/pack-bitmap.ts'

/** A bitmap as a `GW` command: binary rows, 0 = black (a latin1 string, ended by LF). */
export function eplGraphic(bitmap: TextBitmap): string {
  const { bytesPerRow, data } = packBitmap(bitmap, 0)
  return `GW${bitmap.x},${bitmap.y},${bytesPerRow},${bitmap.height},${Buffer.from(data).toString('latin1')}`
}

/** EPL2 resident fonts 1–4 (font 5 is upper case only), cell size in dots [width, height]. */
const FONTS: Readonly<Record<203 | 300, ReadonlyArray<readonly [number, number]>>> = {
  203: [[8, 12], [10, 16], [12, 20], [14, 24]],
  300: [[12, 20], [16, 28], [20, 36], [24, 44]],
}

/**
 * `"…"` data for A/B/b commands: Windows-1252 (other characters transliterated or `?`), control
 * bytes as spaces, `\` and `"` escaped with a backslash. Returns a binary (latin1) string.
 */
export function eplQuoted(text: string): string {
  // Fast path: text that is already printable Windows-1252 without `"` or `\` goes out as it is
  // (a latin1 string's char codes are its bytes).
  let plain = true
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || (c >= 0x7f && c < 0xa0) || c > 0xff || c === 0x22 || c === 0x5c) {
      plain = false
      break
    }
  }
  if (plain) return '"' + text + '"'
  let out = '"'
  for (const b of encodeCp1252(text)) {
    if (b < 0x20 || b === 0x7f) out += ' '
    else if (b === 0x22) out += '\\"'
    else if (b === 0x5c) out += '\\\\'
    else out += String.fromCharCode(b)
  }
  return out + '"'
}

/** Code points in a string (what `[...text].length` counts), without building an array. */
function codePoints(text: string): number {
  let n = text.length
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1)
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        n--
        i++
      }
    }
  }
  return n
}

export interface EplFontChoice {
  font: number
  h: number
  v: number
  charWidth: number
  charHeight: number
}

/** The resident font and multipliers whose height comes closest to `size` without exceeding it. */
export function eplFont(size: number, dpi: number): EplFontChoice {
  const fonts = FONTS[dpi >= 300 ? 300 : 203]
  let best: EplFontChoice = { font: 1, h: 1, v: 1, charWidth: fonts[0][0], charHeight: fonts[0][1] }
  for (let f = 0; f < fonts.length; f++) {
    for (let v = 1; v <= 9; v++) {
      const height = fonts[f][1] * v
      if (height > size) break
      const h = Math.min(6, v)
      if (height > best.charHeight || (height === best.charHeight && v < best.v)) {
        best = { font: f + 1, h, v, charWidth: fonts[f][0] * h, charHeight: height }
      }
    }
  }
  return best
}

export class EplCompiler {
  compile(layout: Layout): Uint8Array {
    let out = ''
    for (const page of layout.pages) out += this.compilePage(layout, page)
    return Buffer.from(out, 'latin1')
  }

  /** One label as a binary (latin1) string. */
  compilePage(layout: Layout, page: LayoutPage): string {
    if (layout.unit !== 'dot') throw new Error(`EPL needs a layout in dots, not ${layout.unit}`)
    let out = `\nN\nI8,A,001\nq${layout.width}\nQ${layout.height},24\n`
    for (const node of page.nodes) {
      const line = node.type === 'image' ? this.image(node, layout) : node.type === 'text' && !inCp1252(node.text) ? this.graphicText(node, layout) : this.node(node, layout.dpi)
      if (line !== '') out += line + '\n'
    }
    return out + 'P1\n'
  }

  /** Text the resident fonts can't show, as the preview draws it (a GW graphic); transliterated without a Unicode font. */
  private graphicText(node: TextNode, layout: Layout): string {
    return nodeGraphic(node, layout, eplGraphic) ?? this.text(node, layout.dpi)
  }

  /** The logo as the preview draws it (a GW graphic); left out when it can't be read. */
  private image(node: ImageNode, layout: Layout): string {
    return nodeGraphic(node, layout, eplGraphic) ?? ''
  }

  node(node: LayoutNode, dpi: number): string {
    switch (node.type) {
      case 'text':
        return this.text(node, dpi)
      case 'barcode':
        return this.barcode(node)
      case 'box':
        if (node.filled) return `LO${node.x},${node.y},${node.width},${node.height}`
        return `X${node.x},${node.y},${node.thickness},${node.x + node.width},${node.y + node.height}`
      case 'line': {
        const x = Math.min(node.x1, node.x2)
        const y = Math.min(node.y1, node.y2)
        const w = Math.max(node.thickness, Math.abs(node.x2 - node.x1))
        const h = Math.max(node.thickness, Math.abs(node.y2 - node.y1))
        if (node.x1 !== node.x2 && node.y1 !== node.y2) return `LS${node.x1},${node.y1},${node.thickness},${node.x2},${node.y2}`
        return `LO${x},${y},${w},${h}`
      }
      case 'image':
        throw new Error('image nodes are compiled by compilePage (a GW graphic)')
    }
  }

  private text(node: TextNode, dpi: number): string {
    const f = eplFont(node.size, dpi)
    // Fixed-width fonts: cut exactly to the field so that nothing spills off the label, after
    // transliteration (Щ takes four cells as "Shch").
    const max = Math.max(1, Math.floor(node.width / f.charWidth))
    let text = inCp1252(node.text) ? node.text : toCp1252Text(node.text)
    let count = codePoints(text)
    if (count > max) {
      text = [...text].slice(0, max).join('')
      count = max
    }
    const used = count * f.charWidth
    const x = node.align === 'center' ? node.x + Math.floor((node.width - used) / 2) : node.align === 'right' ? node.x + node.width - used : node.x
    return `A${x},${node.y},0,${f.font},${f.h},${f.v},N,${eplQuoted(text)}`
  }

  private barcode(node: BarcodeNode): string {
    const m = Math.max(1, Math.round(node.moduleWidth))
    switch (node.symbology) {
      case 'code128':
        return `B${node.x},${node.y},0,1,${m},${m * 2},${node.height},N,${eplQuoted(node.payload)}`
      case 'code39':
        return `B${node.x},${node.y},0,3,${Math.min(m, 3)},${Math.min(m, 3) * 3},${node.height},N,${eplQuoted(node.payload)}`
      case 'qrcode':
        return `b${node.x},${node.y},Q,m2,s${Math.min(99, m)},eM,iA,${eplQuoted(node.payload)}`
    }
  }
}
