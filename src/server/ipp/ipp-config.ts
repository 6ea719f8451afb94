import { ValidationError } from '../../domain/errors.ts'

export interface IppConfig {
  /** STUDIO_IPP: serve every printer as an IPP printer (default on). */
  enabled: boolean
  /** STUDIO_IPP_MAX_MB: largest IPP request (attributes and document). */
  maxRequestBytes: number
  /** STUDIO_IPP_DNSSD: advertise the printers with avahi (default off). */
  dnssd: boolean
  /**
   * STUDIO_IPP_PUBLIC_ATTRIBUTES: Get-Printer-Attributes answers without credentials (what CUPS's
   * `lpadmin -m everywhere` and OS printer set-up ask before they know a password). Default off:
   * no IPP answer about a printer without a token, as the JSON API.
   */
  publicAttributes: boolean
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const v = env[name]
  if (v === undefined || v === '') return fallback
  if (v !== '0' && v !== '1') throw new ValidationError(`${name} must be 0 or 1, not "${v}"`, {}, 'CONFIG_INVALID')
  return v === '1'
}

export function loadIppConfig(env: NodeJS.ProcessEnv = process.env): IppConfig {
  const raw = env.STUDIO_IPP_MAX_MB
  const mb = raw === undefined || raw === '' ? 64 : Number(raw)
  if (!Number.isInteger(mb) || mb < 1 || mb > 512) throw new ValidationError(`STUDIO_IPP_MAX_MB must be 1..512, not "${raw}"`, {}, 'CONFIG_INVALID')
  return { enabled: flag(env, 'STUDIO_IPP', true), maxRequestBytes: mb * 1024 * 1024, dnssd: flag(env, 'STUDIO_IPP_DNSSD', false), publicAttributes: flag(env, 'STUDIO_IPP_PUBLIC_ATTRIBUTES', false) }
}
