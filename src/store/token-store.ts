import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'
import type { Role } from '../domain/inputs.ts'
import { NotFoundError } from '../domain/errors.ts'
import { iso } from './json.ts'
import { isUniqueViolation } from './sql-errors.ts'
import type { Clock } from './records-store.ts'

export interface TokenInfo {
  id: number
  role: Role
  station: string | null
  label: string | null
  createdAt: string
  revokedAt: string | null
}

export interface Principal {
  tokenId: number
  role: Role
  station: string | null
  /** Who, for history rows: the label, else `token:ID`. */
  name: string
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

/** API tokens: only a SHA-256 hash is stored; the secret is shown once, at creation. */
export class TokenStore {
  constructor(private readonly db: Kysely<Database>, private readonly clock: Clock = () => new Date()) {}

  async create(role: Role, station: string | null, label: string | null, secret = `sp_${randomBytes(32).toString('base64url')}`): Promise<{ id: number; token: string }> {
    const result = await this.db
      .insertInto('api_tokens')
      .values({ token_hash: hashToken(secret), role, station, label, created_at: this.clock().getTime(), revoked_at: null })
      .executeTakeFirstOrThrow()
    return { id: Number(result.insertId), token: secret }
  }

  /** Makes a token with this exact secret exist (STUDIO_ADMIN_TOKEN); true when it was created now. */
  async ensure(secret: string, role: Role, label: string): Promise<boolean> {
    const hash = hashToken(secret)
    const row = await this.db.selectFrom('api_tokens').select(['id', 'revoked_at']).where('token_hash', '=', hash).executeTakeFirst()
    if (row) {
      if (row.revoked_at !== null) await this.db.updateTable('api_tokens').set({ revoked_at: null }).where('id', '=', row.id).execute()
      return false
    }
    try {
      await this.create(role, null, label, secret)
      return true
    } catch (err) {
      if (isUniqueViolation(err)) return false // another server created it at the same moment
      throw err
    }
  }

  async countActive(role: Role): Promise<number> {
    const row = await this.db
      .selectFrom('api_tokens')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('role', '=', role)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** The principal a bearer secret stands for, or null. The hash is compared in constant time. */
  async authenticate(secret: string): Promise<Principal | null> {
    const hash = hashToken(secret)
    const row = await this.db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).where('revoked_at', 'is', null).executeTakeFirst()
    if (!row || !timingSafeEqual(Buffer.from(row.token_hash, 'hex'), Buffer.from(hash, 'hex'))) return null
    return { tokenId: Number(row.id), role: row.role as Role, station: row.station, name: row.label ?? `token:${row.id}` }
  }

  async list(): Promise<TokenInfo[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('id').execute()
    return rows.map((r) => ({
      id: Number(r.id),
      role: r.role as Role,
      station: r.station,
      label: r.label,
      createdAt: iso(r.created_at),
      revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
    }))
  }

  async revoke(id: number): Promise<void> {
    const result = await this.db.updateTable('api_tokens').set({ revoked_at: this.clock().getTime() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) {
      const exists = await this.db.selectFrom('api_tokens').select('id').where('id', '=', id).executeTakeFirst()
      if (!exists) throw new NotFoundError(`Token ${id}`, { id }, 'TOKEN_NOT_FOUND')
    }
  }
}
