import type { Logger } from 'pino'
import type { Transport } from '../transports/transport.ts'
import { RawPrinterDriver, type RawPrinterDriverOptions } from './raw-printer-driver.ts'
import type { PrinterStatus } from './printer-status.ts'

/**
 * Eltron/Zebra EPL2 printer. EPL has no status query over TCP: probe() is a connection check
 * (state 'idle' when it connects, 'offline' otherwise) and print() can't confirm reception —
 * progress counts units handed to the OS and the outcome says `confirmed: false`.
 * (Serial `eR$,2` head-open reports are not used yet.)
 */
export class EplPrinter extends RawPrinterDriver {
  readonly language = 'epl' as const

  constructor(name: string, transport: Transport, log: Logger, opts: RawPrinterDriverOptions = {}) {
    super(name, transport, log, opts)
  }

  protected override get hasStatus(): boolean {
    return false
  }

  protected async queryStatus(): Promise<PrinterStatus> {
    return { state: 'idle', reasons: [], source: 'connect' }
  }

  protected async confirm(): Promise<PrinterStatus> {
    return { state: 'idle', reasons: [], source: 'none' }
  }
}
