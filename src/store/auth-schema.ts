/** Tables of migration 0008 (sign-in hardening), merged into the Database of schema.ts. */
export interface AuthKeysTable {
  name: string
  value: string
  created_at: number
}

export interface WebSessionsTable {
  id_hash: string
  token_id: number
  created_at: number
  last_seen_at: number
  expires_at: number
  ended_at: number | null
}

declare module './schema.ts' {
  interface Database {
    auth_keys: AuthKeysTable
    web_sessions: WebSessionsTable
  }
  interface ApiTokensTable {
    /** `sha256` (made before migration 0008) or `hmac`. */
    hash_scheme: 'sha256' | 'hmac'
  }
}
