/**
 * Limits on what `POST /api/preview` renders: the image size (pixels), the number of fields,
 * and graphic fields whose data inflates beyond what they declare or beyond the label. A
 * preview past a limit is refused (422) before the ZPL renderer sees it.
 */
import { inflateSync } from 'node:zlib'
import { AppError } from '../domain/errors.ts'
import { charClass, zplFormatCount, zplPrefixes } from './zpl-encoding.ts'

/** Most pixels of a preview image: 4096 × 4096 (a 4×6 in label at 24 dpmm is 8.9 megapixels). */
export const MAX_PREVIEW_PIXELS = 4096 * 4096
/** Most fields (`^FD`/`^FV`) in a previewed ZPL: real labels have tens. */
export const MAX_PREVIEW_FIELDS = 1_000

export interface PreviewSize {
  dpmm: number
  widthIn: number
  heightIn: number
}

export function previewTooLarge(message: string, details: Record<string, unknown>): AppError {
  return new AppError('PREVIEW_TOO_LARGE', 'unprocessable', message, details)
}

function tooComplex(message: string, details: Record<string, unknown>): AppError {
  return new AppError('PREVIEW_TOO_COMPLEX', 'unprocessable', message, details)
}

/** Most labels in a previewed stream (Labelary's limit too). */
export const MAX_PREVIEW_LABELS = 50

/** The printer resolution each density stands for: 8 dpmm is a 203 dpi printer, not 203.2. */
export const PREVIEW_DPI: Readonly<Record<number, number>> = { 6: 152, 8: 203, 12: 300, 24: 600 }

/**
 * The preview's size in dots, as Labelary sizes its images: inches × the printer's dpi, rounded
 * down (4 × 6 in at 8 dpmm is 812 × 1218).
 */
export function previewDots(size: PreviewSize): { width: number; height: number } {
  const dpi = PREVIEW_DPI[size.dpmm] ?? size.dpmm * 25.4
  // A hair of tolerance: 2.3 × 300 is 689.9999… in floating point.
  return { width: Math.floor(size.widthIn * dpi + 1e-9), height: Math.floor(size.heightIn * dpi + 1e-9) }
}

/** 422 PREVIEW_TOO_LARGE when the image would have more than MAX_PREVIEW_PIXELS (cheap: no parsing). */
export function checkPreviewSize(size: PreviewSize): void {
  const { width, height } = previewDots(size)
  if (width * height > MAX_PREVIEW_PIXELS) {
    throw previewTooLarge(`A ${size.widthIn}×${size.heightIn} in preview at ${size.dpmm} dpmm is ${width}×${height} dots; at most ${MAX_PREVIEW_PIXELS} are rendered.`, { width, height, maxPixels: MAX_PREVIEW_PIXELS })
  }
}

/**
 * 422 PREVIEW_TOO_COMPLEX for too many fields, or a graphic field (`^GF`, `~DG`) that declares
 * more bytes than the whole label holds or whose compressed data (`:Z64:`, `:B64:`) decodes to
 * more than it declares. Compressed data is inflated with a cap, never to the end.
 */
export function checkPreviewZpl(zpl: string, size: PreviewSize): void {
  checkPreviewCounts(zpl, size)
  checkGraphicData(zpl)
}

/** Graphic fields, found with every caret and tilde the stream uses (`^CC`, `^CT`). */
function graphicPattern(zpl: string): RegExp {
  const { carets, tildes } = zplPrefixes(zpl)
  const c = charClass(carets)
  const t = charClass(tildes)
  return new RegExp(`${c}GF([ABC]),(\\d+),(\\d+),(\\d+),|${t}DG${charClass([',', ...carets, ...tildes], true)}*,(\\d+),(\\d+),`, 'gi')
}

/** The cheap part (counting, no decoding): labels, fields and the sizes graphic fields declare. */
export function checkPreviewCounts(zpl: string, size: PreviewSize): void {
  const labels = zplFormatCount(zpl)
  if (labels > MAX_PREVIEW_LABELS) throw tooComplex(`The ZPL has ${labels} labels; a preview renders at most ${MAX_PREVIEW_LABELS}.`, { labels, maxLabels: MAX_PREVIEW_LABELS })
  const fields = (zpl.match(new RegExp(`${charClass(zplPrefixes(zpl).carets)}F[DV]`, 'gi')) ?? []).length
  if (fields > MAX_PREVIEW_FIELDS) throw tooComplex(`The ZPL has ${fields} fields; a preview renders at most ${MAX_PREVIEW_FIELDS}.`, { fields, maxFields: MAX_PREVIEW_FIELDS })
  const { width, height } = previewDots(size)
  const labelBytes = Math.ceil(width / 8) * height
  for (const m of zpl.matchAll(graphicPattern(zpl))) {
    const declared = Number(m[3] ?? m[5])
    if (declared > labelBytes) throw tooComplex(`A graphic field declares ${declared} bytes; the whole ${width}×${height} dot label holds ${labelBytes}.`, { declared, labelBytes })
  }
}

/** Compressed graphic data decoded with a cap (CPU work: run it in a render worker). */
function checkGraphicData(zpl: string): void {
  // ^GFa,b,c,d,data — c: the graphic's size in bytes; ~DGd:o.x,t,w,data — t: the same.
  const graphic = graphicPattern(zpl)
  for (let m = graphic.exec(zpl); m; m = graphic.exec(zpl)) {
    const declared = Number(m[3] ?? m[5])
    const rest = zpl.slice(graphic.lastIndex, graphic.lastIndex + 8)
    const encoded = /^:(Z64|B64):/i.exec(rest)
    if (!encoded) continue
    const end = zpl.indexOf(':', graphic.lastIndex + 5)
    const data = Buffer.from(zpl.slice(graphic.lastIndex + 5, end < 0 ? undefined : end), 'base64')
    let decoded = data.length
    if (encoded[1].toUpperCase() === 'Z64') {
      try {
        decoded = inflateSync(data, { maxOutputLength: Math.max(1, declared) }).length
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') decoded = declared + 1
        else throw tooComplex('A graphic field’s :Z64: data is not a valid zlib stream.', { reason: (err as Error).message.slice(0, 100) })
      }
    }
    if (decoded > declared) throw tooComplex(`A graphic field’s compressed data decodes to more than the ${declared} bytes it declares.`, { declared })
  }
}
