/**
 * Layout -> ZPL II. One `^XA … ^XZ` per page. Every text field goes out as `^FH^FD…^FS` through
 * `zplFieldData`, the one place ZPL is escaped (PROTOCOLS.md, ZPL `^FD`/`^FH`).
 *
 * Font 0 shows Windows-1252 characters only: other text (Greek, Cyrillic, CJK, Hebrew, Arabic…)
 * is drawn with the font chain into a `^GF` graphic field, the same pixels as the PNG preview.
 * Without a Unicode font it goes out as UTF-8 text, as before (and prints as boxes).
 */
import { deflateSync } from 'node:zlib'
import type { BarcodeNode, ImageNode, Layout, LayoutNode, LayoutPage, TextNode } from '../layout.ts'
import { QR_ECLEVEL } from '../barcode-geometry.ts'
import { inCp1252 } from './cp1252.ts'
import { nodeGraphic } from '../glyphs/node-graphic.ts'
import type { TextBitmap } from '../glyphs/rasterize-text.ts'
import { packBitmap } from '../glyphs/pack-bitmap.ts'

/** Longest `^FD` data a printer accepts, in bytes before escaping. */
export const ZPL_MAX_FIELD_BYTES = 3072

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'))

/** True for the bytes that must be written as `_XX` (besides a custom escape character). */
function mustEscape(b: number): boolean {
  return b < 0x20 || b >= 0x7f || b === 0x5e || b === 0x7e || b === 0x5f
}

/**
 * Field data for `^FH^FD`: UTF-8 (`^CI28`), with `^`, `~`, `_`, bytes below 0x20, DEL and every
 * byte of a multi-byte character written as `_XX`. The result is plain printable ASCII.
 * `block`: the field is a field block (`^FB`), where the printer reads `\&` as a line break,
 * `\(` as a soft hyphen and `\\` as one backslash once escapes are undone — so every backslash
 * of the text is doubled and the text stays one literal run.
 */
export function zplFieldData(raw: string, escapeChar = '_', block = false): string {
  const text = block ? raw.replaceAll('\\', '\\\\') : raw
  const esc = escapeChar.charCodeAt(0)
  // Fast path: short printable ASCII without a byte to escape goes out as it is.
  if (text.length <= ZPL_MAX_FIELD_BYTES) {
    let clean = true
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      if (mustEscape(c) || c === esc) {
        clean = false
        break
      }
    }
    if (clean) return text
  }
  const prefix = escapeChar
  let out = ''
  let bytes = 0
  const put = (b: number) => {
    out += mustEscape(b) || b === esc ? prefix + HEX[b] : String.fromCharCode(b)
  }
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i)
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1)
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00)
        i++
      }
    }
    if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd // a lone surrogate, as TextEncoder writes it
    const size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
    if (bytes + size > ZPL_MAX_FIELD_BYTES) break // never cut a character in half
    bytes += size
    if (size === 1) put(cp)
    else if (size === 2) {
      put(0xc0 | (cp >> 6))
      put(0x80 | (cp & 0x3f))
    } else if (size === 3) {
      put(0xe0 | (cp >> 12))
      put(0x80 | ((cp >> 6) & 0x3f))
      put(0x80 | (cp & 0x3f))
    } else {
      put(0xf0 | (cp >> 18))
      put(0x80 | ((cp >> 12) & 0x3f))
      put(0x80 | ((cp >> 6) & 0x3f))
      put(0x80 | (cp & 0x3f))
    }
  }
  return out
}

function field(text: string, block = false): string {
  return `^FH^FD${zplFieldData(text, '_', block)}^FS`
}

/** CRC-16/XMODEM (CCITT polynomial 0x1021, initial 0) of a `:Z64:` field's base64 text, as Zebra checks it. */
export function crc16(text: string): number {
  let crc = 0
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i) << 8
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff
  }
  return crc
}

/** A bitmap as `^FO…^GFA` with Z64 data (zlib-deflated, base64, CRC): about a tenth of plain hex. */
export function zplGraphic(bitmap: TextBitmap): string {
  const { bytesPerRow, data } = packBitmap(bitmap, 1)
  const b64 = deflateSync(data).toString('base64')
  const crc = crc16(b64).toString(16).toUpperCase().padStart(4, '0')
  return `^FO${bitmap.x},${bitmap.y}^GFA,${data.length},${data.length},${bytesPerRow},:Z64:${b64}:${crc}^FS`
}

export class ZplCompiler {
  /** ZPL of every page of a dot layout, one format each. */
  compile(layout: Layout): string {
    let out = ''
    for (const page of layout.pages) out += this.compilePage(layout, page)
    return out
  }

  compilePage(layout: Layout, page: LayoutPage): string {
    if (layout.unit !== 'dot') throw new Error(`ZPL needs a layout in dots, not ${layout.unit}`)
    let out = `^XA\n^CI28\n^PW${layout.width}\n^LL${layout.height}\n^LH0,0\n`
    for (const node of page.nodes) {
      const line = node.type === 'image' ? this.image(node, layout) : node.type === 'text' && !inCp1252(node.text) ? this.graphicText(node, layout) : this.node(node)
      if (line !== '') out += line + '\n'
    }
    return out + '^XZ\n'
  }

  /** Text font 0 can't show, as the preview draws it (a graphic field); resident text without a Unicode font. */
  private graphicText(node: TextNode, layout: Layout): string {
    return nodeGraphic(node, layout, zplGraphic) ?? this.node(node)
  }

  /** The logo as the preview draws it (a graphic field); left out when it can't be read. */
  private image(node: ImageNode, layout: Layout): string {
    return nodeGraphic(node, layout, zplGraphic) ?? ''
  }

  node(node: LayoutNode): string {
    switch (node.type) {
      case 'text': {
        const h = Math.max(10, node.size)
        const w = Math.round(node.bold ? h * 1.05 : h * 0.9)
        const block = node.align === 'left' ? '' : `^FB${node.width},1,0,${node.align === 'center' ? 'C' : 'R'},0`
        return `^FO${node.x},${node.y}^A0N,${h},${w}${block}${field(node.text, block !== '')}`
      }
      case 'barcode':
        return this.barcode(node)
      case 'box': {
        const t = node.filled ? Math.min(node.width, node.height) : node.thickness
        return `^FO${node.x},${node.y}^GB${node.width},${node.height},${t},B,0^FS`
      }
      case 'line': {
        const x = Math.min(node.x1, node.x2)
        const y = Math.min(node.y1, node.y2)
        const w = Math.abs(node.x2 - node.x1)
        const h = Math.abs(node.y2 - node.y1)
        if (w === 0 || h === 0) return `^FO${x},${y}^GB${Math.max(w, node.thickness)},${Math.max(h, node.thickness)},${node.thickness},B,0^FS`
        const orientation = (node.x2 - node.x1) * (node.y2 - node.y1) > 0 ? 'L' : 'R'
        return `^FO${x},${y}^GD${w},${h},${node.thickness},B,${orientation}^FS`
      }
      case 'image':
        throw new Error('image nodes are compiled by compilePage (a ^GF graphic field)')
    }
  }

  private barcode(node: BarcodeNode): string {
    const m = Math.max(1, Math.round(node.moduleWidth))
    switch (node.symbology) {
      case 'code128':
        // Mode A: the printer picks subsets B/C itself, as the layout's encoder did.
        return `^FO${node.x},${node.y}^BY${m}^BCN,${node.height},N,N,N,A${field(node.payload)}`
      case 'code39':
        return `^FO${node.x},${node.y}^BY${m},3.0^B3N,N,${node.height},N,N${field(node.payload)}`
      case 'qrcode':
        return `^FO${node.x},${node.y}^BQN,2,${Math.min(10, m)}^FH^FD${QR_ECLEVEL}A,${zplFieldData(node.payload)}^FS`
    }
  }
}
