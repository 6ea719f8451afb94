import type { Logger } from 'pino'
import { createTransport, type CreateTransportOptions } from '../transports/create-transport.ts'
import { parsePrinterUri } from '../transports/parse-printer-uri.ts'
import type { SimRegistry } from '../transports/sim-transport.ts'
import type { Transport } from '../transports/transport.ts'
import { PrinterUriInvalidError } from '../transports/transport-errors.ts'
import { isPrinterLanguage, languageUriProblem, printerLanguage } from '../../domain/printer-language.ts'
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
  /** The printing component's logger; the driver logs under child({ printer: name, part: 'driver' }) (one `component` per line, the caller's). */
  log: Logger
  simRegistry?: SimRegistry
  /** Raw drivers (zpl, epl, escpos). */
  raw?: RawPrinterDriverOptions
  ipp?: IppPrinterOptions
  /** Use this transport instead of making one from the URI (tests, hw-sim). */
  transport?: Transport
}

/**
 * Makes the driver for one printer from its language's descriptor: an `ipp://`/`ipps://` URI
 * gets the IPP driver, any other the raw driver of the language's status protocol (an explicit
 * switch with a lazy import per family). Fails with PRINTER_LANGUAGE_UNKNOWN (listing the valid
 * languages) or PRINTER_URI_INVALID (a URI kind the descriptor doesn't list, saying which it does).
 */
export async function createPrinterDriver(config: PrinterConfig, opts: CreatePrinterDriverOptions): Promise<PrinterDriver> {
  const log = opts.log.child({ printer: config.name, part: 'driver' })
  const uri = parsePrinterUri(config.uri)
  const language = config.language
  if (!isPrinterLanguage(language)) throw new PrinterLanguageUnknownError(config.language, PRINTER_LANGUAGES)
  const descriptor = printerLanguage(language)
  const problem = languageUriProblem(language, uri.kind)
  if (problem) throw new PrinterUriInvalidError(config.uri, problem)
  if (uri.kind === 'ipp') {
    const { IppPrinter } = await import('./ipp-printer.ts')
    return new IppPrinter(config.name, uri, log, opts.ipp)
  }
  const transport = opts.transport ?? (await createTransport(uri, { ...opts, log, simRegistry: opts.simRegistry, fileExtension: descriptor.fileExtension }))
  switch (descriptor.statusProtocol) {
    case 'zpl-host-status': {
      const { ZplPrinter } = await import('./zpl-printer.ts')
      return new ZplPrinter(config.name, transport, log, opts.raw)
    }
    case 'escpos-dle-eot': {
      const { EscPosPrinter } = await import('./escpos-printer.ts')
      return new EscPosPrinter(config.name, transport, log, opts.raw)
    }
    case 'none': {
      const { StatuslessPrinter } = await import('./statusless-printer.ts')
      return new StatuslessPrinter(language, config.name, transport, log, opts.raw)
    }
    default: {
      const never: never = descriptor.statusProtocol
      throw new Error(`no driver for status protocol ${String(never)}`)
    }
  }
}
