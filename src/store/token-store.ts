import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'
import './auth-schema.ts'
import type { Role } from '../domain/inputs.ts'
import { NotFoundError, TokenSecretMismatchError } from '../domain/errors.ts'
import { iso } from './json.ts'
import { isUniqueViolation } from './sql-errors.ts'
import { preparedQuery } from './prepared-query.ts'
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

/** How rows made before migration 0008 were stored: an unsalted SHA-256 of the secret. */
export const legacyHash = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex')

/** What ensure() found for STUDIO_ADMIN_TOKEN. */
export type EnsureResult = 'created' | 'exists' | 'revoked'

/** Bearer secrets whose hashes are kept, most recently used last (a studio has a handful of tokens). */
const HASH_CACHE_SIZE = 64

const tokenRows = preparedQuery((db, p: { hmac: string; legacy: string }) => db.selectFrom('api_tokens').selectAll().where('token_hash', 'in', [p.hmac, p.legacy]))

const KEY_ROW = 'token-key'
const CHECK_ROW = 'token-key-check'
const CHECK_TEXT = 'studio-print token key check v1'

/**
 * API tokens. Only an HMAC-SHA-256 of each secret is stored, keyed with the server's token key:
 * STUDIO_TOKEN_SECRET, or — when that is not set — a random key this store keeps in the database
 * (auth_keys). Tokens made before migration 0008 (plain SHA-256) keep working and are rewritten
 * under the key when they are next used. Hashes are compared in constant time.
 */
export class TokenStore {
  private secret: string | null = null
  private key: Promise<Buffer> | null = null
  /**
   * The hashes of the last HASH_CACHE_SIZE secrets presented: two HMAC/SHA-256 computations per
   * request otherwise. Only hashes are kept; the row is read every time, so a revoked token is
   * refused at once.
   */
  private readonly hashCache = new Map<string, { hmac: string; legacy: string }>()

  constructor(private readonly db: Kysely<Database>, private readonly clock: Clock = () => new Date()) {}

  /** STUDIO_TOKEN_SECRET (null: the key kept in the database). Call before the first use. */
  useSecret(secret: string | null): void {
    this.secret = secret
    this.key = null
    this.hashCache.clear()
  }

  /** Loads (or makes, on a new database) the token key; TOKEN_SECRET_MISMATCH when the configured one is not this database's. */
  loadKey(): Promise<Buffer> {
    this.key ??= this.readKey().catch((err: unknown) => {
      this.key = null
      throw err
    })
    return this.key
  }

  private async readKey(): Promise<Buffer> {
    if (this.secret === null && !(await this.hasRow(KEY_ROW)) && (await this.hasRow(CHECK_ROW))) throw new TokenSecretMismatchError()
    const key = this.secret !== null ? Buffer.from(this.secret, 'utf8') : Buffer.from(await this.keyRow(KEY_ROW, () => randomBytes(32).toString('base64')), 'base64')
    const check = createHmac('sha256', key).update(CHECK_TEXT).digest('hex')
    if ((await this.keyRow(CHECK_ROW, () => check)) !== check) throw new TokenSecretMismatchError()
    return key
  }

  private async hasRow(name: string): Promise<boolean> {
    return (await this.db.selectFrom('auth_keys').select('name').where('name', '=', name).executeTakeFirst()) !== undefined
  }

  /** The value of an auth_keys row, made with `make()` when missing (the first of two racing servers wins). */
  private async keyRow(name: string, make: () => string): Promise<string> {
    const read = () => this.db.selectFrom('auth_keys').select('value').where('name', '=', name).executeTakeFirst()
    const row = await read()
    if (row) return row.value
    try {
      await this.db.insertInto('auth_keys').values({ name, value: make(), created_at: this.clock().getTime() }).execute()
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
    }
    return (await read())!.value
  }

  private async hashes(secret: string): Promise<{ hmac: string; legacy: string }> {
    const cached = this.hashCache.get(secret)
    if (cached) {
      this.hashCache.delete(secret)
      this.hashCache.set(secret, cached)
      return cached
    }
    const h = { hmac: createHmac('sha256', await this.loadKey()).update(secret, 'utf8').digest('hex'), legacy: legacyHash(secret) }
    this.hashCache.set(secret, h)
    if (this.hashCache.size > HASH_CACHE_SIZE) this.hashCache.delete(this.hashCache.keys().next().value as string)
    return h
  }

  async create(role: Role, station: string | null, label: string | null, secret = `sp_${randomBytes(32).toString('base64url')}`): Promise<{ id: number; token: string }> {
    const { hmac } = await this.hashes(secret)
    const result = await this.db
      .insertInto('api_tokens')
      .values({ token_hash: hmac, hash_scheme: 'hmac', role, station, label, created_at: this.clock().getTime(), revoked_at: null })
      .executeTakeFirstOrThrow()
    return { id: Number(result.insertId), token: secret }
  }

  /** The row of a secret, revoked or not, under either scheme. */
  private async rowOf(secret: string) {
    const { hmac, legacy } = await this.hashes(secret)
    const { rows } = await tokenRows(this.db, { hmac, legacy })
    const row = rows.find((r) => r.token_hash === (r.hash_scheme === 'hmac' ? hmac : legacy))
    if (!row) return null
    const expected = row.hash_scheme === 'hmac' ? hmac : legacy
    if (!timingSafeEqual(Buffer.from(row.token_hash, 'hex'), Buffer.from(expected, 'hex'))) return null
    if (row.hash_scheme === 'sha256') {
      // Rewritten under the key at first use; a racing server doing the same changes nothing more.
      await this.db.updateTable('api_tokens').set({ token_hash: hmac, hash_scheme: 'hmac' }).where('id', '=', row.id).where('hash_scheme', '=', 'sha256').execute()
    }
    return row
  }

  /**
   * Makes a token with this exact secret exist (STUDIO_ADMIN_TOKEN). A token revoked through the
   * API stays revoked: 'revoked' is returned and nothing changes (set a new value instead).
   */
  async ensure(secret: string, role: Role, label: string): Promise<EnsureResult> {
    const row = await this.rowOf(secret)
    if (row) return row.revoked_at === null ? 'exists' : 'revoked'
    try {
      await this.create(role, null, label, secret)
      return 'created'
    } catch (err) {
      if (isUniqueViolation(err)) return 'exists' // another server created it at the same moment
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

  /** The principal a bearer secret stands for, or null (unknown or revoked). */
  async authenticate(secret: string): Promise<Principal | null> {
    if (secret.length > 512) return null
    const row = await this.rowOf(secret)
    if (!row || row.revoked_at !== null) return null
    return principalOf(row)
  }

  async list(): Promise<TokenInfo[]> {
    const rows = await this.db.selectFrom('api_tokens').select(['id', 'role', 'station', 'label', 'created_at', 'revoked_at']).orderBy('id').execute()
    return rows.map((r) => ({
      id: Number(r.id),
      role: r.role as Role,
      station: r.station,
      label: r.label,
      createdAt: iso(r.created_at),
      revokedAt: r.revoked_at === null ? null : iso(r.revoked_at),
    }))
  }

  /** Revokes a token at once; its browser sessions end with it. */
  async revoke(id: number): Promise<void> {
    const at = this.clock().getTime()
    const result = await this.db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) {
      const exists = await this.db.selectFrom('api_tokens').select('id').where('id', '=', id).executeTakeFirst()
      if (!exists) throw new NotFoundError(`Token ${id}`, { id }, 'TOKEN_NOT_FOUND')
    }
    await this.db.updateTable('web_sessions').set({ ended_at: at }).where('token_id', '=', id).where('ended_at', 'is', null).execute()
  }
}

export function principalOf(row: { id: number; role: string; station: string | null; label: string | null }): Principal {
  return { tokenId: Number(row.id), role: row.role as Role, station: row.station, name: row.label ?? `token:${row.id}` }
}
