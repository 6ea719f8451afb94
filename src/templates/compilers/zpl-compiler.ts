/**
 * Layout -> ZPL II. One `^XA … ^XZ` per page. Every text field goes out as `^FH^FD…^FS` through
 * `zplFieldData`, the one place ZPL is escaped (PROTOCOLS.md, ZPL `^FD`/`^FH`).
 */
import type { BarcodeNode, Layout, LayoutNode, LayoutPage } from '../layout.ts'
import { QR_ECLEVEL } from '../barcode-geometry.ts'

/** Longest `^FD` data a printer accepts, in bytes before escaping. */
export const ZPL_MAX_FIELD_BYTES = 3072

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).toUpperCase().padStart(2, '0'))
const encoder = new TextEncoder()

/**
 * Field data for `^FH^FD`: UTF-8 (`^CI28`), with `^`, `~`, `_`, bytes below 0x20, DEL and every
 * byte of a multi-byte character written as `_XX`. The result is plain printable ASCII.
 */
export function zplFieldData(text: string, escapeChar = '_'): string {
  let bytes = encoder.encode(text)
  if (bytes.length > ZPL_MAX_FIELD_BYTES) {
    let end = ZPL_MAX_FIELD_BYTES
    while (end > 0 && (bytes[end] & 0xc0) === 0x80) end-- // never cut a character in half
    bytes = bytes.subarray(0, end)
  }
  const esc = escapeChar.charCodeAt(0)
  let out = ''
  for (const b of bytes) {
    if (b < 0x20 || b >= 0x7f || b === 0x5e || b === 0x7e || b === esc || b === 0x5f) out += escapeChar + HEX[b]
    else out += String.fromCharCode(b)
  }
  return out
}

function field(text: string): string {
  return `^FH^FD${zplFieldData(text)}^FS`
}

export class ZplCompiler {
  /** ZPL of every page of a dot layout, one format each. */
  compile(layout: Layout): string {
    return layout.pages.map((page) => this.compilePage(layout, page)).join('')
  }

  compilePage(layout: Layout, page: LayoutPage): string {
    if (layout.unit !== 'dot') throw new Error(`ZPL needs a layout in dots, not ${layout.unit}`)
    let out = `^XA\n^CI28\n^PW${layout.width}\n^LL${layout.height}\n^LH0,0\n`
    for (const node of page.nodes) out += this.node(node) + '\n'
    return out + '^XZ\n'
  }

  node(node: LayoutNode): string {
    switch (node.type) {
      case 'text': {
        const h = Math.max(10, node.size)
        const w = Math.round(node.bold ? h * 1.05 : h * 0.9)
        const block = node.align === 'left' ? '' : `^FB${node.width},1,0,${node.align === 'center' ? 'C' : 'R'},0`
        return `^FO${node.x},${node.y}^A0N,${h},${w}${block}${field(node.text)}`
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
        throw new Error('image nodes are not supported on ZPL labels')
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
