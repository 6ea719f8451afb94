/**
 * Studio Print rendering engine: template + record -> neutral layout -> ZPL, EPL2, PDF, PNG,
 * ESC/POS. Pure apart from reading a font file once (fonts.ts); no DB, no HTTP.
 */
import { type BarcodeSpec, type DocumentSubject, type OutputFormat, assertFormat, FormatNotSupportedError } from '../domain/documents.ts'
import type { StudioInfo } from '../domain/preferences.ts'
import { isLabelLanguage, type LabelLanguage } from '../domain/printer-language.ts'
import { AppError, ValidationError } from '../domain/errors.ts'
import { assertEncodable } from './barcode-geometry.ts'
import { buildDocumentLayout, buildLabelLayout, buildReceiptLayout, type LabelFrame } from './build-layout.ts'
import { BUILTIN_DOCUMENTS } from './builtin/documents.ts'
import { BUILTIN_LABELS } from './builtin/labels.ts'
import { CONTENT_TYPES, LAYOUT_COMPILERS, pdfCompiler as pdf } from './compilers/layout-compilers.ts'
import { collect } from './compilers/pdf-compiler.ts'
import { renderRawEpl, renderRawZpl, validateTemplate } from './custom-templates.ts'
import { fieldValues, type FieldValues } from './fields.ts'
import { documentMeasure } from './font-metrics.ts'
import type { Layout } from './layout.ts'
import { AVERY_5160, type Dpi, assertDpi, isSheetMedia, labelStock, type LabelStock } from './media.ts'
import { isLabelDocument, type LabelDocument, type LabelTemplate, type LayoutTemplate, type RawTemplate, type RawTemplateKind } from './template.ts'
import { previewDots } from './zpl-preview-limits.ts'

export type { Layout, LayoutNode, TextNode, BarcodeNode, BoxNode, LineNode, ImageNode } from './layout.ts'
export type { LabelTemplate, LayoutTemplate, RawTemplate, LabelElement, LabelLayoutBody, TemplateKind, LabelDocument, DocumentTemplate } from './template.ts'
export { TEMPLATE_KINDS, LABEL_DOCUMENTS, PAGE_DOCUMENTS } from './template.ts'
export { TEMPLATE_FIELDS, TEMPLATE_TABLES, TABLE_FIELDS, fieldValues } from './fields.ts'
export { LABEL_MEDIA, SHEET_MEDIA, LABEL_STOCK, AVERY_5160, DPIS, PAPER } from './media.ts'
export type { LabelMedia, SheetMedia, Dpi } from './media.ts'
export { validateTemplate, type TemplateProblem } from './custom-templates.ts'
export { ZplCompiler, zplFieldData } from './compilers/zpl-compiler.ts'
export { EplCompiler, eplQuoted } from './compilers/epl-compiler.ts'
export { PdfCompiler } from './compilers/pdf-compiler.ts'
export { PreviewCompiler } from './compilers/preview-compiler.ts'
export { EscPosCompiler, escposText } from './compilers/escpos-compiler.ts'
export { LAYOUT_COMPILERS, CONTENT_TYPES, type LayoutCompiler } from './compilers/layout-compilers.ts'
export { fontNote } from './fonts.ts'
export { buildDocumentLayout, buildLabelLayout, buildReceiptLayout } from './build-layout.ts'

export interface RenderRequest {
  subject: DocumentSubject
  format: OutputFormat
  studio: StudioInfo
  barcode: BarcodeSpec | null
  /** Label stock: '4x6' (default), '2.25x1.25', 'dymo-30252', or 'avery-5160' (PDF only). */
  media?: string
  dpi?: 203 | 300
  receiptWidthMm?: 80 | 58
  /** A studio's label template (validated by validateTemplate); built-in when absent. */
  template?: LabelTemplate
  /** Avery sheets: the first free position on a part-used sheet (1–30). */
  startPosition?: number
  /** A PNG label laid out as this printer language prints it (its font's widths), for previews. */
  layoutAs?: LabelLanguage
}

export interface RenderResult {
  contentType: string
  bytes: Uint8Array
  /** Independently printable units: labels, pages, or 1 for a receipt or preview. */
  units: number
}

/** Renders one document of one record. Throws FormatNotSupportedError (415) for formats it lacks. */
export async function render(req: RenderRequest): Promise<RenderResult> {
  const document = req.subject.document
  const format = assertFormat(document, req.format)
  if (req.barcode) assertEncodable(req.barcode.symbology, req.barcode.payload)
  if (isLabelDocument(document)) {
    if (format === 'pdf' && isSheetMedia(req.media)) {
      const bytes = await collectChunks(renderSheet({ items: [{ subject: req.subject, barcode: req.barcode }], studio: req.studio, template: req.template, startPosition: req.startPosition }))
      return { contentType: CONTENT_TYPES.pdf, bytes, units: 1 }
    }
    const bytes = renderLabel({ ...req, format: format as LabelFormat })
    return { contentType: CONTENT_TYPES[format], bytes: await bytes, units: 1 }
  }
  const template = BUILTIN_DOCUMENTS[document as keyof typeof BUILTIN_DOCUMENTS]
  const compiler = LAYOUT_COMPILERS[format]
  if (compiler.documents === 'receipt') {
    if (req.subject.document !== 'invoice') throw new FormatNotSupportedError(document, format)
    const layout = buildReceiptLayout(req.subject, { studio: req.studio, barcode: req.barcode, widthMm: req.receiptWidthMm ?? 80 })
    return { contentType: CONTENT_TYPES[format], bytes: await compiler.compile(layout), units: compiler.units(layout) }
  }
  const layout = buildDocumentLayout(template, req.subject, { studio: req.studio, barcode: req.barcode, measure: documentMeasure() })
  if (compiler.documents !== 'pages') throw new FormatNotSupportedError(document, format)
  return { contentType: CONTENT_TYPES[format], bytes: await compiler.compile(layout, { title: documentTitle(layout) }), units: compiler.units(layout) }
}

function documentTitle(layout: Layout): string {
  return `Studio Print ${layout.pages.length}-page document`
}

type LabelFormat = LabelLanguage | 'pdf' | 'png'

/** The layout of one label of a subject (layout templates only). */
export function labelLayout(req: Pick<RenderRequest, 'subject' | 'studio' | 'barcode' | 'media' | 'dpi'> & { template?: LayoutTemplate; unit?: 'dot' | 'pt'; format?: LabelFormat }): Layout {
  const document = req.subject.document
  if (!isLabelDocument(document)) throw new ValidationError(`${document} is not a label`, { document })
  const stock = labelStock(req.media)
  const template = req.template ?? builtinLabel(document, stock)
  const values = fieldValues(req.subject, req.studio, req.barcode?.payload ?? null)
  const unit = req.unit ?? 'dot'
  const dpi = unit === 'pt' ? 72 : assertDpi(req.dpi)
  const measure = req.format ? LAYOUT_COMPILERS[req.format].measure(dpi) : undefined
  const frame: LabelFrame = { unit, dpi, widthIn: stock.widthIn, heightIn: stock.heightIn, measure, logo: req.studio.logoPng }
  return buildLabelLayout(template.body, values, req.barcode, frame)
}

function builtinLabel(document: LabelDocument, stock: LabelStock | 'sheet'): LayoutTemplate {
  const set = BUILTIN_LABELS[document]
  return stock !== 'sheet' && stock.widthIn >= 3.5 && stock.heightIn >= 3.5 ? set.large : set.small
}

function checkTemplate(document: LabelDocument, template: LabelTemplate | undefined): LabelTemplate | undefined {
  if (!template) return undefined
  const valid = validateTemplate(template)
  if (valid.document !== document) throw new ValidationError(`The template is for ${valid.document}, not ${document}.`, { template: valid.document, document }, 'TEMPLATE_INVALID')
  return valid
}

async function renderLabel(req: RenderRequest & { format: LabelFormat }): Promise<Uint8Array> {
  const document = req.subject.document as LabelDocument
  const template = checkTemplate(document, req.template)
  if (template && template.kind !== 'layout') return rawLabel(template, req)
  const compiler = LAYOUT_COMPILERS[req.format]
  const measured = req.format === 'png' && req.layoutAs ? req.layoutAs : req.format
  const layout = labelLayout({ ...req, template: template as LayoutTemplate | undefined, unit: compiler.unit, format: measured })
  return compiler.compile(layout)
}

/**
 * A label of a studio's own ZPL or EPL template: in its language as filled in, or as PNG or PDF
 * drawn from that code by the language's renderer (zpl-renderer-js; src/templates/epl, which
 * hw-sim's EPL printer draws with too) on the label stock. The other printer language can't be made from it (415, naming what can).
 */
async function rawLabel(template: RawTemplate, req: RenderRequest & { format: LabelFormat }): Promise<Uint8Array> {
  const document = template.document
  const values = fieldValues(req.subject, req.studio, req.barcode?.payload ?? null)
  const raw = RAW_TEMPLATES[template.kind]
  const code = raw.fill(template.body, values, req.barcode !== null)
  if (req.format === template.kind) return code
  if (isLabelLanguage(req.format)) throw new FormatNotSupportedError(document, req.format, template.kind)
  // A PNG "as the other language's printer prints it" can't be either.
  if (req.layoutAs && req.layoutAs !== template.kind) throw new FormatNotSupportedError(document, req.layoutAs, template.kind)
  const stock = labelStock(req.media)
  const dpi = assertDpi(req.dpi)
  const png = await raw.png(code, stock, dpi)
  if (req.format === 'png') return png
  return imagesPdf([png], stock.widthIn * 72, stock.heightIn * 72, `Studio Print ${document}`)
}

/** A studio's own template in each printer language it may write one in: filled in, and drawn as PNG. */
const RAW_TEMPLATES: { readonly [K in RawTemplateKind]: { fill(body: string, values: FieldValues, barcode: boolean): Uint8Array; png(code: Uint8Array, stock: LabelStock, dpi: Dpi): Promise<Uint8Array> } } = {
  zpl: {
    fill: (body, values, barcode) => new TextEncoder().encode(renderRawZpl(body, values, barcode)),
    png: (code, stock, dpi) => previewZpl(new TextDecoder().decode(code), { dpmm: dpi === 300 ? 12 : 8, widthIn: stock.widthIn, heightIn: stock.heightIn }),
  },
  epl: { fill: renderRawEpl, png: eplPng },
}

/** An EPL label drawn by the EPL renderer (src/templates/epl), loaded when first needed. */
async function eplPng(code: Uint8Array, stock: LabelStock, dpi: Dpi): Promise<Uint8Array> {
  const { renderEpl } = await import('./epl/render-epl.ts')
  const [label] = renderEpl(code, { width: Math.round(stock.widthIn * dpi), length: Math.round(stock.heightIn * dpi) })
  if (!label) throw new ValidationError('The EPL template prints no label (P1).', {}, 'TEMPLATE_INVALID')
  return label.png
}

// --- batches -----------------------------------------------------------------------------------

export interface LabelItem {
  subject: DocumentSubject
  barcode: BarcodeSpec | null
}

export interface LabelBatchRequest {
  items: Iterable<LabelItem> | AsyncIterable<LabelItem>
  format: LabelLanguage
  studio: StudioInfo
  media?: string
  dpi?: 203 | 300
  template?: LabelTemplate
  /** Resume: skip the first `startAt` items (0-based index of the first label to emit). */
  startAt?: number
}

export interface RenderUnit {
  /** 0-based position of the label in the batch. */
  index: number
  /** One complete ZPL `^XA…^XZ` or EPL `N…P1` label. */
  bytes: Uint8Array
}

/**
 * Renders labels one by one as independently printable units, so that a print queue can stream
 * thousands, report progress and resume from label N (`startAt`).
 */
export async function* renderUnits(req: LabelBatchRequest): AsyncGenerator<RenderUnit> {
  const startAt = req.startAt ?? 0
  let index = 0
  for await (const item of req.items) {
    if (index >= startAt) {
      const document = item.subject.document
      assertFormat(document, req.format)
      if (!isLabelDocument(document)) throw new FormatNotSupportedError(document, req.format)
      const template = checkTemplate(document, req.template)
      let bytes: Uint8Array
      if (template && template.kind !== 'layout') {
        if (template.kind !== req.format) throw new FormatNotSupportedError(document, req.format, template.kind)
        const values = fieldValues(item.subject, req.studio, item.barcode?.payload ?? null)
        bytes = RAW_TEMPLATES[template.kind].fill(template.body, values, item.barcode !== null)
      } else {
        const layout = labelLayout({ subject: item.subject, studio: req.studio, barcode: item.barcode, media: req.media, dpi: req.dpi, template: template as LayoutTemplate | undefined, format: req.format })
        bytes = await LAYOUT_COMPILERS[req.format].compile(layout)
      }
      yield { index, bytes }
    }
    index++
  }
}

export interface SheetRequest {
  items: Iterable<LabelItem> | AsyncIterable<LabelItem>
  studio: StudioInfo
  /** Layout template for each label (raw ZPL/EPL templates cannot print on sheets). */
  template?: LabelTemplate
  /** First free position on the first sheet, 1–30 (positions 1…N-1 are skipped). */
  startPosition?: number
}

/**
 * Avery 5160 sheets (30-up Letter) as a PDF byte stream. Pages are drawn and flushed one at a
 * time, so memory stays flat however many labels there are.
 */
export async function* renderSheet(req: SheetRequest): AsyncGenerator<Uint8Array> {
  const start = req.startPosition ?? 1
  if (!Number.isInteger(start) || start < 1 || start > AVERY_5160.perSheet) {
    throw new ValidationError(`startPosition must be 1–${AVERY_5160.perSheet}`, { startPosition: start }, 'START_POSITION_INVALID')
  }
  if (req.template && req.template.kind !== 'layout') throw new AppError('FORMAT_NOT_SUPPORTED', 'unsupported', 'Raw ZPL/EPL templates cannot print on sheet stock.', { kind: req.template.kind })
  const { doc, fonts } = pdf.open([AVERY_5160.pageWidth, AVERY_5160.pageHeight], { title: 'Avery 5160 labels' })
  const chunks: Uint8Array[] = []
  let ended = false
  let failure: unknown = null
  doc.on('data', (c: Buffer) => chunks.push(c))
  doc.on('end', () => (ended = true))
  doc.on('error', (e: unknown) => (failure = e))
  let position = start - 1
  let pageOpen = false
  for await (const item of req.items) {
    const document = item.subject.document
    if (!isLabelDocument(document)) throw new FormatNotSupportedError(document, 'pdf')
    if (!pageOpen || position >= AVERY_5160.perSheet) {
      if (pageOpen) {
        position = 0
        // Hand over what the finished page produced before drawing the next.
        while (chunks.length > 0) yield chunks.shift()!
      }
      doc.addPage({ size: [AVERY_5160.pageWidth, AVERY_5160.pageHeight], margin: 0 })
      pageOpen = true
    }
    const template = checkTemplate(document, req.template) as LayoutTemplate | undefined
    const values = fieldValues(item.subject, req.studio, item.barcode?.payload ?? null)
    const layout = buildLabelLayout((template ?? builtinLabel(document, 'sheet')).body, values, item.barcode, {
      unit: 'pt',
      dpi: 72,
      widthIn: AVERY_5160.labelWidth / 72,
      heightIn: AVERY_5160.labelHeight / 72,
      measure: documentMeasure(),
      logo: req.studio.logoPng,
    })
    const col = position % AVERY_5160.columns
    const row = Math.floor(position / AVERY_5160.columns)
    const dx = AVERY_5160.left + col * AVERY_5160.columnPitch
    const dy = AVERY_5160.top + row * AVERY_5160.rowPitch
    for (const node of layout.pages[0].nodes) pdf.draw(doc, fonts, node, dx, dy)
    position++
  }
  if (!pageOpen) doc.addPage({ size: [AVERY_5160.pageWidth, AVERY_5160.pageHeight], margin: 0 })
  const done = new Promise<void>((resolve, reject) => {
    if (ended) resolve()
    doc.on('end', () => resolve())
    doc.on('error', reject)
  })
  doc.end()
  await done
  if (failure) throw failure
  while (chunks.length > 0) yield chunks.shift()!
}

async function collectChunks(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  for await (const c of stream) parts.push(c)
  return new Uint8Array(Buffer.concat(parts))
}

// --- Labelary-style preview of arbitrary ZPL -----------------------------------------------------

export const PREVIEW_DPMM = [6, 8, 12, 24] as const

type PreviewOptions = { dpmm: 6 | 8 | 12 | 24; widthIn: number; heightIn: number }

/** PNG of a user's ZPL (first label) through zpl-renderer-js. */
export async function previewZpl(zplText: string, opts: PreviewOptions): Promise<Uint8Array> {
  return (await previewZplLabels(zplText, opts, 1))[0]
}

/**
 * PNGs of the labels of a user's ZPL through zpl-renderer-js, for `POST /api/preview`: every
 * label, or the first `first`. Sized as Labelary sizes them (previewDots: 4 × 6 in at 8 dpmm is
 * 812 × 1218 dots).
 */
export async function previewZplLabels(zplText: string, opts: PreviewOptions, first?: number): Promise<Uint8Array[]> {
  if (!(PREVIEW_DPMM as readonly number[]).includes(opts.dpmm)) throw new ValidationError('dpmm must be 6, 8, 12 or 24', { dpmm: opts.dpmm })
  for (const k of ['widthIn', 'heightIn'] as const) {
    if (!(Number.isFinite(opts[k]) && opts[k] > 0 && opts[k] <= 15)) throw new ValidationError(`${k} must be between 0 and 15 inches`, { [k]: opts[k] })
  }
  if (zplText.length > 1_000_000) throw new ValidationError('ZPL longer than 1 MB', { length: zplText.length })
  let api: { zplToBase64Async: (zpl: string, w?: number, h?: number, dpmm?: number) => Promise<string>; zplToBase64MultipleAsync: (zpl: string, w?: number, h?: number, dpmm?: number) => Promise<string[]> }
  try {
    api = (await (await import('zpl-renderer-js')).ready).api
  } catch (cause) {
    throw new AppError('PREVIEW_UNAVAILABLE', 'unavailable', 'The ZPL preview renderer (zpl-renderer-js) is not installed.', undefined, { cause })
  }
  // The renderer takes millimetres and rounds dots up: the exact dots over dpmm give exactly those dots.
  const dots = previewDots(opts)
  const [w, h] = [dots.width / opts.dpmm, dots.height / opts.dpmm]
  try {
    const b64 = first === 1 ? [await api.zplToBase64Async(zplText, w, h, opts.dpmm)] : await api.zplToBase64MultipleAsync(zplText, w, h, opts.dpmm)
    return b64.slice(0, first).map((b) => new Uint8Array(Buffer.from(b, 'base64')))
  } catch (cause) {
    throw new ValidationError('The ZPL could not be rendered.', { reason: String(cause).slice(0, 200) }, 'ZPL_INVALID')
  }
}

/** Label images as a PDF, one page each of the label's size (points). */
export async function imagesPdf(pngs: readonly Uint8Array[], widthPt: number, heightPt: number, title: string): Promise<Uint8Array> {
  const { doc } = pdf.open([widthPt, heightPt], { title })
  const done = collect(doc)
  pngs.forEach((png) => {
    doc.addPage({ size: [widthPt, heightPt], margin: 0 })
    doc.image(Buffer.from(png), 0, 0, { width: widthPt, height: heightPt })
  })
  doc.end()
  return done
}

export type { Dpi as LabelDpi }
