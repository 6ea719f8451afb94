/**
 * Template objects: plain data, storable as JSON and rendered again later.
 * Label templates come in three kinds: a neutral layout with {{field}} placeholders, or a
 * studio's own raw ZPL or EPL2 (e.g. exported from ZebraDesigner) with {{field}} placeholders
 * that are filled with values escaped for that language. Documents (Letter/A4) are flowed from
 * a block list.
 */
import type { DocumentName } from '../domain/documents.ts'
import type { TableSource } from './fields.ts'

export const LABEL_DOCUMENTS = ['client-label', 'order-label'] as const
export type LabelDocument = (typeof LABEL_DOCUMENTS)[number]
export const PAGE_DOCUMENTS = [
  'client-profile', 'session-confirmation', 'photographer-confirmation', 'invoice', 'work-order', 'purchase-order',
] as const
export type PageDocument = (typeof PAGE_DOCUMENTS)[number]

export function isLabelDocument(d: DocumentName): d is LabelDocument {
  return (LABEL_DOCUMENTS as readonly string[]).includes(d)
}

/** 'layout', or a printer language a studio may write its own label template in. */
export const TEMPLATE_KINDS = ['layout', 'zpl', 'epl'] as const
export type TemplateKind = (typeof TEMPLATE_KINDS)[number]
export type RawTemplateKind = Exclude<TemplateKind, 'layout'>

export function isRawTemplateKind(kind: string): kind is RawTemplateKind {
  return kind !== 'layout' && (TEMPLATE_KINDS as readonly string[]).includes(kind)
}

/** Label elements. Coordinates and sizes in millimetres of the design size. */
export type LabelElement =
  | {
      type: 'text'
      x: number
      y: number
      width: number
      /** Font height in mm. */
      size: number
      /** Literal text with {{field}} placeholders. */
      text: string
      maxLines?: number
      bold?: boolean
      align?: 'left' | 'center' | 'right'
    }
  | {
      /** The record's barcode with its human-readable text underneath; left out when barcodes are off. */
      type: 'barcode'
      x: number
      y: number
      width: number
      height: number
    }
  | {
      /** The studio logo, fitted in its box (aspect kept); left out when the studio has none. Built-in labels only for now. */
      type: 'logo'
      x: number
      y: number
      width: number
      height: number
    }
  | { type: 'box'; x: number; y: number; width: number; height: number; thickness?: number; filled?: boolean }
  | { type: 'line'; x1: number; y1: number; x2: number; y2: number; thickness?: number }

export interface LabelLayoutBody {
  /** The size the coordinates were designed for; other stock scales them. */
  widthMm: number
  heightMm: number
  elements: LabelElement[]
}

export interface LayoutTemplate {
  document: LabelDocument
  kind: 'layout'
  body: LabelLayoutBody
}

export interface RawTemplate {
  document: LabelDocument
  kind: RawTemplateKind
  /** Printer code with {{field}} placeholders inside field data (ZPL `^FH^FD…^FS`, EPL `"…"`). */
  body: string
}

/** A label template as stored: `document`, `kind`, `body`. */
export type LabelTemplate = LayoutTemplate | RawTemplate

/** Document (page) blocks. Text values carry {{field}} placeholders. */
export type DocumentBlock = (
  | { type: 'fields'; title?: string; columns?: 1 | 2; rows: Array<{ label: string; value: string }> }
  | {
      type: 'table'
      title?: string
      source: TableSource
      columns: Array<{ header: string; value: string; width: number; align?: 'left' | 'right' }>
      empty?: string
    }
  | { type: 'text'; title: string; value: string }
  | { type: 'totals'; rows: Array<{ label: string; value: string; bold?: boolean }> }
) & {
  /** A studio setting the block depends on. */
  when?: 'photographerFees'
}

export interface DocumentTemplate {
  document: PageDocument
  kind: 'document'
  body: { title: string; blocks: DocumentBlock[] }
}
