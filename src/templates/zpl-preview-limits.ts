/**
 * Limits on what `POST /api/preview` renders: the image size (pixels), the number of fields,
 * and graphic fields whose data inflates beyond what they declare or beyond the label. A
 * preview past a limit is refused (422) before the ZPL renderer sees it.
 */
import { inflateSync } from 'node:zlib'
import { AppError } from '../domain/errors.ts'

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

/** The preview's size in dots. */
export function previewDots(size: PreviewSize): { width: number; height: number } {
  return { width: Math.round(size.widthIn * 25.4 * size.dpmm), height: Math.round(size.heightIn * 25.4 * size.dpmm) }
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

const GRAPHIC = /\^GF([ABC]),(\d+),(\d+),(\d+),|~DG[^,^~]*,(\d+),(\d+),/gi

/** The cheap part (counting, no decoding): fields and the sizes graphic fields declare. */
function checkPreviewCounts(zpl: string, size: PreviewSize): void {
  const fields = (zpl.match(/\^F[DV]/gi) ?? []).length
  if (fields > MAX_PREVIEW_FIELDS) throw tooComplex(`The ZPL has ${fields} fields; a preview renders at most ${MAX_PREVIEW_FIELDS}.`, { fields, maxFields: MAX_PREVIEW_FIELDS })
  const { width, height } = previewDots(size)
  const labelBytes = Math.ceil(width / 8) * height
  for (const m of zpl.matchAll(GRAPHIC)) {
    const declared = Number(m[3] ?? m[5])
    if (declared > labelBytes) throw tooComplex(`A graphic field declares ${declared} bytes; the whole ${width}×${height} dot label holds ${labelBytes}.`, { declared, labelBytes })
  }
}

/** Compressed graphic data decoded with a cap (CPU work: run it in a render worker). */
function checkGraphicData(zpl: string): void {
  // ^GFa,b,c,d,data — c: the graphic's size in bytes; ~DGd:o.x,t,w,data — t: the same.
  const graphic = new RegExp(GRAPHIC.source, GRAPHIC.flags)
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
