export const SYMBOLOGIES = ['code128', 'code39', 'qrcode'] as const
export type Symbology = (typeof SYMBOLOGIES)[number]

/** The studio's barcoding preferences: one toggle per kind of printout (DOMAIN.md). */
export interface BarcodingPreferences {
  clientPrintouts: boolean // client profile, client account label
  sessionPrintouts: boolean // session and photographer confirmations
  invoicePrintouts: boolean // invoices (and the receipt)
  productionOrders: boolean // work orders, purchase orders, order bag labels
  symbology: Symbology
}

export const DEFAULT_BARCODING: BarcodingPreferences = {
  clientPrintouts: true,
  sessionPrintouts: true,
  invoicePrintouts: true,
  productionOrders: true,
  symbology: 'code128',
}

export const PAPER_SIZES = ['letter', 'a4'] as const
export type PaperSize = (typeof PAPER_SIZES)[number]

/** What every document's header shows, and studio-wide document settings. */
export interface StudioInfo {
  name: string
  addressLines: string[]
  phone: string
  email: string | null
  /** PNG bytes of the logo, or null. */
  logoPng: Uint8Array | null
  /**
   * SHA-256 (hex) of `logoPng` when the store that read it knows it: a render then need not hash
   * the logo again to find its verified copy. Ignored when the header is saved (computed anew).
   */
  logoSha256?: string | null
  paper: PaperSize
  /** Photographer confirmations show fees only when this is on. */
  photographerFees: boolean
  /**
   * IANA time zone (e.g. 'America/New_York') in which printouts show session dates and times.
   * Until the studio chooses one (`timeZoneSet` false) it is the server's zone.
   */
  timeZone: string
  /** Whether the studio has chosen its time zone (settings ask until it has). */
  timeZoneSet: boolean
  /** ISO 4217 code of the studio's currency; every amount on a printout is shown in it. */
  currency: string
}

/** The currency a studio starts with: US dollars (the studio has no locale setting to derive another from). */
export const DEFAULT_CURRENCY = 'USD'

export const DEFAULT_STUDIO: StudioInfo = {
  name: 'Studio Print Demo Studio',
  addressLines: ['12 Harbour Street', 'Portland, ME 04101'],
  phone: '(207) 555-0142',
  email: 'hello@studio.example',
  logoPng: null,
  paper: 'letter',
  photographerFees: false,
  timeZone: 'UTC',
  timeZoneSet: false,
  currency: DEFAULT_CURRENCY,
}

export function isSymbology(value: unknown): value is Symbology {
  return typeof value === 'string' && (SYMBOLOGIES as readonly string[]).includes(value)
}
