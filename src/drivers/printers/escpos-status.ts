import { normalizeReasons, stateFromReasons, type PrinterStatus } from './printer-status.ts'

/** `DLE EOT n` (10 04 n): real-time status request n = 1 printer, 2 offline cause, 3 error cause, 4 paper. */
export const dleEot = (n: 1 | 2 | 3 | 4): Uint8Array => Uint8Array.of(0x10, 0x04, n)

/** A status byte always has bit 1 and bit 4 set, bits 0 and 7 clear. */
export function isStatusByte(b: number): boolean {
  return (b & 0x93) === 0x12
}

/** The decoded answers to DLE EOT 1..4; a missing one (the printer didn't answer) is undefined. */
export interface EscPosStatusBytes {
  printer?: number
  offline?: number
  error?: number
  paper?: number
}

export interface EscPosStatus {
  offline: boolean
  coverOpen: boolean
  paperEnd: boolean
  error: boolean
  cutterError: boolean
  unrecoverableError: boolean
  autoRecoverableError: boolean
  paperNearEnd: boolean
  paperRollEnd: boolean
}

/** Decodes the status bytes (Epson ESC/POS, DLE EOT). Invalid bytes throw. */
export function parseDleEot(bytes: EscPosStatusBytes): EscPosStatus {
  for (const [k, v] of Object.entries(bytes)) {
    if (v !== undefined && !isStatusByte(v)) throw new RangeError(`not an ESC/POS status byte for ${k}: 0x${v.toString(16)}`)
  }
  const p = bytes.printer ?? 0x12
  const o = bytes.offline ?? 0x12
  const e = bytes.error ?? 0x12
  const r = bytes.paper ?? 0x12
  return {
    offline: (p & 0x08) !== 0,
    coverOpen: (o & 0x04) !== 0,
    paperEnd: (o & 0x20) !== 0,
    error: (o & 0x40) !== 0,
    cutterError: (e & 0x08) !== 0,
    unrecoverableError: (e & 0x20) !== 0,
    autoRecoverableError: (e & 0x40) !== 0,
    paperNearEnd: (r & 0x0c) !== 0,
    paperRollEnd: (r & 0x60) !== 0,
  }
}

/** ESC/POS status → IPP status. */
export function escPosToPrinterStatus(s: EscPosStatus): PrinterStatus {
  const reasons: string[] = []
  const details: string[] = []
  if (s.paperEnd || s.paperRollEnd) reasons.push('media-empty-error', 'media-needed-error')
  if (s.coverOpen) reasons.push('cover-open-error')
  if (s.cutterError) (reasons.push('other-error'), details.push('auto-cutter error'))
  if (s.unrecoverableError) (reasons.push('other-error'), details.push('unrecoverable error'))
  if (s.autoRecoverableError) (reasons.push('other-error'), details.push('auto-recoverable error (e.g. head temperature)'))
  if (s.error && !s.cutterError && !s.unrecoverableError && !s.autoRecoverableError) (reasons.push('other-error'), details.push('error'))
  if (s.offline && reasons.length === 0) (reasons.push('other-error'), details.push('offline'))
  if (s.paperNearEnd && !s.paperRollEnd && !s.paperEnd) reasons.push('media-low-warning')
  const r = normalizeReasons(reasons)
  return { state: stateFromReasons(r), reasons: r, ...(details.length ? { details } : {}), source: 'DLE EOT' }
}
