/** Media names (PWG 5101.1 self-describing) and media-col sizes of the stock a printer takes. */
import { LABEL_MEDIA, LABEL_STOCK, type LabelMedia } from '../../templates/media.ts'
import type { PaperSize } from '../../domain/preferences.ts'

export interface IppMedia {
  /** PWG self-describing name, e.g. na_index-4x6_4x6in */
  name: string
  /** Hundredths of a millimetre. */
  x: number
  y: number
}

const HMM_PER_IN = 2540

const LABEL_NAMES: Readonly<Record<LabelMedia, string>> = {
  '4x6': 'na_index-4x6_4x6in',
  '2.25x1.25': 'oe_2-25x1-25-label_2.25x1.25in',
  'dymo-30252': 'oe_dymo-30252_3.5x1.125in',
}

export function labelMedia(stock: LabelMedia): IppMedia {
  const s = LABEL_STOCK[stock]
  return { name: LABEL_NAMES[stock], x: Math.round(s.widthIn * HMM_PER_IN), y: Math.round(s.heightIn * HMM_PER_IN) }
}

export const ALL_LABEL_MEDIA: readonly IppMedia[] = LABEL_MEDIA.map(labelMedia)

export const PAPER_MEDIA: Readonly<Record<PaperSize, IppMedia>> = {
  letter: { name: 'na_letter_8.5x11in', x: 21590, y: 27940 },
  a4: { name: 'iso_a4_210x297mm', x: 21000, y: 29700 },
}

/** An 80 mm receipt roll (ESC/POS printers), shown with an A4 length; what prints is as long as the page needs. */
export const RECEIPT_ROLL: IppMedia = { name: 'roll_receipt_80x297mm', x: 8000, y: 29700 }

/** The stock of a media name (PWG name or our own stock name); null when unknown. */
export function labelStockOfMedia(name: string): LabelMedia | null {
  for (const stock of LABEL_MEDIA) if (LABEL_NAMES[stock] === name || stock === name) return stock
  return null
}
