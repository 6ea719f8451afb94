import type { Logger } from 'pino'
import { createTransport, type CreateTransportOptions } from '../transports/create-transport.ts'
import { parsePrinterUri } from '../transports/parse-printer-uri.ts'
import type { SimRegistry } from '../transports/sim-transport.ts'
import type { Transport } from '../transports/transport.ts'
import { PrinterUriInvalidError } from '../transports/transport-errors.ts'
import { PRINTER_LANGUAGES, type PrinterDriver, type PrinterLanguage } from './printer-driver.ts'
import { PrinterLanguageUnknownError } from './printer-errors.ts'
import type { RawPrinterDriverOptions } from './raw-printer-driver.ts'
import type { IppPrinterOptions } from './ipp-printer.ts'

export interface PrinterConfig {
  name: string
  language: PrinterLanguage | string
  uri: string
}

export interface CreatePrinterDriverOptions extends Omit<CreateTransportOptions, 'log' | 'simRegistry' | 'fileExtension'> {
  /** The root (or a component) logger; the driver logs under child({ component: 'printer', printer: name }). */
  log: Logger
  simRegistry?: SimRegistry
  /** Raw drivers (zpl, epl, escpos). */
  raw?: RawPrinterDriverOptions
  ipp?: IppPrinterOptions
  /** Use this transport instead of making one from the URI (tests, hw-sim). */
  transport?: Transport
}

const FILE_EXTENSIONS: Record<PrinterLanguage, string> = { zpl: 'zpl', epl: 'epl', escpos: 'bin', pdf: 'pdf' }

/**
 * Makes the driver for one printer: an explicit switch on the language with a lazy import per
 * family. `pdf` needs an `ipp://`/`ipps://` URI (or file:, which just stores the PDF);
 * `ipp(s)://` URIs only go with `pdf`. Fails with PRINTER_LANGUAGE_UNKNOWN (listing the valid
 * languages) or PRINTER_URI_INVALID (listing the valid URI forms).
 */
export async function createPrinterDriver(config: PrinterConfig, opts: CreatePrinterDriverOptions): Promise<PrinterDriver> {
  const log = opts.log.child({ component: 'printer', printer: config.name })
  const uri = parsePrinterUri(config.uri)
  const language = config.language as PrinterLanguage
  if (!(PRINTER_LANGUAGES as readonly string[]).includes(language)) throw new PrinterLanguageUnknownError(config.language, PRINTER_LANGUAGES)
  if (uri.kind === 'ipp' && language !== 'pdf') {
    throw new PrinterUriInvalidError(config.uri, `an IPP printer takes documents (language pdf), not ${language}`)
  }
  const transport = () =>
    opts.transport
      ? Promise.resolve(opts.transport)
      : createTransport(uri, { ...opts, log, simRegistry: opts.simRegistry, fileExtension: FILE_EXTENSIONS[language] })
  switch (language) {
    case 'zpl': {
      const { ZplPrinter } = await import('./zpl-printer.ts')
      return new ZplPrinter(config.name, await transport(), log, opts.raw)
    }
    case 'epl': {
      const { EplPrinter } = await import('./epl-printer.ts')
      return new EplPrinter(config.name, await transport(), log, opts.raw)
    }
    case 'escpos': {
      const { EscPosPrinter } = await import('./escpos-printer.ts')
      return new EscPosPrinter(config.name, await transport(), log, opts.raw)
    }
    case 'pdf': {
      if (uri.kind === 'ipp') {
        const { IppPrinter } = await import('./ipp-printer.ts')
        return new IppPrinter(config.name, uri, log, opts.ipp)
      }
      if (uri.kind !== 'file' && uri.kind !== 'sim' && uri.kind !== 'tcp') {
        throw new PrinterUriInvalidError(config.uri, 'a pdf printer needs ipp://, ipps://, tcp://, file:/ or sim: ')
      }
      // PDF over raw 9100 / into a folder: sent as is, no status channel.
      const { RawPdfPrinter } = await import('./raw-pdf-printer.ts')
      return new RawPdfPrinter(config.name, await transport(), log, opts.raw)
    }
    default: {
      const never: never = language
      throw new PrinterLanguageUnknownError(String(never), PRINTER_LANGUAGES)
    }
  }
}
