import { ValidationError } from '../domain/errors.ts'

export const ADMIN_TOKEN_MIN_LENGTH = 24
export const ADMIN_TOKEN_MIN_DISTINCT = 12
export const ADMIN_TOKEN_MIN_BITS = 128
export const TOKEN_SECRET_MIN_LENGTH = 32

/**
 * Why STUDIO_ADMIN_TOKEN is too easy to guess, or null when it is strong enough: printable ASCII
 * without spaces, at least 24 characters, at least 12 of them different, and at least 128 bits by
 * the size of the character classes it draws on (length × log2 of lower 26 + upper 26 + digits 10
 * + symbols 32 used).
 */
export function adminTokenWeakness(token: string): string | null {
  if (!/^[\x21-\x7e]+$/.test(token)) return 'use printable ASCII without spaces'
  if (token.length < ADMIN_TOKEN_MIN_LENGTH) return `it has ${token.length} characters; it needs at least ${ADMIN_TOKEN_MIN_LENGTH}`
  if (token.length > 200) return 'it has more than 200 characters'
  const distinct = new Set(token).size
  if (distinct < ADMIN_TOKEN_MIN_DISTINCT) return `it has only ${distinct} different characters; it needs at least ${ADMIN_TOKEN_MIN_DISTINCT}`
  const pool = (/[a-z]/.test(token) ? 26 : 0) + (/[A-Z]/.test(token) ? 26 : 0) + (/[0-9]/.test(token) ? 10 : 0) + (/[^A-Za-z0-9]/.test(token) ? 32 : 0)
  const bits = Math.floor(token.length * Math.log2(pool))
  if (bits < ADMIN_TOKEN_MIN_BITS) return `it holds about ${bits} bits; it needs ${ADMIN_TOKEN_MIN_BITS} (make it longer or mix letters, capitals, digits and symbols)`
  return null
}

/** The message that follows the name STUDIO_ADMIN_TOKEN when it is too weak. */
export function adminTokenRefusal(why: string): string {
  return `is too weak: ${why}. Make one with: openssl rand -base64 32`
}

/** Throws CONFIG_INVALID saying how to make a strong one (see adminTokenWeakness). */
export function checkAdminTokenStrength(token: string): void {
  const why = adminTokenWeakness(token)
  if (why !== null) throw new ValidationError(`STUDIO_ADMIN_TOKEN ${adminTokenRefusal(why)}`, { variables: ['STUDIO_ADMIN_TOKEN'] }, 'CONFIG_INVALID')
}
