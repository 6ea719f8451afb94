/**
 * Receipt layout (character cells) -> ESC/POS bytes. `ESC @` first, Windows-1252 (`ESC t 16`),
 * native barcodes (`GS k`) and QR (`GS ( k`), then feed and cut (`GS V`). Text reaches the
 * printer only through `escposText`, which drops every byte below 0x20 and DEL.
 */
import type { BarcodeNode, Layout, TextNode } from '../layout.ts'
import { QR_ECLEVEL } from '../barcode-geometry.ts'
import { encodeCp1252 } from './cp1252.ts'
import { concatBytes } from './concat-bytes.ts'

const ESC = 0x1b
const GS = 0x1d
const LF = 0x0a

export const INIT = Uint8Array.of(ESC, 0x40) // ESC @
export const CODE_PAGE_1252 = Uint8Array.of(ESC, 0x74, 16) // ESC t 16 (WPC1252)
export const FEED_4 = Uint8Array.of(ESC, 0x64, 4) // ESC d 4
export const CUT = Uint8Array.of(GS, 0x56, 0x41, 0x00) // GS V A 0: feed to cut position, partial cut
const ALIGN = { left: 0, center: 1, right: 2 } as const
const alignCmd = (a: TextNode['align']) => Uint8Array.of(ESC, 0x61, ALIGN[a]) // ESC a n
const boldCmd = (on: boolean) => Uint8Array.of(ESC, 0x45, on ? 1 : 0) // ESC E n
const sizeCmd = (n: number) => Uint8Array.of(GS, 0x21, ((n - 1) << 4) | (n - 1)) // GS ! n
const BARCODE_HEIGHT = (dots: number) => Uint8Array.of(GS, 0x68, dots) // GS h n
const BARCODE_WIDTH = (n: number) => Uint8Array.of(GS, 0x77, n) // GS w n
const HRI_NONE = Uint8Array.of(GS, 0x48, 0) // GS H 0: we print the text ourselves
const GS_K_CODE39 = 69 // GS k m=69 n d1..dn
const GS_K_CODE128 = 73 // GS k m=73 n d1..dn, data starts with a code set: {B

/** Record text as printer bytes: Windows-1252, with every control byte (< 0x20, 0x7F) removed. */
export function escposText(text: string): Uint8Array {
  return encodeCp1252(text).filter((b) => b >= 0x20 && b !== 0x7f)
}

function ascii(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0x7f)
}

/** `GS ( k` store-and-print of a QR code: model 2, module size, error level M. */
function qrBytes(data: Uint8Array, moduleSize: number): Uint8Array[] {
  const store = data.length + 3
  const ec = { L: 48, M: 49, Q: 50, H: 51 }[QR_ECLEVEL as 'M']
  return [
    Uint8Array.of(GS, 0x28, 0x6b, 4, 0, 49, 65, 50, 0), // model 2
    Uint8Array.of(GS, 0x28, 0x6b, 3, 0, 49, 67, moduleSize), // module size
    Uint8Array.of(GS, 0x28, 0x6b, 3, 0, 49, 69, ec), // error correction
    Uint8Array.of(GS, 0x28, 0x6b, store & 0xff, store >> 8, 49, 80, 48), // store data …
    data,
    Uint8Array.of(GS, 0x28, 0x6b, 3, 0, 49, 81, 48), // print
  ]
}

export class EscPosCompiler {
  compile(layout: Layout): Uint8Array {
    if (layout.unit !== 'char') throw new Error(`ESC/POS needs a receipt layout, not ${layout.unit}`)
    const parts: Uint8Array[] = [INIT, CODE_PAGE_1252]
    const nodes = [...(layout.pages[0]?.nodes ?? [])].sort((a, b) => ('y' in a ? a.y : 0) - ('y' in b ? b.y : 0))
    for (const node of nodes) {
      if (node.type === 'text') parts.push(...this.text(node))
      else if (node.type === 'barcode') parts.push(...this.barcode(node, layout.width))
    }
    parts.push(FEED_4, CUT)
    return concatBytes(parts)
  }

  private text(node: TextNode): Uint8Array[] {
    const size = Math.max(1, Math.min(8, Math.round(node.size)))
    return [alignCmd(node.align), boldCmd(node.bold), sizeCmd(size), escposText(node.text), sizeCmd(1), boldCmd(false), Uint8Array.of(LF)]
  }

  private barcode(node: BarcodeNode, columns: number): Uint8Array[] {
    const out: Uint8Array[] = [alignCmd('center')]
    const data = ascii(node.payload)
    // Paper width in dots: 576 (80 mm, 48 columns) or 384 (58 mm, 32 columns).
    const dots = columns * 12
    switch (node.symbology) {
      case 'code128': {
        // In GS k CODE128 data `{` starts a code-set function; a literal `{` is sent as `{{`.
        const body = concatBytes([ascii('{B'), ascii(node.payload.replace(/\{/g, '{{'))])
        const width = Math.max(2, Math.min(6, Math.floor(dots / (11 * (data.length + 3) + 13))))
        out.push(BARCODE_HEIGHT(80), BARCODE_WIDTH(width), HRI_NONE, Uint8Array.of(GS, 0x6b, GS_K_CODE128, body.length), body)
        break
      }
      case 'code39': {
        const width = Math.max(2, Math.min(6, Math.floor(dots / (16 * (data.length + 2)))))
        out.push(BARCODE_HEIGHT(80), BARCODE_WIDTH(width), HRI_NONE, Uint8Array.of(GS, 0x6b, GS_K_CODE39, data.length), data)
        break
      }
      case 'qrcode':
        out.push(...qrBytes(new TextEncoder().encode(node.payload), columns >= 48 ? 6 : 5))
        break
    }
    out.push(Uint8Array.of(LF), alignCmd('left'))
    return out
  }
}

