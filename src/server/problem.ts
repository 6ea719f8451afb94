import type { ErrorRequestHandler, Response } from 'express'
import type {} from './request-log.ts'
import { AppError } from '../domain/errors.ts'
import { isProblemCode, type ProblemCode } from '../domain/error-codes.ts'
import { ERROR_CODES } from './openapi/error-codes.ts'

/**
 * The one place that turns errors into HTTP answers (RFC 9457 problem+json). A problem's status is
 * its code's, from the catalogue (ERROR_CODES): no caller chooses a status, so a code is always
 * answered with the same one.
 */
export function statusOf(code: ProblemCode): number {
  return ERROR_CODES[code].status
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
}

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  code: string
  [extra: string]: unknown
}

export function problemOf(code: ProblemCode, detail: string, extra?: Record<string, unknown>): Problem {
  const status = statusOf(code)
  return {
    type: `https://studio-print.local/problems/${code.toLowerCase().replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...extra,
  }
}

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem))
}

/** body-parser's own errors, turned into our codes. */
function fromBodyParser(err: { type?: string; status?: number; message?: string }): Problem | null {
  switch (err.type) {
    case 'entity.parse.failed':
      return problemOf('MALFORMED_JSON', 'The request body is not valid JSON.')
    case 'entity.too.large':
      return problemOf('BODY_TOO_LARGE', 'The request body is larger than 1 MB.')
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return problemOf('UNSUPPORTED_ENCODING', err.message ?? 'Unsupported body encoding.')
    case 'request.aborted':
      return problemOf('REQUEST_ABORTED', 'The request was aborted before its body arrived.')
    default:
      // A body whose Content-Encoding does not decode (corrupt gzip, deflate or br): zlib's error, status 400.
      if (err.status === 400 && /^(Z_|ERR__ERROR)/.test(String((err as { code?: unknown }).code))) {
        return problemOf('BODY_ENCODING_INVALID', 'The request body does not decode as its Content-Encoding says.')
      }
      return null
  }
}

export const errorHandler: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  if (res.headersSent) {
    res.destroy()
    return
  }
  if (err instanceof AppError && isProblemCode(err.code)) {
    sendProblem(res, problemOf(err.code, err.message, err.details ? { details: err.details } : undefined))
    return
  }
  const parsed = typeof err === 'object' && err !== null ? fromBodyParser(err as { type?: string }) : null
  if (parsed) {
    sendProblem(res, parsed)
    return
  }
  // Not an AppError, or one whose code is never answered over HTTP (a transport state, a scan refusal): a bug here.
  req.log?.error({ err }, 'unhandled error')
  sendProblem(res, problemOf('INTERNAL_ERROR', 'Something went wrong on the server; it has been logged.'))
}
