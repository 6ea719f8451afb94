/**
 * The device-neutral layout tree. A layout is what a template and a record become before any
 * printer language is involved; compilers walk it (STYLE.md, "Compile through a neutral tree").
 *
 * Coordinates are in the layout's `unit`: printer dots for labels (at `dpi`), PDF points for
 * pages (72 per inch), character cells for receipts (x = column, y = line). Origin top left.
 * Every layout and every node is frozen.
 */
import type { Symbology } from '../domain/preferences.ts'

export const LAYOUT_UNITS = ['dot', 'pt', 'char'] as const
export type LayoutUnit = (typeof LAYOUT_UNITS)[number]

export interface TextNode {
  readonly type: 'text'
  readonly x: number
  readonly y: number
  /** The field's box: text never extends beyond x + width. */
  readonly width: number
  /** Font height (cap height + descender), also the line's height. */
  readonly size: number
  /** One line of text, already wrapped or cut to `width` and free of control characters. */
  readonly text: string
  readonly bold: boolean
  readonly align: 'left' | 'center' | 'right'
}

export interface BarcodeNode {
  readonly type: 'barcode'
  readonly x: number
  readonly y: number
  /** The symbol occupies exactly modules × moduleWidth across (QR: and down). */
  readonly width: number
  readonly height: number
  readonly symbology: Symbology
  readonly payload: string
  /** Width of one module (narrow bar) in the layout's unit. */
  readonly moduleWidth: number
  /** Number of modules across the symbol (without quiet zone). */
  readonly modules: number
}

export interface BoxNode {
  readonly type: 'box'
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly thickness: number
  readonly filled: boolean
}

export interface LineNode {
  readonly type: 'line'
  readonly x1: number
  readonly y1: number
  readonly x2: number
  readonly y2: number
  readonly thickness: number
}

export interface ImageNode {
  readonly type: 'image'
  readonly x: number
  readonly y: number
  readonly width: number
  readonly height: number
  readonly png: Uint8Array
}

export type LayoutNode = TextNode | BarcodeNode | BoxNode | LineNode | ImageNode

export interface LayoutPage {
  readonly nodes: readonly LayoutNode[]
}

export interface Layout {
  readonly unit: LayoutUnit
  /** Dots per inch for 'dot' layouts; 72 for 'pt'; 0 for 'char'. */
  readonly dpi: number
  readonly width: number
  readonly height: number
  readonly pages: readonly LayoutPage[]
}

export function freezeLayout(layout: Layout): Layout {
  for (const page of layout.pages) {
    for (const node of page.nodes) Object.freeze(node)
    Object.freeze(page.nodes)
    Object.freeze(page)
  }
  Object.freeze(layout.pages)
  return Object.freeze(layout)
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g

/**
 * Control characters (C0, DEL, C1) and line/paragraph separators become spaces, and the text is
 * composed (NFC): "José" typed as e + U+0301 becomes é, which every printer font has.
 */
export function cleanText(text: string): string {
  // Most text is clean and below U+0300 (where NFC changes nothing: combining marks start there):
  // look before allocating a copy.
  let composed = true
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029) return text.replace(CONTROL, ' ').normalize('NFC')
    if (c >= 0x300) composed = false
  }
  return composed ? text : text.normalize('NFC')
}
