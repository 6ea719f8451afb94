import type { Logger } from 'pino'
import type { Transport } from '../transports/transport.ts'
import { StatuslessRawPrinter, type RawPrinterDriverOptions } from './raw-printer-driver.ts'

/**
 * PDF documents sent as they are over a byte transport (raw 9100 on printers that take PDF
 * directly, or a file: folder). No status channel: probe is a connection check, progress counts
 * units handed to the OS, the outcome says `confirmed: false`.
 */
export class RawPdfPrinter extends StatuslessRawPrinter {
  readonly language = 'pdf' as const

  constructor(name: string, transport: Transport, log: Logger, opts: RawPrinterDriverOptions = {}) {
    super(name, transport, log, opts)
  }
}
