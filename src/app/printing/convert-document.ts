/**
 * A document received over IPP (PDF, JPEG, PWG raster, or the printer's own language) turned
 * into the units the queue sends its printer: one label per page for label printers (fitted
 * to the loaded stock, at the printer's resolution), one PDF for PDF printers. Runs in a render
 * worker (render-tasks.ts `ipp-document`), never on the event loop.
 */
import PDFDocument from 'pdfkit'
import { AppError, DocumentUnreadableError, DocumentTooLargeError } from '../../domain/errors.ts'
import { fitToLabel, toMono, type GrayImage } from '../../templates/raster/gray-image.ts'
import { LAYOUT_COMPILERS } from '../../templates/compilers/layout-compilers.ts'
import { languageOfIppRawFormat, PRINTER_LANGUAGES, printerLanguage, type IppRawFormat, type PrinterLanguage } from '../../domain/printer-language.ts'
import { decodePwgRaster, PwgRasterError } from '../../templates/raster/pwg-raster.ts'
import { encodeRgbaPng } from '../../templates/compilers/png-encoder.ts'
import { validateTemplate } from '../../templates/custom-templates.ts'
import { isRawTemplateKind } from '../../templates/template.ts'
import { PdfRasterError, rasterizePdf } from '../render/rasterize-pdf.ts'

/** The formats a printer may be sent over IPP, besides the raw language of label printers. */
export const CONVERTIBLE_FORMATS = ['application/pdf', 'image/jpeg', 'image/pwg-raster'] as const
export type DocumentFormat = (typeof CONVERTIBLE_FORMATS)[number] | IppRawFormat

export type ConversionTarget =
  /** A printer of labels or receipts: heightDots 0 is a roll (ESC/POS), each page scaled to the width and as long as it needs (at most MAX_ROLL_DOTS). */
  | { kind: 'dots'; language: PrinterLanguage; widthDots: number; heightDots: number; dpi: number }
  /** A printer of documents (PDF) on paper of this size. */
  | { kind: 'paper'; language: PrinterLanguage; widthPt: number; heightPt: number }

/** Per-document limits (the document's byte size is limited before it gets here). */
export const CONVERSION_LIMITS = { maxPages: 200, maxPixelsPerPage: 40_000_000, rasterTimeoutMs: 20_000, maxRollDots: 8_000 } as const

export interface ConvertRequest {
  format: DocumentFormat
  bytes: Uint8Array
  target: ConversionTarget
  /** Pages to keep (1-based, inclusive) where pages are rasterised; null: all. */
  pageRanges?: Array<[number, number]> | null
}

export interface Converted {
  units: Uint8Array[]
  pages: number
}

/** The formats a printer of this language takes over IPP, in the order they are advertised. */
export function formatsFor(language: PrinterLanguage): string[] {
  const raw = printerLanguage(language).ippRawFormat
  return [...CONVERTIBLE_FORMATS, ...(raw ? [raw.mimeType] : [])]
}

/** What an application/octet-stream document is, by its first bytes (null: unknown). */
export function sniffFormat(bytes: Uint8Array): DocumentFormat | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 16)).toString('latin1')
  if (head.startsWith('%PDF')) return 'application/pdf'
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg'
  if (head.startsWith('RaS2')) return 'image/pwg-raster'
  for (const language of PRINTER_LANGUAGES) {
    const raw = printerLanguage(language).ippRawFormat
    if (raw?.sniff.test(head)) return raw.mimeType as IppRawFormat
  }
  return null
}

export async function convertDocument(req: ConvertRequest): Promise<Converted> {
  try {
    return await convert(req)
  } catch (err) {
    if (err instanceof AppError) throw err
    if ((err instanceof PdfRasterError || err instanceof PwgRasterError) && err.tooLarge) throw new DocumentTooLargeError(err.message)
    if (err instanceof PdfRasterError && /not installed/.test(err.message)) throw err
    throw new DocumentUnreadableError(`The ${req.format} document can't be read: ${(err as Error).message}`)
  }
}

async function convert({ format, bytes, target, pageRanges }: ConvertRequest): Promise<Converted> {
  const rawLanguage = languageOfIppRawFormat(format)
  if (rawLanguage) return rawLabels(format, rawLanguage, bytes, target.language)
  if (target.kind === 'paper') {
    if (format === 'application/pdf') {
      if (!Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(5, bytes.byteLength)).toString('latin1').startsWith('%PDF')) throw new DocumentUnreadableError('The document does not start with %PDF.')
      return { units: [bytes], pages: 1 }
    }
    if (format === 'image/jpeg') return { units: [await imagePdf(Buffer.from(bytes), target)], pages: 1 }
    const pages = decodePwgRaster(bytes, { maxPages: CONVERSION_LIMITS.maxPages, maxPixels: CONVERSION_LIMITS.maxPixelsPerPage })
    return { units: [await grayPagesPdf(pages, target)], pages: pages.length }
  }
  const raster = LAYOUT_COMPILERS[printerLanguage(target.language).format].raster
  if (!raster) throw new DocumentUnreadableError(`A ${target.language} printer does not take ${format}.`)
  const longSide = target.heightDots === 0 ? CONVERSION_LIMITS.maxRollDots : Math.max(target.widthDots, target.heightDots)
  let pages: GrayImage[]
  if (format === 'image/pwg-raster') pages = decodePwgRaster(bytes, { maxPages: CONVERSION_LIMITS.maxPages, maxPixels: CONVERSION_LIMITS.maxPixelsPerPage })
  else {
    // A JPEG becomes a one-page PDF (pdfkit embeds it as it is), so poppler decodes both.
    const pdf = format === 'image/jpeg' ? await imagePdf(Buffer.from(bytes), null) : bytes
    pages = await rasterizePdf(pdf, { longSide, width: target.heightDots === 0 ? target.widthDots : undefined, maxPages: CONVERSION_LIMITS.maxPages, timeoutMs: CONVERSION_LIMITS.rasterTimeoutMs })
  }
  if (pageRanges) pages = pages.filter((_, i) => pageRanges.some(([lo, hi]) => i + 1 >= lo && i + 1 <= hi))
  if (pages.length === 0) throw new DocumentUnreadableError('page-ranges select no page of the document')
  const mode = format === 'image/jpeg' ? 'dither' : 'threshold'
  const units = pages.map((p) => {
    const height = target.heightDots || Math.min(CONVERSION_LIMITS.maxRollDots, Math.max(1, Math.round((p.height * target.widthDots) / p.width)))
    const mono = toMono(fitToLabel(p, target.widthDots, height, target.heightDots !== 0), mode)
    return raster(mono)
  })
  return { units, pages: units.length }
}

/** Raw ZPL or EPL, split into labels, each checked as a studio's raw template is (one label, no device settings). */
function rawLabels(format: DocumentFormat, kind: PrinterLanguage, bytes: Uint8Array, language: PrinterLanguage): Converted {
  const split = LAYOUT_COMPILERS[printerLanguage(kind).format].splitLabels
  if (kind !== language || !split || !isRawTemplateKind(kind)) throw new DocumentUnreadableError(`A ${language} printer does not take ${format}.`)
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
  const labels = split(text)
  const units: Uint8Array[] = []
  for (const label of labels) {
    if (label.trim() === '') continue
    if (units.length >= CONVERSION_LIMITS.maxPages) throw new DocumentTooLargeError(`more than ${CONVERSION_LIMITS.maxPages} labels`)
    try {
      validateTemplate({ document: 'client-label', kind, body: label.trim() })
    } catch (err) {
      throw new DocumentUnreadableError(`Label ${units.length + 1} is refused: ${(err as Error).message}`)
    }
    units.push(new Uint8Array(Buffer.from(label.trim() + '\n', 'latin1')))
  }
  if (units.length === 0) throw new DocumentUnreadableError('The document holds no label.')
  return { units, pages: units.length }
}

function pdfBytes(build: (doc: PDFKit.PDFDocument) => void): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ autoFirstPage: false, compress: true, info: { Producer: 'Studio Print' } })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))))
    doc.on('error', reject)
    try {
      build(doc)
      doc.end()
    } catch (err) {
      reject(err)
    }
  })
}

/** A JPEG on one page: the paper's (fitted, centred) or, without a target, a page of the image's own size. */
function imagePdf(jpeg: Buffer, target: Extract<ConversionTarget, { kind: 'paper' }> | null): Promise<Uint8Array> {
  return pdfBytes((doc) => {
    const image = (doc as unknown as { openImage(src: Buffer): { width: number; height: number } }).openImage(jpeg)
    const w = target?.widthPt ?? image.width
    const h = target?.heightPt ?? image.height
    doc.addPage({ size: [w, h], margin: 0 })
    doc.image(image as unknown as Buffer, 0, 0, { fit: [w, h], align: 'center', valign: 'center' })
  })
}

/** Raster pages on the paper, each fitted and centred. */
function grayPagesPdf(pages: GrayImage[], target: Extract<ConversionTarget, { kind: 'paper' }>): Promise<Uint8Array> {
  return pdfBytes((doc) => {
    for (const p of pages) {
      const rgba = new Uint8Array(p.width * p.height * 4)
      for (let i = 0; i < p.width * p.height; i++) {
        rgba[i * 4] = rgba[i * 4 + 1] = rgba[i * 4 + 2] = p.data[i]
        rgba[i * 4 + 3] = 255
      }
      doc.addPage({ size: [target.widthPt, target.heightPt], margin: 0 })
      doc.image(Buffer.from(encodeRgbaPng(rgba, p.width, p.height)), 0, 0, { fit: [target.widthPt, target.heightPt], align: 'center', valign: 'center' })
    }
  })
}
