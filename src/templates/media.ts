import type { PaperSize } from '../domain/preferences.ts'
import { ValidationError } from '../domain/errors.ts'

/** Label stock (DOMAIN.md, "Stock"). Sizes in inches, as the label feeds (width across the head). */
export const LABEL_MEDIA = ['4x6', '2.25x1.25', 'dymo-30252'] as const
export type LabelMedia = (typeof LABEL_MEDIA)[number]

export const SHEET_MEDIA = ['avery-5160'] as const
export type SheetMedia = (typeof SHEET_MEDIA)[number]

export interface LabelStock {
  readonly name: LabelMedia
  readonly widthIn: number
  readonly heightIn: number
}

export const LABEL_STOCK: Readonly<Record<LabelMedia, LabelStock>> = Object.freeze({
  '4x6': { name: '4x6', widthIn: 4, heightIn: 6 },
  '2.25x1.25': { name: '2.25x1.25', widthIn: 2.25, heightIn: 1.25 },
  // DYMO 30252 address labels, 1-1/8 x 3-1/2 in, printed landscape (the long side across).
  'dymo-30252': { name: 'dymo-30252', widthIn: 3.5, heightIn: 1.125 },
})

export const DPIS = [203, 300] as const
export type Dpi = (typeof DPIS)[number]

/** Avery 5160: 30 labels (3 across, 10 down) of 2-5/8 x 1 in on Letter. Points. */
export const AVERY_5160 = Object.freeze({
  pageWidth: 612,
  pageHeight: 792,
  columns: 3,
  rows: 10,
  labelWidth: 189, // 2.625 in
  labelHeight: 72, // 1 in
  left: 13.5, // 0.1875 in
  top: 36, // 0.5 in
  columnPitch: 198, // 2.75 in
  rowPitch: 72,
  perSheet: 30,
})

/** Document pages in points. */
export const PAPER: Readonly<Record<PaperSize, { width: number; height: number }>> = Object.freeze({
  letter: { width: 612, height: 792 },
  a4: { width: 595.28, height: 841.89 },
})

export function labelStock(media: string | undefined, fallback: LabelMedia = '4x6'): LabelStock {
  const name = media ?? fallback
  if (!(LABEL_MEDIA as readonly string[]).includes(name)) {
    throw new ValidationError(`media must be one of ${[...LABEL_MEDIA, ...SHEET_MEDIA].join(', ')}`, { media: name }, 'MEDIA_UNKNOWN')
  }
  return LABEL_STOCK[name as LabelMedia]
}

export function isSheetMedia(media: string | undefined): media is SheetMedia {
  return media !== undefined && (SHEET_MEDIA as readonly string[]).includes(media)
}

export function assertDpi(dpi: number | undefined): Dpi {
  const value = dpi ?? 203
  if (!(DPIS as readonly number[]).includes(value)) throw new ValidationError('dpi must be 203 or 300', { dpi: value }, 'DPI_UNSUPPORTED')
  return value as Dpi
}
