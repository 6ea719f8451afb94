import type { Logger } from 'pino'
import type { Transport } from '../transports/transport.ts'
import { TransportError, TransportTimeoutError } from '../transports/transport-errors.ts'
import { offlineStatus, RawPrinterDriver, type RawPrinterDriverOptions } from './raw-printer-driver.ts'
import type { PrinterStatus } from './printer-status.ts'
import {
  extendedStatusToPrinterStatus,
  hostStatusToPrinterStatus,
  isCompleteExtendedStatus,
  isCompleteHostStatus,
  parseExtendedStatus,
  parseHostStatus,
} from './zpl-status.ts'

const HOST_STATUS = Buffer.from('~HS', 'latin1')
const EXTENDED_STATUS = Buffer.from('~HQES', 'latin1')

/**
 * Zebra ZPL II printer. Status: `~HS`; when it gets no answer (current firmware is silent while
 * media/ribbon out, head open, too hot) `~HQES`; when both are silent, a fresh connection and
 * `~HS`/`~HQES` once more before declaring the printer offline. Reception of each label is
 * confirmed with a status round trip (the printer answers immediate commands in stream order).
 */
export class ZplPrinter extends RawPrinterDriver {
  readonly language = 'zpl' as const

  constructor(name: string, transport: Transport, log: Logger, opts: RawPrinterDriverOptions = {}) {
    super(name, transport, log, opts)
  }

  protected async queryStatus(signal?: AbortSignal): Promise<PrinterStatus> {
    const first = await this.ask(signal)
    if (first) return first
    this.log.debug('no answer to ~HS or ~HQES: trying a fresh connection')
    await this.transport.close().catch(() => {})
    try {
      await this.transport.open(signal)
    } catch (err) {
      return offlineStatus('connect', (err as Error).message)
    }
    return (await this.ask(signal)) ?? offlineStatus('~HQES', 'no answer to ~HS or ~HQES on two connections')
  }

  protected async confirm(signal?: AbortSignal): Promise<PrinterStatus> {
    const status = await this.ask(signal)
    if (!status) throw new TransportTimeoutError(this.transport.uri, 'reply', this.statusTimeoutMs, { command: '~HS/~HQES' })
    return status
  }

  /** `~HS`, then `~HQES`; undefined when neither is answered. Transport failures propagate. */
  private async ask(signal?: AbortSignal): Promise<PrinterStatus | undefined> {
    try {
      const reply = await this.transport.request(HOST_STATUS, this.statusTimeoutMs, { complete: isCompleteHostStatus, signal })
      const hs = parseHostStatus(reply)
      if (hs) return hostStatusToPrinterStatus(hs)
      this.log.warn({ reply: Buffer.from(reply).toString('latin1').slice(0, 120) }, 'unparsable ~HS answer')
    } catch (err) {
      if (!(err instanceof TransportTimeoutError)) throw err
    }
    try {
      const reply = await this.transport.request(EXTENDED_STATUS, this.statusTimeoutMs, { complete: isCompleteExtendedStatus, signal })
      const hq = parseExtendedStatus(reply)
      if (hq) return extendedStatusToPrinterStatus(hq)
      this.log.warn({ reply: Buffer.from(reply).toString('latin1').slice(0, 200) }, 'unparsable ~HQES answer')
      return undefined
    } catch (err) {
      if (err instanceof TransportTimeoutError) return undefined
      if (err instanceof TransportError) throw err
      throw err
    }
  }
}
