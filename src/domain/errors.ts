import type { ErrorCode } from './error-codes.ts'
import type { ProductionOrder } from './records.ts'

export type { ErrorCode }

/**
 * Errors the application raises on purpose. Each carries a stable `code` (UPPER_SNAKE) that
 * clients may rely on, from the closed set in error-codes.ts, and a `kind` that says what sort
 * of failure it is (drivers and the IPP server decide by it). The HTTP status of a code is the
 * server's catalogue's (src/server/openapi/error-codes.ts), not the kind's. Nothing here knows HTTP.
 */
export const ERROR_KINDS = [
  'invalid', // the request or input is malformed
  'unauthorized', // no or a bad credential
  'forbidden', // the credential may not do this
  'not-found',
  'conflict', // the state forbids it, or another writer got there first
  'unsupported', // a media type / format that is not offered
  'unprocessable', // well-formed but the record can't do it yet
  'too-large', // more than a documented limit allows
  'unavailable', // a device or peer is not reachable
] as const
export type ErrorKind = (typeof ERROR_KINDS)[number]

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly kind: ErrorKind,
    message: string,
    readonly details?: Record<string, unknown>,
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.name = new.target.name
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: Record<string, unknown>, code: ErrorCode = 'VALIDATION_FAILED') {
    super(code, 'invalid', message, details)
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, details?: Record<string, unknown>, code: ErrorCode = 'NOT_FOUND') {
    super(code, 'not-found', `${what} not found`, details)
  }
}

export class ConflictError extends AppError {
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(code, 'conflict', message, details)
  }
}

// Errors with a constructor of their own: what they say (and carry in `details`) is shaped here,
// so that the code that throws them and the code that catches them share one definition.

/** An order changed under a compare-and-set (its version moved on): nothing was written. */
export class ConcurrentChangeError extends ConflictError {
  constructor(order: Pick<ProductionOrder, 'id' | 'status'>) {
    super('CONCURRENT_CHANGE', `Another station or person changed this order first; it is now "${order.status}". Nothing was changed.`, {
      orderId: order.id,
      status: order.status,
    })
  }
}

export class ProductionOrderNumberTakenError extends ConflictError {
  constructor(number: number) {
    super('PRODUCTION_ORDER_NUMBER_TAKEN', `Production order number ${number} belongs to another order.`, { productionOrderNumber: number })
  }
}

/** A body names a record (or a station) that does not exist; `details` says which: `{ [what]: id }`. */
export class ReferenceMissingError extends AppError {
  constructor(what: string, id: number) {
    super('REFERENCE_NOT_FOUND', 'unprocessable', `The ${what} ${id} does not exist.`, { [what]: id })
  }
}

export class StationNotFoundError extends NotFoundError {
  constructor(name: string) {
    super(`Station "${name}"`, { station: name }, 'STATION_NOT_FOUND')
  }
}

/** Thrown by the job store when the job's printer does not exist (any more) when the job is inserted. */
export class PrinterGoneError extends NotFoundError {
  constructor(readonly printer: string) {
    super(`Printer "${printer.slice(0, 80)}"`, { printer }, 'PRINTER_NOT_FOUND')
  }
}

/** JOB_TOO_LARGE: the job is over one of the documented per-job limits; nothing is queued. */
export class JobTooLargeError extends AppError {
  constructor(what: 'records' | 'pages' | 'bytes' | 'units', limit: number, message: string) {
    super('JOB_TOO_LARGE', 'too-large', message, { limit: what, max: limit })
  }
}

export class IdempotencyKeyReusedError extends AppError {
  constructor(key: string, jobId: number) {
    super('IDEMPOTENCY_KEY_REUSED', 'unprocessable', 'This Idempotency-Key was used for a different print request; use a new key for a new job.', { key, jobId })
  }
}

/** A render ran past a limit, or failed; its worker was replaced. */
export class RenderLimitError extends AppError {
  constructor(code: 'RENDER_TIMEOUT' | 'RENDER_MEMORY_EXCEEDED' | 'RENDER_FAILED', message: string, details?: Record<string, unknown>) {
    super(code, 'unprocessable', message, details)
  }
}

/** IPP client-error-document-format-error: the document is not what its format says, or is damaged. */
export class DocumentUnreadableError extends AppError {
  constructor(message: string) {
    super('DOCUMENT_UNREADABLE', 'invalid', message)
  }
}

/** IPP client-error-request-entity-too-large. */
export class DocumentTooLargeError extends AppError {
  constructor(message: string) {
    super('DOCUMENT_TOO_LARGE', 'too-large', message)
  }
}

/** The configured STUDIO_TOKEN_SECRET is not the one this database's tokens were made with. */
export class TokenSecretMismatchError extends AppError {
  constructor() {
    super(
      'TOKEN_SECRET_MISMATCH',
      'invalid',
      "This database's API tokens were made under another token key: STUDIO_TOKEN_SECRET must be the same on every server of this database (and may not be set or unset once tokens exist).",
    )
  }
}
