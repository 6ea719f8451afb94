import type { OutputFormat } from '../../domain/documents.ts'
import { PRINTER_LANGUAGE_DESCRIPTORS, PRINTER_LANGUAGES } from '../../domain/printer-language.ts'
import { documentMeasure, eplMeasure, zplMeasure } from '../font-metrics.ts'
import type { Layout } from '../layout.ts'
import type { TextMeasure } from '../text-metrics.ts'
import type { MonoBitmap } from '../raster/gray-image.ts'
import { eplGraphicLabel, escposRaster, zplGraphicLabel } from '../raster/label-raster.ts'
import { EplCompiler } from './epl-compiler.ts'
import { EscPosCompiler } from './escpos-compiler.ts'
import { PdfCompiler } from './pdf-compiler.ts'
import { PreviewCompiler } from './preview-compiler.ts'
import { ZplCompiler } from './zpl-compiler.ts'

/**
 * Layout → the bytes of one output format. One per format; render(), renderUnits() and the
 * print queue find theirs in LAYOUT_COMPILERS instead of switching on the format.
 */
export interface LayoutCompiler {
  readonly format: OutputFormat
  /** The unit its layouts are built in: printer dots, or PDF points. */
  readonly unit: 'dot' | 'pt'
  /**
   * What it makes of a document that is not a label: the pages of a page template (PDF, PNG),
   * a receipt (ESC/POS, from the receipt layout), or nothing (label languages: 415).
   */
  readonly documents: 'pages' | 'receipt' | null
  /** Printable units in a compiled layout: its pages (PDF), or 1. */
  units(layout: Layout): number
  /** How wide text comes out in this format at this resolution (labels are laid out with it). */
  measure(dpi: number): TextMeasure
  compile(layout: Layout, info?: { title?: string }): Uint8Array | Promise<Uint8Array>
  /** A page image as one unit of this format (documents received over IPP for a raw printer); absent for PDF and PNG. */
  readonly raster?: (image: MonoBitmap) => Uint8Array
  /** Code in this language cut into its labels (a raw document received over IPP); absent: no such documents. */
  readonly splitLabels?: (code: string) => string[]
}

const zpl = new ZplCompiler()
const epl = new EplCompiler()
const escpos = new EscPosCompiler()
const preview = new PreviewCompiler()
/** The one PDF compiler (sheets and IPP image PDFs draw with it too). */
export const pdfCompiler = new PdfCompiler()

const encoder = new TextEncoder()
const one = () => 1

/** The compiler of every output format. */
export const LAYOUT_COMPILERS: { readonly [F in OutputFormat]: LayoutCompiler & { readonly format: F } } = {
  zpl: {
    format: 'zpl',
    unit: 'dot',
    documents: null,
    units: one,
    measure: () => zplMeasure,
    compile: (layout) => encoder.encode(zpl.compile(layout)),
    raster: zplGraphicLabel,
    splitLabels: (code) => code.split(/(?<=\^XZ)/i),
  },
  epl: {
    format: 'epl',
    unit: 'dot',
    documents: null,
    units: one,
    measure: eplMeasure,
    compile: (layout) => epl.compile(layout),
    raster: eplGraphicLabel,
    splitLabels: (code) => code.split(/(?<=^P1[ \t]*\r?\n)/m),
  },
  escpos: { format: 'escpos', unit: 'dot', documents: 'receipt', units: one, measure: () => documentMeasure(), compile: (layout) => escpos.compile(layout), raster: escposRaster },
  pdf: { format: 'pdf', unit: 'pt', documents: 'pages', units: (layout) => layout.pages.length, measure: () => documentMeasure(), compile: (layout, info) => pdfCompiler.compile(layout, info) },
  png: { format: 'png', unit: 'dot', documents: 'pages', units: one, measure: () => documentMeasure(), compile: (layout) => preview.compile(layout) },
}

/** Content type of each output format's bytes: a printer language's from its descriptor. */
export const CONTENT_TYPES: Readonly<Record<OutputFormat, string>> = {
  ...(Object.fromEntries(PRINTER_LANGUAGES.map((l) => [PRINTER_LANGUAGE_DESCRIPTORS[l].format, PRINTER_LANGUAGE_DESCRIPTORS[l].contentType])) as Record<OutputFormat, string>),
  png: 'image/png',
}
