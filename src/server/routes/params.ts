import type { Request } from 'express'
import { ValidationError } from '../../domain/errors.ts'
import { DEFAULT_PAGE, MAX_PAGE } from '../../store/json.ts'

export function idParam(req: Request, name = 'id'): number {
  const raw = req.params[name]
  const id = Number(raw)
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw) || !Number.isSafeInteger(id) || id < 1) {
    throw new ValidationError(`"${String(raw).slice(0, 40)}" is not a record id.`, { [name]: raw }, 'ID_INVALID')
  }
  return id
}

/** `?limit=&after=`: limit 1..500 (default 50); after is the last id of the previous page. */
export function pageParams(req: Request): { limit: number; after: number } {
  const limit = intQuery(req, 'limit', DEFAULT_PAGE)
  const after = intQuery(req, 'after', 0)
  if (limit < 1 || limit > MAX_PAGE) throw new ValidationError(`limit must be between 1 and ${MAX_PAGE}.`, { limit }, 'QUERY_INVALID')
  return { limit, after }
}

function intQuery(req: Request, name: string, fallback: number): number {
  const raw = req.query[name]
  if (raw === undefined || raw === '') return fallback
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw new ValidationError(`${name} must be a whole number.`, { [name]: raw }, 'QUERY_INVALID')
  return Number(raw)
}

/** A JSON object body (express.json leaves undefined for other content types). */
export function bodyOf(req: Request): unknown {
  if (req.body === undefined) {
    throw new ValidationError('Send a JSON body with Content-Type: application/json.', {}, 'BODY_REQUIRED')
  }
  return req.body
}

/** `?clientId=ID` when given. */
export function clientIdQuery(req: Request): number | undefined {
  const raw = req.query.clientId
  if (raw === undefined || raw === '') return undefined
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw) || Number(raw) < 1) throw new ValidationError('clientId must be a record id.', { clientId: raw }, 'QUERY_INVALID')
  return Number(raw)
}

/** `?q=TEXT` when given (at most 200 characters). */
export function searchQuery(req: Request): string | undefined {
  const raw = req.query.q
  if (raw === undefined || raw === '') return undefined
  if (typeof raw !== 'string' || raw.length > 200) throw new ValidationError('q must be text of at most 200 characters.', {}, 'QUERY_INVALID')
  return raw
}
