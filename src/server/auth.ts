import type { NextFunction, Request, RequestHandler, Response } from 'express'
import type { TokenStore, Principal } from '../store/token-store.ts'
import type { WebSessionStore } from '../store/web-session-store.ts'
import type { Stores } from '../app/stores.ts'
import type { Role } from '../domain/inputs.ts'
import { AppError } from '../domain/errors.ts'
import type { AuthThrottle } from '../store/auth-throttle.ts'
import { problemOf, sendProblem } from './problem.ts'
import { decodeScan } from '../drivers/scanners/scan-decoder.ts'
import type { AimMode } from '../domain/aim-identifiers.ts'
import { parseScanCard } from '../domain/scan-cards.ts'

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
  constructor(message: string, code: 'FORBIDDEN' | 'MODE_CARD_FORBIDDEN' = 'FORBIDDEN') {
    super(code, 'forbidden', message)
  }
}

/** What signs requests in: the tokens, the browser sessions, and the throttle on failures. */
export interface AuthDeps {
  tokens: TokenStore
  sessions: WebSessionStore
  throttle: AuthThrottle
}

export function authDepsOf(stores: Pick<Stores, 'tokens' | 'webSessions' | 'authThrottle'>): AuthDeps {
  return { tokens: stores.tokens, sessions: stores.webSessions, throttle: stores.authThrottle }
}

/** A request's credential: a bearer token (an Authorization header that is not one: `bad-header`), else the pages' session cookie. */
export type Credential = { kind: 'bearer'; secret: string } | { kind: 'bad-header' } | { kind: 'session'; id: string }

export function credentialOf(req: Request): Credential | null {
  const header = req.headers.authorization
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    return match ? { kind: 'bearer', secret: match[1] } : { kind: 'bad-header' }
  }
  const id = sessionIdOf(req)
  return id === null ? null : { kind: 'session', id }
}

/** The raw `sp_session` cookie value (never decoded: a session id is base64url; anything else simply matches no session). */
export function sessionIdOf(req: Request): string | null {
  const cookies = req.headers.cookie
  if (!cookies) return null
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=')
    if (eq !== -1 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim()
  }
  return null
}

/** The client address failures are counted against: the peer of the connection (a proxy's X-Forwarded-For is not trusted). */
export function clientAddress(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown'
}

/** The principal a credential stands for, or null. */
export async function principalFor(deps: AuthDeps, credential: Credential): Promise<Principal | null> {
  if (credential.kind === 'bearer') return deps.tokens.authenticate(credential.secret)
  if (credential.kind === 'session') return deps.sessions.authenticate(credential.id)
  return null
}

/** Counts a failed token (header or sign-in form) against the address and logs it at warn — never the token. */
export function noteFailure(deps: AuthDeps, req: Request, via: 'bearer' | 'sign-in'): void {
  const address = clientAddress(req)
  const failures = deps.throttle.fail(address)
  req.log?.warn({ address, via, failures, lockedForS: deps.throttle.retryAfter(address) }, 'authentication failed')
}

/** 429 problem+json with Retry-After, for an address locked out after repeated failures. */
export function sendTooManyFailures(res: Response, retryAfterS: number): void {
  res.setHeader('retry-after', String(retryAfterS))
  sendProblem(res, problemOf('TOO_MANY_FAILED_SIGN_INS', `Too many failed sign-ins from this address; try again in ${retryAfterS} s.`, { retryAfter: retryAfterS }))
}

/** How a request's credential fared: none given, its address locked out, refused, or signed in. */
export type SignIn =
  | { kind: 'none' }
  | { kind: 'throttled'; retryAfter: number }
  | { kind: 'refused'; credential: Credential }
  | { kind: 'signed-in'; credential: Credential; principal: Principal }

/**
 * Signs a request in (API and pages alike). A bearer token is checked against the throttle first:
 * an address locked out after repeated failures is not looked at further. A wrong bearer token
 * counts as a failure and is logged; a cookie that is no live session is simply signed out.
 */
export async function signInRequest(deps: AuthDeps, req: Request): Promise<SignIn> {
  const credential = credentialOf(req)
  if (!credential) return { kind: 'none' }
  const bearer = credential.kind !== 'session'
  if (bearer) {
    const wait = deps.throttle.retryAfter(clientAddress(req))
    if (wait !== null) return { kind: 'throttled', retryAfter: wait }
  }
  const principal = await principalFor(deps, credential)
  if (!principal) {
    if (bearer) noteFailure(deps, req, 'bearer')
    return { kind: 'refused', credential }
  }
  if (bearer) deps.throttle.succeed(clientAddress(req))
  return { kind: 'signed-in', credential, principal }
}

/** Signs the request in (401 when it can't be, 429 while its address is locked out). */
export function authenticate(deps: AuthDeps): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const result = await signInRequest(deps, req)
    switch (result.kind) {
      case 'none':
        return next(new UnauthorizedError())
      case 'throttled':
        return sendTooManyFailures(res, result.retryAfter)
      case 'refused':
        return next(new UnauthorizedError(result.credential.kind === 'session' ? 'The session has ended; sign in again.' : 'The token is unknown or revoked.'))
      case 'signed-in':
        if (result.credential.kind === 'session' && !cookieRequestIsSafe(req)) {
          return next(new ForbiddenError('A request signed in by the session cookie that changes something must come from the Studio Print pages (X-Requested-With: studio-print, same origin).'))
        }
        req.principal = result.principal
        next()
    }
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

/**
 * A mode card posted as a scan changes the station like PATCH /api/stations/:name does, so only
 * those who may PATCH it (admin, the station's own token) may post one: a client token gets 403
 * MODE_CARD_FORBIDDEN. Close and undo cards stay open to client tokens (as their endpoints are).
 */
export function refuseModeCard(req: Request, data: string, aim: AimMode = 'auto'): void {
  if (req.principal?.role !== 'client') return
  const decoded = decodeScan(data, { aim })
  const card = decoded.ok ? parseScanCard(decoded.data) : null
  if (card?.kind === 'mode' || card?.kind === 'target') {
    throw new ForbiddenError('A client token may not switch a station\'s mode or target by scanning a mode card; use the station\'s own screen or an admin token.', 'MODE_CARD_FORBIDDEN')
  }
}
