import type { Logger } from 'pino'
import type { Transport } from '../transports/transport.ts'
import type { PrinterLanguage } from './printer-driver.ts'
import { StatuslessRawPrinter, type RawPrinterDriverOptions } from './raw-printer-driver.ts'

/**
 * The driver of every language whose descriptor says `statusProtocol: 'none'`: EPL2 (no status
 * query over TCP; serial `eR$,2` head-open reports are not used yet), and PDF sent as it is over
 * raw 9100 or into a file: folder. probe() is a connection check (state 'idle' when it
 * connects, 'offline' otherwise) and print() can't confirm reception — progress counts units
 * handed to the OS and the outcome says `confirmed: false`.
 */
export class StatuslessPrinter extends StatuslessRawPrinter {
  constructor(
    readonly language: PrinterLanguage,
    name: string,
    transport: Transport,
    log: Logger,
    opts: RawPrinterDriverOptions = {},
  ) {
    super(name, transport, log, opts)
  }
}
