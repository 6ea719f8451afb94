import type { OutputFormat } from './documents.ts'

/** The languages Studio Print's printers speak (what a printer record's `language` holds). */
export const PRINTER_LANGUAGES = ['zpl', 'epl', 'escpos', 'pdf'] as const
export type PrinterLanguage = (typeof PRINTER_LANGUAGES)[number]

/** The kinds of printer URI (what parsePrinterUri tells apart). */
export const PRINTER_URI_KINDS = ['tcp', 'ipp', 'usb', 'usb-lp', 'serial', 'file', 'sim'] as const
export type PrinterUriKind = (typeof PRINTER_URI_KINDS)[number]

/**
 * How a raw driver asks the printer how it is, and confirms what it was sent:
 * - `zpl-host-status`: `~HS` (then `~HQES`), answered in stream order;
 * - `escpos-dle-eot`: real-time `DLE EOT n`;
 * - `none`: no status channel — probe is a connection check, outcomes are unconfirmed, and the
 *   connection is never kept for the next job.
 * An `ipp:` printer is asked over IPP whatever its language says here.
 */
export const STATUS_PROTOCOLS = ['zpl-host-status', 'escpos-dle-eot', 'none'] as const
export type StatusProtocol = (typeof STATUS_PROTOCOLS)[number]

/** What a printer of the language prints: labels (on loaded stock), receipts (on a roll), or documents (on paper). */
export type PrintoutKind = 'label' | 'receipt' | 'document'

/** Everything the rest of the code knows about one printer language. Data only. */
export interface PrinterLanguageDescriptor {
  readonly language: PrinterLanguage
  /** What the settings page calls it. */
  readonly title: string
  /** The output format (templates' compiler) its printers are sent. */
  readonly format: OutputFormat
  readonly printout: PrintoutKind
  /** Name extension (no dot) of the files a file: printer writes. */
  readonly fileExtension: string
  /** Content type of its rendered bytes (GET /api/documents). */
  readonly contentType: string
  /** The printer URIs it may use. */
  readonly uriKinds: readonly PrinterUriKind[]
  /** The URI kinds over which copies go as a job attribute (IPP `copies`) instead of repeated units. */
  readonly copiesAsJobAttributeOver: readonly PrinterUriKind[]
  readonly statusProtocol: StatusProtocol
  /**
   * Code in this language that IPP clients may send as it is: its MIME type, and how its first
   * bytes look (application/octet-stream documents are sniffed with it). Null: they can't.
   */
  readonly ippRawFormat: { readonly mimeType: string; readonly sniff: RegExp } | null
}

const RAW_URIS = ['tcp', 'usb', 'usb-lp', 'serial', 'file', 'sim'] as const

/** One descriptor per language: a new language is one entry here (and its compiler, driver and sim). */
export const PRINTER_LANGUAGE_DESCRIPTORS = {
  zpl: {
    language: 'zpl',
    title: 'ZPL (Zebra labels)',
    format: 'zpl',
    printout: 'label',
    fileExtension: 'zpl',
    contentType: 'text/plain; charset=us-ascii',
    uriKinds: RAW_URIS,
    copiesAsJobAttributeOver: [],
    statusProtocol: 'zpl-host-status',
    ippRawFormat: { mimeType: 'application/vnd.zebra-zpl', sniff: /^\s*\^XA/ },
  },
  epl: {
    language: 'epl',
    title: 'EPL2 (labels)',
    format: 'epl',
    printout: 'label',
    fileExtension: 'epl',
    contentType: 'text/plain; charset=windows-1252',
    uriKinds: RAW_URIS,
    copiesAsJobAttributeOver: [],
    statusProtocol: 'none',
    ippRawFormat: { mimeType: 'application/vnd.eltron-epl', sniff: /^\s*N\r?\n/ },
  },
  escpos: {
    language: 'escpos',
    title: 'ESC/POS (receipts)',
    format: 'escpos',
    printout: 'receipt',
    fileExtension: 'bin',
    contentType: 'application/octet-stream',
    uriKinds: RAW_URIS,
    copiesAsJobAttributeOver: [],
    statusProtocol: 'escpos-dle-eot',
    ippRawFormat: null,
  },
  pdf: {
    language: 'pdf',
    title: 'PDF (office printer, IPP)',
    format: 'pdf',
    printout: 'document',
    fileExtension: 'pdf',
    contentType: 'application/pdf',
    // PDF over raw 9100 or into a folder is sent as it is; IPP is the usual way.
    uriKinds: ['ipp', 'tcp', 'file', 'sim'],
    copiesAsJobAttributeOver: ['ipp'],
    statusProtocol: 'none',
    ippRawFormat: null,
  },
} as const satisfies { readonly [L in PrinterLanguage]: PrinterLanguageDescriptor & { readonly language: L } }

/** The languages of label printers ('zpl' | 'epl'). */
export type LabelLanguage = { [L in PrinterLanguage]: (typeof PRINTER_LANGUAGE_DESCRIPTORS)[L]['printout'] extends 'label' ? L : never }[PrinterLanguage]

export function isPrinterLanguage(value: string): value is PrinterLanguage {
  return (PRINTER_LANGUAGES as readonly string[]).includes(value)
}

export function printerLanguage(language: PrinterLanguage): PrinterLanguageDescriptor {
  return PRINTER_LANGUAGE_DESCRIPTORS[language] as PrinterLanguageDescriptor
}

/** The languages whose printers print this kind of printout. */
export function languagesPrinting(printout: PrintoutKind): PrinterLanguage[] {
  return PRINTER_LANGUAGES.filter((l) => printerLanguage(l).printout === printout)
}

export const LABEL_LANGUAGES = languagesPrinting('label') as LabelLanguage[]

export function isLabelLanguage(value: string): value is LabelLanguage {
  return (LABEL_LANGUAGES as readonly string[]).includes(value)
}

/** The MIME type IPP clients send a language as, when they may (application/vnd.zebra-zpl). */
export type IppRawFormat = NonNullable<(typeof PRINTER_LANGUAGE_DESCRIPTORS)[PrinterLanguage]['ippRawFormat']>['mimeType']

/** The language of a raw IPP document format (undefined: not a printer language's own). */
export function languageOfIppRawFormat(format: string): PrinterLanguage | undefined {
  return PRINTER_LANGUAGES.find((l) => printerLanguage(l).ippRawFormat?.mimeType === format)
}

/** The media type of a language's bytes without its parameters ('text/plain' for ZPL), as the queue stores it. */
export function jobContentType(language: PrinterLanguage): string {
  return PRINTER_LANGUAGE_DESCRIPTORS[language].contentType.split(';')[0].trim()
}

const URI_FORMS: Readonly<Record<PrinterUriKind, string>> = {
  ipp: 'ipp://, ipps://',
  tcp: 'tcp://',
  usb: 'usb:',
  'usb-lp': 'usb:/dev/usb/lp0',
  serial: 'serial:',
  file: 'file:/',
  sim: 'sim:',
}

/**
 * Why a printer of this language can't use a URI of this kind (null: it can). The reason is
 * what PRINTER_URI_INVALID says.
 */
export function languageUriProblem(language: PrinterLanguage, kind: PrinterUriKind): string | null {
  const d = printerLanguage(language)
  if (d.uriKinds.includes(kind)) return null
  if (kind === 'ipp') {
    const takers = PRINTER_LANGUAGES.filter((l) => printerLanguage(l).uriKinds.includes('ipp'))
    return `an IPP printer takes documents (language ${takers.join(' or ')}), not ${language}`
  }
  const forms = d.uriKinds.map((k) => URI_FORMS[k])
  return `a ${language} printer needs ${forms.slice(0, -1).join(', ')} or ${forms[forms.length - 1]}`
}

/** Each language's name on the settings page, in the table's order. */
export const PRINTER_LANGUAGE_TITLES = Object.fromEntries(
  Object.values(PRINTER_LANGUAGE_DESCRIPTORS).map((d) => [d.language, d.title]),
) as Readonly<Record<PrinterLanguage, string>>
