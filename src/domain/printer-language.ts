/** The languages Studio Print's printers speak (what a printer record's `language` holds). */
export const PRINTER_LANGUAGES = ['zpl', 'epl', 'escpos', 'pdf'] as const
export type PrinterLanguage = (typeof PRINTER_LANGUAGES)[number]
