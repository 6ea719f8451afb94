import type { Kysely } from 'kysely'

/**
 * Sign-in hardening:
 * - `api_tokens.hash_scheme`: `sha256` (rows made before this migration: an unsalted SHA-256 of
 *   the secret) or `hmac` (HMAC-SHA-256 under the server's token key). Old rows keep working and
 *   are rewritten as `hmac` the first time their token signs in.
 * - `auth_keys`: the token key when STUDIO_TOKEN_SECRET is not set, and a check value that tells a
 *   server whose STUDIO_TOKEN_SECRET differs from the one the tokens were made with.
 * - `web_sessions`: browser sessions. The cookie holds a random session id; only its SHA-256 is
 *   stored. A session ends at logout, at its expiry, after idling, and when its token is revoked.
 *
 * Every step checks first, so a run interrupted half-way (MariaDB DDL is not transactional) can
 * run again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const tables = await db.introspection.getTables()
  const tokens = tables.find((t) => t.name === 'api_tokens')
  if (tokens && !tokens.columns.some((c) => c.name === 'hash_scheme')) {
    await db.schema.alterTable('api_tokens').addColumn('hash_scheme', 'varchar(10)', (c) => c.notNull().defaultTo('sha256')).execute()
  }
  await db.schema
    .createTable('auth_keys')
    .ifNotExists()
    .addColumn('name', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('value', 'varchar(200)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createTable('web_sessions')
    .ifNotExists()
    .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('token_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute()
  if (!tables.some((t) => t.name === 'web_sessions')) {
    await db.schema.createIndex('web_sessions_token').ifNotExists().on('web_sessions').column('token_id').execute()
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('web_sessions').ifExists().execute()
  await db.schema.dropTable('auth_keys').ifExists().execute()
  await db.schema.alterTable('api_tokens').dropColumn('hash_scheme').execute()
}
