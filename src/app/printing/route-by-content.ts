/**
 * The "route by content" queue's choice: a label-sized page (both sides ≤ 6.5 in) goes to a
 * label printer — the one whose loaded stock is closest in size — and anything larger to a PDF
 * printer. Pure.
 */
import type { PrinterRecord } from '../../store/printer-store.ts'
import { loadedStock } from './ipp-printing.ts'
import { printerLanguage } from '../../domain/printer-language.ts'

export const LABEL_MAX_SIDE_IN = 6.5

/** The first page's size in inches, when the document says it (PDF MediaBox, PWG PageSize); null otherwise. */
export function pageSizeOf(format: string, data: Uint8Array): { widthIn: number; heightIn: number } | null {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  if (format === 'application/pdf') {
    const m = /\/MediaBox\s*\[\s*(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s*\]/.exec(b.toString('latin1', 0, Math.min(b.length, 4 * 1024 * 1024)))
    if (!m) return null
    const [x0, y0, x1, y1] = m.slice(1).map(Number)
    return { widthIn: Math.abs(x1 - x0) / 72, heightIn: Math.abs(y1 - y0) / 72 }
  }
  if (format === 'image/pwg-raster' && b.length >= 4 + 360) return { widthIn: b.readUInt32BE(4 + 352) / 72, heightIn: b.readUInt32BE(4 + 356) / 72 }
  return null
}

export function chooseByContent(printers: PrinterRecord[], size: { widthIn: number; heightIn: number } | null, format: string): PrinterRecord | null {
  const labels = printers.filter((p) => printerLanguage(p.language).printout === 'label')
  const pdfs = printers.filter((p) => printerLanguage(p.language).printout === 'document')
  const labelSized = size === null ? format !== 'application/pdf' : Math.max(size.widthIn, size.heightIn) <= LABEL_MAX_SIDE_IN
  if (labelSized && labels.length > 0) {
    if (!size) return labels[0]
    const distance = (p: PrinterRecord) => {
      const s = loadedStock(p)
      const [a, b] = [Math.max(s.widthIn, s.heightIn), Math.min(s.widthIn, s.heightIn)]
      return Math.abs(a - Math.max(size.widthIn, size.heightIn)) + Math.abs(b - Math.min(size.widthIn, size.heightIn))
    }
    return [...labels].sort((x, y) => distance(x) - distance(y))[0]
  }
  return pdfs[0] ?? labels[0] ?? null
}
