import type { RecordType } from './records.ts'
import { ValidationError } from './errors.ts'
import { readAimId, type AimMode } from './aim-identifiers.ts'

/** Type prefixes of barcode payloads (DOMAIN.md): one scan routes itself. */
export const PAYLOAD_PREFIXES: Readonly<Record<RecordType, string>> = {
  client: 'C',
  session: 'S',
  invoice: 'INV',
  'production-order': 'PO',
}

export const MAX_SCAN_LENGTH = 256

export interface ParsedPayload {
  type: RecordType
  number: number
  /** The AIM symbology identifier the scanner put in front, if any (`]C0`). */
  symbologyId: string | null
}

/** `C-000123`: uppercase, digits and `-` only, so it is Code 39-safe. */
export function formatPayload(type: RecordType, number: number): string {
  if (!Number.isSafeInteger(number) || number < 1) throw new RangeError(`not a record number: ${number}`)
  return `${PAYLOAD_PREFIXES[type]}-${String(number).padStart(6, '0')}`
}

/**
 * A payload once trimmed and uppercased (AIM identifier taken off): prefix, optional hyphen,
 * number. Longest prefix first so that "INV" is never read as something shorter.
 */
export const PAYLOAD_PATTERN = /^(INV|PO|C|S)-?0*(\d{1,15})$/

export interface ParseOptions {
  /**
   * Whether `raw` may still start with an AIM identifier: 'auto' (default: typed or pasted text —
   * a known, valid one is removed), 'on', or 'off' (the text is data as it is: what a scanner
   * driver hands on, its identifier already read and removed by the scanner's own `aim` setting).
   */
  aim?: AimMode
  /** The identifier the scanner already read off this data (kept in the result), when `aim` is 'off'. */
  aimId?: string | null
}

/**
 * Reads a scanned or typed barcode: any case, with or without the hyphen, surrounding
 * whitespace, and (unless `options.aim` is 'off') a leading AIM symbology identifier (`]C0`,
 * `]A0`, `]Q1` …). Throws BARCODE_INVALID for anything else.
 */
export function parsePayload(raw: string, options: ParseOptions = {}): ParsedPayload {
  if (raw.length > MAX_SCAN_LENGTH) throw new ValidationError('The barcode is too long.', { length: raw.length }, 'BARCODE_INVALID')
  let text = raw.trim()
  let symbologyId: string | null = options.aimId ?? null
  // 'auto': only a known, valid identifier — `]ABC-1` is not `]AB` + `C-1` (Code 39 has no modifier B).
  const aim = readAimId(text, options.aim ?? 'auto')
  if (aim) {
    symbologyId = aim.id
    text = text.slice(aim.id.length).trim()
  }
  const match = PAYLOAD_PATTERN.exec(text.toUpperCase())
  const number = match ? Number(match[2]) : 0
  if (!match || !Number.isSafeInteger(number) || number < 1) {
    throw new ValidationError(`"${printable(raw)}" is not a Studio Print barcode (expected C-, S-, INV- or PO- and a number).`, { barcode: printable(raw) }, 'BARCODE_INVALID')
  }
  const type = (Object.keys(PAYLOAD_PREFIXES) as RecordType[]).find((t) => PAYLOAD_PREFIXES[t] === match[1])
  if (!type) throw new Error('unreachable: prefix table and pattern disagree')
  return { type, number, symbologyId }
}

/** Control characters shown as \xNN so that an error message never carries them. */
function printable(text: string): string {
  return text.slice(0, 64).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}
