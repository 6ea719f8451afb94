import { AppError } from '../../domain/errors.ts'
import { PRINTER_URI_FORMS } from './transport.ts'

/**
 * Transport errors. All are AppErrors; the OS error (ECONNREFUSED, ETIMEDOUT, ECONNRESET,
 * serial `canceled` …) is kept as `cause`, its code in `details.osCode`.
 *
 * What each means for the caller:
 * - TransportUnavailableError: could not connect; nothing was written. Retry later.
 * - TransportTimeoutError: connect, write or reply timed out. During write: an unknown part of
 *   the bytes may have reached the device.
 * - TransportWriteError: the connection broke while writing; an unknown part reached the device.
 * - TransportClosedError: the transport was closed (by us) while an operation was pending.
 * - TransportUnsupportedError: this transport can't do that (request() on a file).
 */
export class TransportError extends AppError {}

export class TransportUnavailableError extends TransportError {
  constructor(uri: string, message: string, cause?: unknown) {
    super('TRANSPORT_UNAVAILABLE', 'unavailable', message, { uri, osCode: osCode(cause) }, { cause })
  }
}

export class TransportTimeoutError extends TransportError {
  constructor(
    uri: string,
    readonly phase: 'connect' | 'write' | 'reply' | 'close',
    timeoutMs: number,
    extra?: Record<string, unknown>,
  ) {
    super('TRANSPORT_TIMEOUT', 'unavailable', `${phase} timed out after ${timeoutMs} ms (${uri})`, {
      uri,
      phase,
      timeoutMs,
      ...extra,
    })
  }
}

export class TransportWriteError extends TransportError {
  constructor(uri: string, message: string, cause?: unknown) {
    super('TRANSPORT_WRITE_FAILED', 'unavailable', message, { uri, osCode: osCode(cause) }, { cause })
  }
}

export class TransportClosedError extends TransportError {
  constructor(uri: string, message = `transport closed (${uri})`, cause?: unknown) {
    super('TRANSPORT_CLOSED', 'unavailable', message, { uri, osCode: osCode(cause) }, { cause })
  }
}

export class TransportUnsupportedError extends TransportError {
  constructor(uri: string, what: string) {
    super('TRANSPORT_UNSUPPORTED', 'unsupported', `${what} is not supported by ${uri}`, { uri })
  }
}

export class PrinterUriInvalidError extends AppError {
  constructor(uri: string, why: string) {
    super(
      'PRINTER_URI_INVALID',
      'invalid',
      `invalid printer URI "${uri}": ${why}; valid forms: ${PRINTER_URI_FORMS.join(', ')}`,
      { uri, validForms: [...PRINTER_URI_FORMS] },
    )
  }
}

export function osCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code
  return undefined
}
