/**
 * IPP clients sign in with HTTP Basic: any user name (it names the job's owner), the password is
 * an API token. The same tokens, roles and failure throttle as the JSON API: a wrong token counts
 * against the address, and a locked-out address is not looked at further.
 */
import type { Request } from 'express'
import type { AuthDeps } from '../auth.ts'
import { clientAddress } from '../auth.ts'
import type { Principal } from '../../store/token-store.ts'

export type IppSignIn =
  | { kind: 'none' }
  | { kind: 'throttled'; retryAfter: number }
  | { kind: 'refused' }
  | { kind: 'forbidden'; principal: Principal }
  | { kind: 'signed-in'; principal: Principal; user: string }

export function basicCredentials(header: string | undefined): { user: string; password: string } | null {
  const m = header ? /^Basic\s+([A-Za-z0-9+/=]{1,1024})\s*$/i.exec(header) : null
  if (!m) return null
  const decoded = Buffer.from(m[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return null
  return { user: decoded.slice(0, colon).slice(0, 255), password: decoded.slice(colon + 1) }
}

export async function signInIpp(deps: AuthDeps, req: Request): Promise<IppSignIn> {
  const header = req.headers.authorization
  if (!header) return { kind: 'none' }
  const address = clientAddress(req)
  const wait = deps.throttle.retryAfter(address)
  if (wait !== null) return { kind: 'throttled', retryAfter: wait }
  const creds = basicCredentials(header)
  const principal = creds ? await deps.tokens.authenticate(creds.password) : null
  if (!creds || !principal) {
    const failures = deps.throttle.fail(address)
    req.log?.warn({ address, via: 'ipp-basic', failures }, 'authentication failed')
    return { kind: 'refused' }
  }
  deps.throttle.succeed(address)
  if (principal.role !== 'admin' && principal.role !== 'client') return { kind: 'forbidden', principal }
  return { kind: 'signed-in', principal, user: creds.user || principal.name }
}
