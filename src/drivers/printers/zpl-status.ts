import { normalizeReasons, stateFromReasons, type PrinterStatus } from './printer-status.ts'

/** Fields of a `~HS` answer (ZPL II programming guide, ~HS). */
export interface ZplHostStatus {
  paperOut: boolean
  paused: boolean
  labelLengthDots: number
  formatsInBuffer: number
  bufferFull: boolean
  partialFormat: boolean
  corruptRam: boolean
  underTemperature: boolean
  overTemperature: boolean
  headUp: boolean
  ribbonOut: boolean
  thermalTransfer: boolean
  printMode: number
  labelsRemaining: number
}

const FRAME = /\x02([^\x02\x03]*)\x03/g

/** The STX…ETX frames in `reply`. */
function frames(reply: Uint8Array | string): string[] {
  const text = typeof reply === 'string' ? reply : Buffer.from(reply).toString('latin1')
  return [...text.matchAll(FRAME)].map((m) => m[1].trim())
}

/** Whether `reply` holds a full `~HS` answer (3 frames). The framing predicate for request(). */
export function isCompleteHostStatus(reply: Uint8Array): boolean {
  return frames(reply).filter((f) => /^\d/.test(f)).length >= 3
}

/**
 * Parses the three STX…ETX lines of a `~HS` answer. Returns undefined when the reply is not one
 * (too few fields, not numbers). Extra bytes around the frames are ignored.
 */
export function parseHostStatus(reply: Uint8Array | string): ZplHostStatus | undefined {
  const f = frames(reply).filter((x) => /^\d/.test(x))
  if (f.length < 3) return undefined
  const a = f[0].split(',').map((s) => s.trim())
  const b = f[1].split(',').map((s) => s.trim())
  if (a.length < 12 || b.length < 9 || ![...a, ...b].every((s) => /^\d+$/.test(s))) return undefined
  const flag = (s: string) => s === '1'
  return {
    paperOut: flag(a[1]),
    paused: flag(a[2]),
    labelLengthDots: Number(a[3]),
    formatsInBuffer: Number(a[4]),
    bufferFull: flag(a[5]),
    partialFormat: flag(a[7]),
    corruptRam: flag(a[9]),
    underTemperature: flag(a[10]),
    overTemperature: flag(a[11]),
    headUp: flag(b[2]),
    ribbonOut: flag(b[3]),
    thermalTransfer: flag(b[4]),
    printMode: Number(b[5]),
    labelsRemaining: Number(b[8]),
  }
}

/** `~HS` fields → IPP status. */
export function hostStatusToPrinterStatus(hs: ZplHostStatus): PrinterStatus {
  const reasons: string[] = []
  const details: string[] = []
  if (hs.paperOut) reasons.push('media-empty-error', 'media-needed-error')
  if (hs.headUp) reasons.push('cover-open-error')
  if (hs.ribbonOut) reasons.push('marker-supply-empty-error')
  if (hs.paused) reasons.push('paused')
  if (hs.overTemperature) (reasons.push('other-error'), details.push('head over temperature'))
  if (hs.underTemperature) (reasons.push('other-warning'), details.push('head under temperature'))
  if (hs.corruptRam) (reasons.push('other-error'), details.push('corrupt RAM (configuration lost)'))
  if (hs.bufferFull) (reasons.push('spool-area-full-report'), details.push('receive buffer full'))
  const r = normalizeReasons(reasons)
  const busy = hs.formatsInBuffer > 0 || hs.labelsRemaining > 0 || hs.partialFormat
  return { state: stateFromReasons(r, busy), reasons: r, ...(details.length ? { details } : {}), source: '~HS' }
}

/** Fields of a `~HQES` answer: the error and warning flag groups. */
export interface ZplExtendedStatus {
  errors: bigint
  warnings: bigint
}

const HQES_LINE = (label: string) => new RegExp(`${label}:\\s*(\\d)\\s+([0-9A-Fa-f]{8})\\s+([0-9A-Fa-f]{8})`)

/** Whether `reply` holds a full `~HQES` answer (ERRORS and WARNINGS lines, then ETX). */
export function isCompleteExtendedStatus(reply: Uint8Array): boolean {
  const text = Buffer.from(reply).toString('latin1')
  const w = HQES_LINE('WARNINGS').exec(text)
  return HQES_LINE('ERRORS').test(text) && w !== null && text.indexOf('\x03', w.index) > 0
}

/** Parses `PRINTER STATUS / ERRORS: f xxxxxxxx yyyyyyyy / WARNINGS: …`; undefined if absent. */
export function parseExtendedStatus(reply: Uint8Array | string): ZplExtendedStatus | undefined {
  const text = typeof reply === 'string' ? reply : Buffer.from(reply).toString('latin1')
  const e = HQES_LINE('ERRORS').exec(text)
  const w = HQES_LINE('WARNINGS').exec(text)
  if (!e || !w) return undefined
  return { errors: BigInt(`0x${e[2]}${e[3]}`), warnings: BigInt(`0x${w[2]}${w[3]}`) }
}

/** Error bits of the lowest group (ZPL manual, ~HQES). */
const HQES_ERRORS: [bigint, string, string][] = [
  [0x1n, 'media-empty-error', 'media out'],
  [0x2n, 'marker-supply-empty-error', 'ribbon out'],
  [0x4n, 'cover-open-error', 'head open'],
  [0x8n, 'other-error', 'cutter fault'],
  [0x10n, 'other-error', 'head over temperature'],
  [0x20n, 'other-error', 'motor over temperature'],
  [0x40n, 'other-error', 'bad head element'],
  [0x80n, 'other-error', 'head detection error'],
  [0x100n, 'other-error', 'invalid firmware configuration'],
  [0x200n, 'other-error', 'head thermistor open'],
  [0x10000n, 'paused', 'paused'],
]
const HQES_WARNINGS: [bigint, string, string][] = [
  [0x1n, 'other-warning', 'media needs calibration'],
  [0x2n, 'other-warning', 'clean print head'],
  [0x4n, 'other-warning', 'replace print head'],
  [0x8n, 'media-low-warning', 'paper near end'],
]

/** `~HQES` flags → IPP status. Unknown set bits become 'other-error' / 'other-warning'. */
export function extendedStatusToPrinterStatus(hq: ZplExtendedStatus): PrinterStatus {
  const reasons: string[] = []
  const details: string[] = []
  let known = 0n
  for (const [bit, reason, detail] of HQES_ERRORS) {
    known |= bit
    if (hq.errors & bit) {
      reasons.push(reason)
      if (bit === 0x1n) reasons.push('media-needed-error')
      if (reason === 'other-error') details.push(detail)
    }
  }
  if (hq.errors & ~known) (reasons.push('other-error'), details.push(`error flags 0x${hq.errors.toString(16)}`))
  known = 0n
  for (const [bit, reason, detail] of HQES_WARNINGS) {
    known |= bit
    if (hq.warnings & bit) (reasons.push(reason), reason === 'other-warning' && details.push(detail))
  }
  if (hq.warnings & ~known) (reasons.push('other-warning'), details.push(`warning flags 0x${hq.warnings.toString(16)}`))
  const r = normalizeReasons(reasons)
  return { state: stateFromReasons(r), reasons: r, ...(details.length ? { details } : {}), source: '~HQES' }
}
