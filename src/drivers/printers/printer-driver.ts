import type { PrinterStatus } from './printer-status.ts'

import type { PrinterLanguage } from '../../domain/printer-language.ts'
export { PRINTER_LANGUAGES, type PrinterLanguage } from '../../domain/printer-language.ts'

export interface PrintJob {
  /** The queue's job id (logged; IPP job-name). */
  id: string
  /**
   * The units in order — one label (ZPL `^XA…^XZ`, EPL `N…P`), one receipt, or one document
   * (IPP) each. Produced again from the start on every attempt; the driver skips `startAt`.
   */
  units: Iterable<Uint8Array> | AsyncIterable<Uint8Array>
  /** Index of the first unit to send (the `nextUnit` of a previous attempt). Default 0. */
  startAt?: number
  /**
   * Copies of the whole job. Raw drivers send the units `copies` times, collated
   * (1..n, 1..n); unit indexes (startAt, progress) count in that expanded sequence.
   * IPP sends `copies` as a job attribute. Default 1.
   */
  copies?: number
  /** MIME type for IPP (default application/pdf); raw drivers ignore it. */
  documentFormat?: string
}

export interface PrintOptions {
  signal?: AbortSignal
  /**
   * Called with the number of units confirmed so far (absolute, counting from 0, so
   * `startAt` + confirmed in this attempt). Store it: it is the `startAt` of the next attempt.
   * Raw drivers without a status channel (EPL, file) report units handed to the OS instead.
   */
  onProgress?: (sent: number) => void
}

export interface PrintOutcome {
  jobId: string
  /** Units done (absolute) = the total number of units. */
  sentUnits: number
  /**
   * True when the device confirmed it received everything (ZPL/ESC-POS status round trip after
   * the data, IPP job completed). False: bytes were handed to the OS (EPL over TCP, file) —
   * "written", not "printed".
   */
  confirmed: boolean
  /** Device status after the job, when it could be read. 'stopped' here means the last units
   * wait in the printer's buffer (e.g. paper ran out on the last label). */
  status?: PrinterStatus
  /** IPP job id at the printer. */
  ippJobId?: number
  bytes: number
  ms: number
}

/**
 * One printer. Drivers open their transport per job or probe and close it after: no
 * connection is kept across jobs without a status check. One job at a time per driver
 * (print() rejects with PRINTER_BUSY otherwise).
 *
 * print() errors (see printer-errors.ts, and `printErrorDisposition()`):
 * - PrinterUnreachableError: nothing was written in this attempt; retry later from `nextUnit`.
 * - PrinterNotReadyError: the printer reports an error state (paper out, head open …);
 *   units before `nextUnit` are in the printer; hold until probe() says ready, then resume.
 * - PrintInterruptedError: the connection broke mid-job; units before `nextUnit` are
 *   confirmed; when `uncertain`, unit `nextUnit` (and up to `writtenUnits`) may have printed:
 *   don't resend automatically.
 * - PrintCanceledError: the signal aborted the job (same fields).
 * - PrintRefusedError / DocumentFormatNotSupportedError: permanent, nothing printed → aborted.
 * - PrintJobFailedError: IPP job ended aborted/canceled at the printer.
 */
export interface PrinterDriver {
  readonly name: string
  readonly language: PrinterLanguage
  readonly uri: string
  /** Never throws for device trouble: unreachable → state 'offline' with 'offline-report'. */
  probe(signal?: AbortSignal): Promise<PrinterStatus>
  print(job: PrintJob, opts?: PrintOptions): Promise<PrintOutcome>
  close(): Promise<void>
}
