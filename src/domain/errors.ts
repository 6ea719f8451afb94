import type { ErrorCode } from './error-codes.ts'

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
