/**
 * How one environment variable is read: the shared readers every section of the configuration
 * schema (env-schema.ts) is made of. Each is a zod schema of the raw text (`undefined` when the
 * variable is unset); a value it refuses becomes an issue whose message says what the variable
 * accepts. Unset and empty are the same (the default) unless a reader says otherwise.
 */
import { z } from 'zod'

export type RawEnvValue = string | undefined

/** An issue's `params` of a reader: the value is left out of the message (tokens, secrets). */
export interface EnvIssueParams {
  secret?: boolean
}

function isUnset(raw: RawEnvValue): raw is undefined | '' {
  return raw === undefined || raw === ''
}

/**
 * A reader: `read` gives the value, or calls `refuse` with what follows the variable's name in the
 * message (e.g. `must be 0 or 1`); the value itself is added to the message unless `secret`.
 */
export function envField<T>(read: (raw: RawEnvValue, refuse: (phrase: string) => never) => T, options: EnvIssueParams = {}) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      try {
        return read(raw, (phrase) => {
          throw new Refusal(phrase)
        })
      } catch (err) {
        if (!(err instanceof Refusal)) throw err
        const message = options.secret || raw === undefined ? err.phrase : `${err.phrase}, not "${raw}"`
        ctx.addIssue({ code: 'custom', message, params: { secret: options.secret ?? false } satisfies EnvIssueParams })
        return z.NEVER
      }
    })
}

class Refusal {
  constructor(readonly phrase: string) {}
}

/** Any text; unset or empty: `fallback`. */
export function text(fallback: string) {
  return envField((raw) => (isUnset(raw) ? fallback : raw))
}

/** Any text; unset or empty: null. */
export function optionalText() {
  return envField((raw) => (isUnset(raw) ? null : raw))
}

export interface WholeNumberRule {
  /** Unset or empty: this (a function for a default worked out from the machine). */
  fallback: number | (() => number)
  min: number
  max?: number
  /** Said after the range in the message, e.g. ` (ms)`. */
  unit?: string
  /** Only plain digits (at most this many) are read: `1e3`, `0x10`, ` 80` are refused. Otherwise as `Number()` reads it. */
  digits?: number
}

/** A whole number in min..max (max: none when absent). */
export function wholeNumber(rule: WholeNumberRule) {
  const range = rule.max === undefined ? `a whole number ≥ ${rule.min}` : `a whole number ${rule.min}..${rule.max}`
  const pattern = rule.digits === undefined ? null : new RegExp(`^\\d{1,${rule.digits}}$`)
  return envField((raw, refuse) => {
    if (isUnset(raw)) return typeof rule.fallback === 'function' ? rule.fallback() : rule.fallback
    const n = pattern && !pattern.test(raw) ? NaN : Number(raw)
    if (!Number.isInteger(n) || n < rule.min || (rule.max !== undefined && n > rule.max)) refuse(`must be ${range}${rule.unit ?? ''}`)
    return n
  })
}

/**
 * `0` or `1`. Unset: `fallback`; empty: `fallback` too, unless `emptyRefused` (STUDIO_DEMO, which
 * has always refused an empty value).
 */
export function flag(fallback: boolean, options: { emptyRefused?: boolean } = {}) {
  return envField((raw, refuse) => {
    if (raw === undefined || (raw === '' && !options.emptyRefused)) return fallback
    if (raw !== '0' && raw !== '1') refuse('must be 0 or 1')
    return raw === '1'
  })
}

/** One of `values`; unset or empty: `fallback`. */
export function oneOf<const V extends string>(values: readonly V[], fallback: V) {
  return envField((raw, refuse): V => {
    if (isUnset(raw)) return fallback
    if (!(values as readonly string[]).includes(raw)) refuse(`must be one of ${values.join(', ')}`)
    return raw as V
  })
}

/** A list separated by `separator`, empty items dropped; unset: none. */
export function list(separator: string) {
  return envField((raw) => (raw ?? '').split(separator).filter((item) => item !== ''))
}
