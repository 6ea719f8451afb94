import { createHash, randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'
import './auth-schema.ts'
import type { Clock } from './records-store.ts'
import { principalOf, type Principal } from './token-store.ts'

export interface SessionTimes {
  /** A session ends this long after sign-in. */
  maxAgeMs: number
  /** A session ends after this long without a request. */
  idleMs: number
}

/** A session id: 32 random bytes, base64url (43 characters). Anything else in the cookie is no session. */
export const SESSION_ID = /^[A-Za-z0-9_-]{43}$/

/** last_seen_at is written at most this often per session (not on every request). */
const TOUCH_EVERY_MS = 60_000

const idHash = (id: string): string => createHash('sha256').update(id, 'utf8').digest('hex')

/**
 * Browser sessions, server-side: the cookie holds a random id; only its SHA-256 is stored. A
 * session signs in as its token until logout, its expiry or its idle timeout, or until the token
 * is revoked (checked on every request).
 */
export class WebSessionStore {
  private times: SessionTimes = { maxAgeMs: 7 * 24 * 3_600_000, idleMs: 12 * 3_600_000 }

  constructor(private readonly db: Kysely<Database>, private readonly clock: Clock = () => new Date()) {}

  configure(times: Partial<SessionTimes>): void {
    this.times = { ...this.times, ...times }
  }

  get maxAgeMs(): number {
    return this.times.maxAgeMs
  }

  /** Starts a session for a token; returns the id for the cookie (shown nowhere else). */
  async create(tokenId: number): Promise<string> {
    const now = this.clock().getTime()
    const id = randomBytes(32).toString('base64url')
    await this.db.insertInto('web_sessions').values({ id_hash: idHash(id), token_id: tokenId, created_at: now, last_seen_at: now, expires_at: now + this.times.maxAgeMs, ended_at: null }).execute()
    // Sessions long over are of no use to anyone: swept as new ones begin.
    await this.db.deleteFrom('web_sessions').where('expires_at', '<', now - this.times.maxAgeMs).execute()
    return id
  }

  /** The principal of a live session, or null (unknown, ended, expired, idle too long, token revoked). */
  async authenticate(id: string): Promise<Principal | null> {
    if (!SESSION_ID.test(id)) return null
    const now = this.clock().getTime()
    const row = await this.db
      .selectFrom('web_sessions as s')
      .innerJoin('api_tokens as t', 't.id', 's.token_id')
      .select(['t.id', 't.role', 't.station', 't.label', 's.last_seen_at', 's.id_hash'])
      .where('s.id_hash', '=', idHash(id))
      .where('s.ended_at', 'is', null)
      .where('s.expires_at', '>', now)
      .where('s.last_seen_at', '>', now - this.times.idleMs)
      .where('t.revoked_at', 'is', null)
      .executeTakeFirst()
    if (!row) return null
    if (now - Number(row.last_seen_at) >= TOUCH_EVERY_MS) {
      // Best effort: a failed write only means idle time counts from the previous touch.
      await this.db.updateTable('web_sessions').set({ last_seen_at: now }).where('id_hash', '=', row.id_hash).execute().catch(() => undefined)
    }
    return principalOf(row)
  }

  /** Ends a session (logout). Unknown ids change nothing. */
  async end(id: string): Promise<void> {
    if (!SESSION_ID.test(id)) return
    await this.db.updateTable('web_sessions').set({ ended_at: this.clock().getTime() }).where('id_hash', '=', idHash(id)).where('ended_at', 'is', null).execute()
  }
}
