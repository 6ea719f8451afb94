import type { Logger } from 'pino'
import type { Transport } from '../transports/transport.ts'
import { TransportTimeoutError } from '../transports/transport-errors.ts'
import { offlineStatus, RawPrinterDriver, type RawPrinterDriverOptions } from './raw-printer-driver.ts'
import type { PrinterStatus } from './printer-status.ts'
import { dleEot, escPosToPrinterStatus, isStatusByte, parseDleEot, type EscPosStatusBytes } from './escpos-status.ts'

/**
 * ESC/POS receipt printer. The units are ESC/POS bytes compiled elsewhere and sent as they are:
 * no `ESC @` reset is added (it would drop settings the compiler made), and node-thermal-printer
 * is not used — its connection check opens an empty job and it can't do DLE EOT over our
 * transport. Status: `DLE EOT 1` (offline), `2` (cover, paper end, error), `3` (error causes,
 * only asked when 2 says error), `4` (roll sensors; optional — not every model answers).
 */
export class EscPosPrinter extends RawPrinterDriver {
  readonly language = 'escpos' as const

  constructor(name: string, transport: Transport, log: Logger, opts: RawPrinterDriverOptions = {}) {
    super(name, transport, log, opts)
  }

  /**
   * On a connection that carries a job, DLE EOT 4 (roll sensors) is not asked: not every model
   * answers it, and a late answer would be read as the status of the next receipt. Probes ask
   * it on their own connection, closed after.
   */
  protected async queryStatus(signal?: AbortSignal, purpose: 'probe' | 'job' = 'probe'): Promise<PrinterStatus> {
    const paper = purpose === 'probe'
    const first = await this.status(signal, paper)
    if (first) return first
    await this.transport.close().catch(() => {})
    try {
      await this.transport.open(signal)
    } catch (err) {
      return offlineStatus('connect', (err as Error).message)
    }
    return (await this.status(signal, paper)) ?? offlineStatus('DLE EOT', 'no answer to DLE EOT on two connections')
  }

  protected async confirm(signal?: AbortSignal): Promise<PrinterStatus> {
    const s = await this.status(signal, false)
    if (!s) throw new TransportTimeoutError(this.transport.uri, 'reply', this.statusTimeoutMs, { command: 'DLE EOT' })
    return s
  }

  private async byte(n: 1 | 2 | 3 | 4, timeoutMs: number, signal?: AbortSignal): Promise<number | undefined> {
    try {
      const reply = await this.transport.request(dleEot(n), timeoutMs, { complete: (r) => r.some(isStatusByte), signal })
      return reply.find(isStatusByte)
    } catch (err) {
      if (err instanceof TransportTimeoutError) return undefined
      throw err
    }
  }

  private async status(signal: AbortSignal | undefined, paper: boolean): Promise<PrinterStatus | undefined> {
    const bytes: EscPosStatusBytes = {}
    bytes.printer = await this.byte(1, this.statusTimeoutMs, signal)
    if (bytes.printer === undefined) return undefined
    bytes.offline = await this.byte(2, this.statusTimeoutMs, signal)
    if (bytes.offline !== undefined && bytes.offline & 0x40) bytes.error = await this.byte(3, this.statusTimeoutMs, signal)
    if (paper) bytes.paper = await this.byte(4, Math.min(500, this.statusTimeoutMs), signal)
    return escPosToPrinterStatus(parseDleEot(bytes))
  }
}
