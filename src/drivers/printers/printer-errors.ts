import { AppError } from '../../domain/errors.ts'
import type { PrinterStatus } from './printer-status.ts'

/** Where a failed attempt stands; every print error carries these in `details`. */
export interface PrintProgress {
  jobId: string
  printer: string
  /** First unit not confirmed (absolute index): the `startAt` for a resume. */
  nextUnit: number
  /** Units handed to the OS (absolute). > nextUnit when some were written but not confirmed. */
  writtenUnits: number
  /** True when bytes of unit `nextUnit` (or later) may have reached the device. */
  uncertain: boolean
}

/** Could not reach the printer; nothing was written in this attempt. Retry later. */
export class PrinterUnreachableError extends AppError {
  declare readonly details: PrintProgress & Record<string, unknown>
  constructor(progress: PrintProgress, message: string, cause?: unknown) {
    super('PRINTER_UNREACHABLE', 'unavailable', message, { ...progress }, { cause })
  }
}

/** The printer reports an error state; units before nextUnit wait in the printer. Hold, resume when ready. */
export class PrinterNotReadyError extends AppError {
  declare readonly details: PrintProgress & { status: PrinterStatus } & Record<string, unknown>
  constructor(progress: PrintProgress, status: PrinterStatus) {
    super(
      'PRINTER_NOT_READY',
      'unavailable',
      `printer ${progress.printer} is ${status.state}: ${status.reasons.join(', ') || 'no reason given'}`,
      { ...progress, status },
    )
  }
}

/** The connection broke mid-job. Resume at nextUnit only when !uncertain; else ask an operator. */
export class PrintInterruptedError extends AppError {
  declare readonly details: PrintProgress & Record<string, unknown>
  constructor(progress: PrintProgress, message: string, cause?: unknown, code: 'PRINT_INTERRUPTED' | 'PRINT_CANCELED' = 'PRINT_INTERRUPTED') {
    super(code, 'unavailable', message, { ...progress }, { cause })
  }
}

/** The job was canceled through its AbortSignal. */
export class PrintCanceledError extends PrintInterruptedError {
  constructor(progress: PrintProgress, cause?: unknown) {
    super(progress, `print job ${progress.jobId} canceled`, cause, 'PRINT_CANCELED')
  }
}

/** The printer refused the job; permanent (resending won't help). */
export class PrintRefusedError extends AppError {
  constructor(code: 'PRINT_REFUSED' | 'IPP_OPERATION_FAILED', message: string, details: Record<string, unknown>, cause?: unknown) {
    super(code, 'unprocessable', message, details, { cause })
  }
}

/** The job's document-format is not in the printer's document-format-supported. */
export class DocumentFormatNotSupportedError extends AppError {
  constructor(printer: string, format: string, supported: string[]) {
    super(
      'DOCUMENT_FORMAT_NOT_SUPPORTED',
      'unsupported',
      `printer ${printer} does not accept ${format} (it accepts: ${supported.join(', ') || 'nothing listed'})`,
      { printer, format, supported },
    )
  }
}

/** An IPP job the printer accepted ended canceled (7) or aborted (8). */
export class PrintJobFailedError extends AppError {
  constructor(
    printer: string,
    jobId: string,
    readonly ippJobId: number,
    readonly jobState: 'canceled' | 'aborted',
    reasons: string[],
    progress: PrintProgress,
  ) {
    super(
      jobState === 'canceled' ? 'PRINT_JOB_CANCELED' : 'PRINT_JOB_ABORTED',
      'unprocessable',
      `job ${jobId} ended ${jobState} on ${printer}: ${reasons.join(', ') || 'no reason given'}`,
      { ...progress, ippJobId, jobState, reasons },
    )
  }
}

export class PrinterBusyError extends AppError {
  constructor(printer: string) {
    super('PRINTER_BUSY', 'conflict', `printer ${printer} is already printing a job`, { printer })
  }
}

export class PrinterLanguageUnknownError extends AppError {
  constructor(language: string, valid: readonly string[]) {
    super('PRINTER_LANGUAGE_UNKNOWN', 'invalid', `unknown printer language "${language}"; valid: ${valid.join(', ')}`, {
      language,
      valid: [...valid],
    })
  }
}

export type PrintErrorAction =
  /** Nothing uncertain: try again later from `resumeAt` (with backoff). */
  | { action: 'retry'; resumeAt: number; reason: string }
  /** Wait until probe() reports ready (operator fixes paper/head), then resume at `resumeAt`. */
  | { action: 'hold-until-ready'; resumeAt: number; reason: string; reasons: string[] }
  /** Units may have printed: an operator decides (resume at resumeAt, or skip the uncertain ones). */
  | { action: 'hold-for-operator'; resumeAt: number; uncertainUpTo: number; reason: string }
  /** Permanent: mark the job aborted (or canceled) with the reason. */
  | { action: 'abort'; reason: string; canceled?: boolean }

/** What the queue should do with an error from print(). Unknown errors abort with their message. */
export function printErrorDisposition(err: unknown): PrintErrorAction {
  if (err instanceof PrinterUnreachableError) return { action: 'retry', resumeAt: err.details.nextUnit, reason: err.message }
  if (err instanceof PrinterNotReadyError)
    return { action: 'hold-until-ready', resumeAt: err.details.nextUnit, reason: err.message, reasons: err.details.status.reasons }
  if (err instanceof PrintCanceledError) return { action: 'abort', reason: err.message, canceled: true }
  if (err instanceof PrintInterruptedError) {
    const d = err.details
    if (d.uncertain)
      return { action: 'hold-for-operator', resumeAt: d.nextUnit, uncertainUpTo: Math.max(d.writtenUnits, d.nextUnit + 1), reason: err.message }
    return { action: 'retry', resumeAt: d.nextUnit, reason: err.message }
  }
  if (err instanceof PrintJobFailedError) return { action: 'abort', reason: err.message, canceled: err.jobState === 'canceled' }
  if (err instanceof AppError) return { action: 'abort', reason: `${err.code}: ${err.message}` }
  return { action: 'abort', reason: err instanceof Error ? err.message : String(err) }
}
