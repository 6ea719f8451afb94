import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { TokenStore, Principal } from '../store/token-store.ts'
import type { Role } from '../domain/inputs.ts'
import { AppError } from '../domain/errors.ts'

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal
  }
}

export const SESSION_COOKIE = 'sp_session'

export class UnauthorizedError extends AppError {
  constructor(message = 'Send Authorization: Bearer TOKEN (or sign in).') {
    super('UNAUTHORIZED', 'unauthorized', message)
  }
}

export class ForbiddenError extends AppError {
  constructor(message: string) {
    super('FORBIDDEN', 'forbidden', message)
  }
}

/** The bearer secret of a request: the Authorization header, else the pages' session cookie. */
export function secretOf(req: Request): string | null {
  const header = req.headers.authorization
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    return match ? match[1] : null
  }
  const cookies = req.headers.cookie
  if (!cookies) return null
  for (const part of cookies.split(';')) {
    const [name, ...rest] = part.trim().split('=')
    if (name === SESSION_COOKIE) return decodeURIComponent(rest.join('='))
  }
  return null
}

/** Signs the request in (401 when it can't be). */
export function authenticate(tokens: TokenStore): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const secret = secretOf(req)
    if (!secret) return next(new UnauthorizedError())
    const principal = await tokens.authenticate(secret)
    if (!principal) return next(new UnauthorizedError('The token is unknown or revoked.'))
    if (!req.headers.authorization && !cookieRequestIsSafe(req)) {
      return next(new ForbiddenError('A request signed in by the session cookie that changes something must come from the Studio Print pages (X-Requested-With: studio-print, same origin).'))
    }
    req.principal = principal
    next()
  }
}

/** The header the web pages send with every API call; a cross-site form or image can't send it. */
export const CSRF_HEADER = 'x-requested-with'
export const CSRF_VALUE = 'studio-print'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * CSRF defence for the cookie session (the cookie is SameSite=Strict as well): a request that
 * changes something must carry the custom header (which forces a CORS preflight that this server
 * never grants) and, when the browser says where it comes from, come from this origin.
 */
export function cookieRequestIsSafe(req: Request): boolean {
  if (SAFE_METHODS.has(req.method)) return true
  if (req.headers[CSRF_HEADER] !== CSRF_VALUE) return false
  const site = req.headers['sec-fetch-site']
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false
  const origin = req.headers.origin
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      if (new URL(origin).host !== req.headers.host) return false
    } catch {
      return false
    }
  }
  return true
}

/** Lets only these roles through (403 otherwise). Admin may do everything. */
export function allow(...roles: Role[]): RequestHandler {
  return (req, _res, next) => {
    const role = req.principal?.role
    if (!role) return next(new UnauthorizedError())
    if (role === 'admin' || roles.includes(role)) return next()
    next(new ForbiddenError(`A ${role} token may not do this; it needs ${['admin', ...roles].join(' or ')}.`))
  }
}

/** A station token acts only for its own station. */
export function ownStation(req: Request, station: string): void {
  const p = req.principal
  if (p?.role === 'station' && p.station !== station) throw new ForbiddenError(`This token belongs to station "${p.station}", not "${station}".`)
}
