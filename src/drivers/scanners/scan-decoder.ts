import { AppError } from '../../domain/errors.ts'
import { MAX_SCAN_LENGTH } from '../../domain/barcode-payload.ts'
import type { RawFrame } from './scan-framer.ts'
import { AIM_SYMBOLOGY_NAMES, readAimId, type AimId, type AimMode } from '../../domain/aim-identifiers.ts'
import { decodeEci, unescapeEciText } from './aim-eci.ts'

/** Symbology names an AIM identifier can give (ISO/IEC 15424; see domain/aim-identifiers). */
export const SYMBOLOGIES = AIM_SYMBOLOGY_NAMES
export type Symbology = string

/** AIM identifier → symbology name; 'unknown' for a well-formed identifier we have no name for. */
export function symbologyOf(aimId: string): Symbology {
  return readAimId(aimId, 'on')?.symbology ?? 'unknown'
}

/** 0x1D (GS, the FNC1 of GS1 data) is the one control byte a scan may carry. */
export const GS = '\u001d'

export type ScanRejectReason = 'too-long' | 'control-byte' | 'encoding' | 'empty' | 'incomplete' | 'eci-unsupported' | 'eci-malformed'

export type DecodedScan =
  | { ok: true; data: string; symbology: Symbology | null; aimId: string | null; gs1: boolean }
  | { ok: false; error: AppError; raw: string; rawLength: number }

export interface DecodeOptions {
  /** How frame bytes become text: 'utf8' (default; invalid UTF-8 is refused), 'latin1'
   * (ISO-8859-1), 'cp1252' (Windows-1252), or another WHATWG encoding label ('iso-8859-2',
   * 'shift_jis' …; bytes that don't decode are refused). */
  encoding?: string
  /** Whether the scanner sends AIM identifiers (default 'auto': strip only a known, valid one). */
  aim?: AimMode
  /** Longest data accepted, in characters, after the AIM identifier is removed (default 256). */
  maxLength?: number
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
/** Windows-1252 0x80–0x9F (the rest is Latin-1): Node reads the 'windows-1252' label as Latin-1. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'

/** A checked encoding name (SCANNER_URI_INVALID-free: callers check with `isEncoding`). */
export function isEncoding(label: string): boolean {
  if (['utf8', 'latin1', 'cp1252'].includes(label)) return true
  try {
    new TextDecoder(label)
    return true
  } catch {
    return false
  }
}

/** Bytes → text in `encoding`; throws on bytes that are not valid in it. */
export function bytesToText(bytes: Uint8Array, encoding = 'utf8'): string {
  switch (encoding.toLowerCase()) {
    case 'utf8':
    case 'utf-8':
      return utf8.decode(bytes)
    case 'latin1':
    case 'iso-8859-1':
      return Buffer.from(bytes).toString('latin1')
    case 'cp1252':
    case 'windows-1252':
      return [...bytes].map((b) => (b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b))).join('')
    default:
      return new TextDecoder(encoding, { fatal: true }).decode(bytes)
  }
}

/**
 * One frame → a scan or a refusal. Steps: bytes → text; trim spaces, tabs, CR, LF at both ends;
 * read and remove a leading AIM identifier; refuse empty data, data longer than `maxLength`, and
 * any control character other than GS (C0, DEL, C1). Refusals are `AppError`s of kind 'invalid':
 * `SCAN_TOO_LONG`, or `SCAN_INVALID` with `details.reason`.
 */
export function decodeScan(frame: RawFrame | Uint8Array | string, options: DecodeOptions = {}): DecodedScan {
  const maxLength = options.maxLength ?? MAX_SCAN_LENGTH
  let text: string
  let rawLength: number
  let truncated = false
  let incomplete: 'end' | 'idle' | 'broken' | null = null
  let aimMode: AimMode = options.aim ?? 'auto'
  /** The data's ECI escapes are read already (byte frames: each segment decoded in its character set). */
  let eciRead = false
  if (typeof frame === 'string') {
    text = frame
    rawLength = frame.length
  } else {
    const bytes = frame instanceof Uint8Array ? frame : frame.bytes
    if (!(frame instanceof Uint8Array)) {
      rawLength = frame.length
      truncated = frame.truncated
      incomplete = frame.endedBy === 'end' || frame.endedBy === 'idle' || frame.endedBy === 'broken' ? frame.endedBy : null
      if (frame.aim) aimMode = frame.aim
    } else {
      rawLength = bytes.length
    }
    const eci = incomplete === null ? eciFrame(bytes, aimMode) : null
    if (eci) {
      const read = decodeEci(bytes.subarray(eci.dataAt, eci.dataEnd), (b, label) => bytesToText(b, label ?? options.encoding))
      if (!read.ok) return refuse('SCAN_INVALID', read.reason, read.message, Buffer.from(bytes).toString('latin1'), rawLength, read.eci)
      text = eci.aim.id + read.text
      eciRead = true
    } else {
      try {
        text = bytesToText(bytes, options.encoding)
      } catch {
        return refuse('SCAN_INVALID', 'encoding', `The scan is not valid ${options.encoding ?? 'UTF-8'} text (garbage on the line, a wrong baud rate, or the scanner set to another encoding?).`, Buffer.from(bytes).toString('latin1'), rawLength)
      }
    }
  }
  const raw = text
  if (incomplete === 'end') return refuse('SCAN_INVALID', 'incomplete', 'The scanner went away in the middle of a scan.', raw, rawLength)
  if (incomplete === 'broken') return refuse('SCAN_INVALID', 'incomplete', 'A USB transfer failed in the middle of a scan; the part read was dropped.', raw, rawLength)
  if (incomplete === 'idle') return refuse('SCAN_INVALID', 'incomplete', 'A partial scan (no Enter after it) was dropped after an idle gap.', raw, rawLength)
  text = text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
  const aim = readAimId(text, aimMode)
  if (aim) text = text.slice(aim.id.length).replace(/^[ \t]+/, '')
  if (aim?.eci && !eciRead) {
    const read = unescapeEciText(text)
    if (!read.ok) return refuse('SCAN_INVALID', read.reason, read.message, raw, rawLength, read.eci)
    text = read.text
  }
  if (truncated || text.length > maxLength) {
    return refuse('SCAN_TOO_LONG', 'too-long', `The scan is ${rawLength} characters long; at most ${maxLength} are accepted.`, raw, rawLength)
  }
  const control = /[\u0000-\u001c\u001e\u001f\u007f-\u009f\ufffd]/.exec(text)
  if (control) {
    const code = control[0].charCodeAt(0)
    return refuse('SCAN_INVALID', 'control-byte', `The scan holds a control character (\\x${code.toString(16).padStart(2, '0')} at ${control.index}); only GS (0x1D) is allowed.`, raw, rawLength)
  }
  if (text.length === 0) return refuse('SCAN_INVALID', 'empty', 'The scan holds no data.', raw, rawLength)
  return { ok: true, data: text, symbology: aim ? aim.symbology : null, aimId: aim ? aim.id : null, gs1: aim?.gs1 ?? false }
}

function refuse(code: 'SCAN_INVALID' | 'SCAN_TOO_LONG', reason: string, message: string, raw: string, rawLength: number, eci?: number): DecodedScan {
  return { ok: false, error: new AppError(code, 'invalid', message, { reason, length: rawLength, ...(eci === undefined ? {} : { eci }) }), raw: printable(raw), rawLength }
}

const SPACE = new Set([0x20, 0x09, 0x0d, 0x0a])

/**
 * A byte frame that starts (after spaces) with an AIM identifier saying the ECI protocol is in
 * use: the identifier and where its data starts and ends (end spaces, CR and LF left out).
 */
function eciFrame(bytes: Uint8Array, mode: AimMode): { aim: AimId; dataAt: number; dataEnd: number } | null {
  if (mode === 'off') return null
  let at = 0
  while (at < bytes.length && SPACE.has(bytes[at])) at++
  if (at + 3 > bytes.length) return null
  const aim = readAimId(String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2]), mode)
  if (!aim?.eci) return null
  let dataAt = at + 3
  while (dataAt < bytes.length && (bytes[dataAt] === 0x20 || bytes[dataAt] === 0x09)) dataAt++
  let dataEnd = bytes.length
  while (dataEnd > dataAt && (bytes[dataEnd - 1] === 0x0d || bytes[dataEnd - 1] === 0x0a)) dataEnd--
  return { aim, dataAt, dataEnd }
}

/** Control characters as \xNN, cut at 512 characters, so that logs and events never carry them —
 * except GS (0x1D), which GS1 data holds: it stays the byte everywhere (scan log, events, logs),
 * whichever path the scan came by. */
export function printable(text: string, max = 512): string {
  const cut = text.length > max ? text.slice(0, max) + '…' : text
  return cut.replace(/[\u0000-\u001c\u001e\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}
