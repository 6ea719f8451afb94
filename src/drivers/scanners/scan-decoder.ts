import { AppError } from '../../domain/errors.ts'
import { MAX_SCAN_LENGTH } from '../../domain/barcode-payload.ts'
import type { RawFrame } from './scan-framer.ts'

/** Symbology names by AIM code character (ISO/IEC 15424). Closed set with a runtime check. */
export const SYMBOLOGIES = [
  'Code 39',
  'Code 128',
  'GS1-128',
  'EAN/UPC',
  'GS1 DataBar',
  'DataMatrix',
  'GS1 DataMatrix',
  'QR Code',
  'GS1 QR Code',
  'PDF417',
  'ITF',
  'Aztec',
  'Codabar',
  'Code 93',
  'unknown',
] as const
export type Symbology = (typeof SYMBOLOGIES)[number]

const BY_CODE: Readonly<Record<string, Symbology>> = {
  A: 'Code 39',
  C: 'Code 128',
  E: 'EAN/UPC',
  e: 'GS1 DataBar',
  d: 'DataMatrix',
  Q: 'QR Code',
  L: 'PDF417',
  I: 'ITF',
  z: 'Aztec',
  F: 'Codabar',
  G: 'Code 93',
}
/** Modifiers that turn a symbology into its GS1 form (`]C1`, `]d2`, `]Q3`). */
const GS1_FORMS: Readonly<Record<string, Symbology>> = { C1: 'GS1-128', d2: 'GS1 DataMatrix', Q3: 'GS1 QR Code' }

/** `]` + code character + modifier character. */
const AIM_ID = /^\][A-Za-z][0-9A-Za-z]/

/** AIM identifier → symbology name; 'unknown' for a well-formed identifier we have no name for. */
export function symbologyOf(aimId: string): Symbology {
  return GS1_FORMS[aimId.slice(1, 3)] ?? BY_CODE[aimId[1]] ?? 'unknown'
}

/** 0x1D (GS, the FNC1 of GS1 data) is the one control byte a scan may carry. */
export const GS = '\u001d'

export type ScanRejectReason = 'too-long' | 'control-byte' | 'encoding' | 'empty' | 'incomplete'

export type DecodedScan =
  | { ok: true; data: string; symbology: Symbology | null; aimId: string | null }
  | { ok: false; error: AppError; raw: string; rawLength: number }

export interface DecodeOptions {
  /** How frame bytes become text: 'utf8' (default; invalid UTF-8 is refused) or 'latin1'. */
  encoding?: 'utf8' | 'latin1'
  /** Longest data accepted, in characters, after the AIM identifier is removed (default 256). */
  maxLength?: number
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

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
  if (typeof frame === 'string') {
    text = frame
    rawLength = frame.length
  } else {
    const bytes = frame instanceof Uint8Array ? frame : frame.bytes
    if (!(frame instanceof Uint8Array)) {
      rawLength = frame.length
      truncated = frame.truncated
      incomplete = frame.endedBy === 'end' || frame.endedBy === 'idle' || frame.endedBy === 'broken' ? frame.endedBy : null
    } else {
      rawLength = bytes.length
    }
    if (options.encoding === 'latin1') text = Buffer.from(bytes).toString('latin1')
    else {
      try {
        text = utf8.decode(bytes)
      } catch {
        return refuse('SCAN_INVALID', 'encoding', 'The scan is not valid UTF-8 text (garbage on the line, or a wrong baud rate?).', Buffer.from(bytes).toString('latin1'), rawLength)
      }
    }
  }
  const raw = text
  if (incomplete === 'end') return refuse('SCAN_INVALID', 'incomplete', 'The scanner went away in the middle of a scan.', raw, rawLength)
  if (incomplete === 'broken') return refuse('SCAN_INVALID', 'incomplete', 'A USB transfer failed in the middle of a scan; the part read was dropped.', raw, rawLength)
  if (incomplete === 'idle') return refuse('SCAN_INVALID', 'incomplete', 'A partial scan (no Enter after it) was dropped after an idle gap.', raw, rawLength)
  text = text.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
  let aimId: string | null = null
  const aim = AIM_ID.exec(text)
  if (aim) {
    aimId = aim[0]
    text = text.slice(aimId.length).replace(/^[ \t]+/, '')
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
  return { ok: true, data: text, symbology: aimId ? symbologyOf(aimId) : null, aimId }
}

function refuse(code: string, reason: string, message: string, raw: string, rawLength: number): DecodedScan {
  return { ok: false, error: new AppError(code, 'invalid', message, { reason, length: rawLength }), raw: printable(raw), rawLength }
}

/** Control characters as \xNN, cut at 512 characters, so that logs and events never carry them. */
export function printable(text: string, max = 512): string {
  const cut = text.length > max ? text.slice(0, max) + '…' : text
  return cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
}
