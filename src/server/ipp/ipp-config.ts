/** The IPP printers' settings (environment, all optional; read by the configuration schema, src/config/env-schema.ts). */
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
