/**
 * Errors the application raises on purpose. Each carries a stable `code` (UPPER_SNAKE) that
 * clients may rely on, and a `kind` that says what sort of failure it is; the server maps kinds
 * to HTTP statuses in one place (src/server/problem.ts). Nothing here knows HTTP.
 */
export const ERROR_KINDS = [
  'invalid', // the request or input is malformed (400)
  'unauthorized', // no or a bad credential (401)
  'forbidden', // the credential may not do this (403)
  'not-found', // (404)
  'conflict', // the state forbids it, or another writer got there first (409)
  'unsupported', // a media type / format that is not offered (415)
  'unprocessable', // well-formed but the record can't do it yet (422)
  'too-large', // more than a documented limit allows (413)
  'unavailable', // a device or peer is not reachable (503)
] as const
export type ErrorKind = (typeof ERROR_KINDS)[number]

export class AppError extends Error {
  constructor(
    readonly code: string,
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
  constructor(message: string, details?: Record<string, unknown>, code = 'VALIDATION_FAILED') {
    super(code, 'invalid', message, details)
  }
}

export class NotFoundError extends AppError {
  constructor(what: string, details?: Record<string, unknown>, code = 'NOT_FOUND') {
    super(code, 'not-found', `${what} not found`, details)
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, 'conflict', message, details)
  }
}
