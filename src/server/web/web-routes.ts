import { fileURLToPath } from 'node:url'
import express, { Router, type NextFunction, type Request, type Response } from 'express'
import type { Principal } from '../../store/token-store.ts'
import { SESSION_COOKIE, clientAddress, noteFailure, sendTooManyFailures, sessionIdOf, signInRequest, type AuthDeps } from '../auth.ts'
import { renderLogin, renderPage, type LoginMessage, type PageName } from './page-shell.ts'
import { PAGE_MODULES, pageModuleText } from './page-vocabulary.ts'

const PUBLIC_DIR = new URL('./public/', import.meta.url)

/** Same-origin paths only, so ?next= can't send a person elsewhere after sign-in. */
export function safeNext(value: unknown): string {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.startsWith('/login')) return '/'
  return /^[\x21-\x7e]{1,500}$/.test(value) ? value : '/'
}

function sessionCookie(req: Request, value: string, maxAge: number): string {
  return [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAge}`,
    ...(req.secure ? ['Secure'] : []),
  ].join('; ')
}

/** A sign-in or sign-out form post must come from our own page (no login CSRF). */
function fromOwnPage(req: Request): boolean {
  const site = req.headers['sec-fetch-site']
  if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') return false
  const origin = req.headers.origin
  if (typeof origin === 'string' && origin !== 'null') {
    try {
      return new URL(origin).host === req.headers.host
    } catch {
      return false
    }
  }
  return true
}

function securityHeaders(_req: Request, res: Response, next: NextFunction): void {
  res.setHeader(
    'content-security-policy',
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  )
  res.setHeader('x-content-type-options', 'nosniff')
  res.setHeader('referrer-policy', 'same-origin')
  next()
}

/**
 * Sign-in, sign-out, the static assets and the pages. Every page needs a signed-in principal: the
 * session cookie, or an `Authorization: Bearer` header (kiosk browsers); otherwise → /login.
 */
export function webRoutes(auth: AuthDeps): Router {
  const r = Router()
  r.use(securityHeaders)
  // The documents, record types, barcode pattern, job states and reasons, from the domain's own
  // tables, so the pages never drift from them.
  for (const name of Object.keys(PAGE_MODULES) as (keyof typeof PAGE_MODULES)[]) {
    const text = pageModuleText(name)
    r.get(`/assets/js/${name}`, (_req, res) => {
      res.setHeader('cache-control', 'no-cache')
      res.type('text/javascript').send(text)
    })
  }
  // Browsers ask for /favicon.ico whatever the page links: the same icon.
  r.get('/favicon.ico', (_req, res) => {
    res.setHeader('cache-control', 'public, max-age=86400')
    res.type('image/svg+xml').sendFile(fileURLToPath(new URL('favicon.svg', PUBLIC_DIR)))
  })
  r.use(
    '/assets',
    express.static(fileURLToPath(PUBLIC_DIR), { index: false, redirect: false, setHeaders: (res) => res.setHeader('cache-control', 'no-cache') }),
  )

  const html = (res: Response, status: number, body: string) => {
    res.status(status).setHeader('cache-control', 'no-store')
    res.type('html').send(body)
  }

  r.get('/login', async (req, res) => {
    const next = safeNext(req.query.next)
    const message = (['invalid', 'revoked', 'signed-out', 'missing'] as const).find((m) => m === req.query.m) ?? null
    // Already signed in (and not told otherwise): straight on. A bearer header is not looked at
    // here (its failures count at the API); a cookie that matches no live session is simply no session.
    const id = sessionIdOf(req)
    if (id && !message && (await auth.sessions.authenticate(id))) return res.redirect(303, next)
    html(res, message === 'invalid' || message === 'missing' ? 401 : 200, renderLogin(next, message as LoginMessage))
  })

  r.post('/login', express.urlencoded({ extended: false, limit: '4kb' }), async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>
    const next = safeNext(body.next)
    if (!fromOwnPage(req)) return html(res, 403, renderLogin(next, 'missing'))
    const token = typeof body.token === 'string' ? body.token.trim() : ''
    if (!token) return res.redirect(303, `/login?m=missing&next=${encodeURIComponent(next)}`)
    const address = clientAddress(req)
    const wait = auth.throttle.retryAfter(address)
    if (wait !== null) {
      if (req.accepts(['json', 'html']) === 'json') return sendTooManyFailures(res, wait)
      res.setHeader('retry-after', String(wait))
      return html(res, 429, renderLogin(next, 'throttled'))
    }
    const principal = token.length <= 200 ? await auth.tokens.authenticate(token) : null
    if (!principal) {
      noteFailure(auth, req, 'sign-in')
      return res.redirect(303, `/login?m=invalid&next=${encodeURIComponent(next)}`)
    }
    auth.throttle.succeed(address)
    const session = await auth.sessions.create(principal.tokenId)
    res.setHeader('set-cookie', sessionCookie(req, session, Math.floor(auth.sessions.maxAgeMs / 1000)))
    res.redirect(303, principal.role === 'station' && next === '/' ? `/stations/${encodeURIComponent(principal.station ?? '')}` : next)
  })

  r.post('/logout', async (req, res) => {
    if (!fromOwnPage(req)) return res.status(403).type('text').send('Sign out from the Studio Print pages.')
    const id = sessionIdOf(req)
    if (id) await auth.sessions.end(id)
    res.setHeader('set-cookie', sessionCookie(req, '', 0))
    res.redirect(303, '/login?m=signed-out')
  })

  /** Resolves the principal of a page request, or redirects to the sign-in page. */
  const signedIn = async (req: Request, res: Response): Promise<Principal | null> => {
    const result = await signInRequest(auth, req)
    if (result.kind === 'signed-in') return result.principal
    if (result.kind === 'throttled') {
      sendTooManyFailures(res, result.retryAfter)
      return null
    }
    const next = encodeURIComponent(req.originalUrl)
    if (result.kind === 'refused' && result.credential.kind === 'session') {
      res.setHeader('set-cookie', sessionCookie(req, '', 0))
      res.redirect(303, `/login?m=revoked&next=${next}`)
    } else {
      res.redirect(303, `/login?next=${next}`)
    }
    return null
  }

  const page = (name: PageName) => async (req: Request, res: Response) => {
    const principal = await signedIn(req, res)
    if (!principal) return
    // A station token is a kiosk: it sees its own station screen only.
    if (principal.role === 'station') return res.redirect(303, `/stations/${encodeURIComponent(principal.station ?? '')}`)
    html(res, 200, renderPage(name, principal))
  }
  r.get('/', page('front-desk'))
  r.get('/print-jobs', page('print-jobs'))
  r.get('/production', page('production'))
  r.get('/settings', page('settings'))
  r.get('/settings/templates', page('templates'))
  r.get('/stations/:name', async (req, res) => {
    const principal = await signedIn(req, res)
    if (!principal) return
    const station = String(req.params.name)
    if (principal.role === 'station' && principal.station !== station) {
      return res.redirect(303, `/stations/${encodeURIComponent(principal.station ?? '')}`)
    }
    html(res, 200, renderPage('station', principal, { station }))
  })
  return r
}
