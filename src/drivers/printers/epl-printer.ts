import type { Logger } from 'pino'
import type { Transport } from '../transports/transport.ts'
import { StatuslessRawPrinter, type RawPrinterDriverOptions } from './raw-printer-driver.ts'

/**
 * Eltron/Zebra EPL2 printer. EPL has no status query over TCP: probe() is a connection check
 * (state 'idle' when it connects, 'offline' otherwise) and print() can't confirm reception —
 * progress counts units handed to the OS and the outcome says `confirmed: false`.
 * (Serial `eR$,2` head-open reports are not used yet.)
 */
export class EplPrinter extends StatuslessRawPrinter {
  readonly language = 'epl' as const

  constructor(name: string, transport: Transport, log: Logger, opts: RawPrinterDriverOptions = {}) {
    super(name, transport, log, opts)
  }
}
