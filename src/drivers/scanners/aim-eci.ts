/**
 * The AIM ECI protocol (Extended Channel Interpretation) in a scanner's output: when the AIM
 * identifier's modifier says ECI is in use (`]Q2`, `]d4`, `]z3`, `]L1`, `]U2` …; see
 * domain/aim-identifiers), a backslash followed by six digits (`\000026`) is an ECI designator
 * that sets how the data after it is to be read, and a backslash of the data itself is sent
 * doubled (`\\`). Data before the first designator is read as the scanner's transport encoding.
 *
 * The designators work on bytes, not characters: a doubled 0x5C may be the second byte of a
 * Shift JIS character, so frames are split on their bytes and each segment decoded on its own.
 */

/** ECI assignments (AIM ECI Part 3) to the text decoders that read them; null: known, not read here. */
export const ECI_CHARSETS: Readonly<Record<number, { name: string; decoder: string | null }>> = {
  0: { name: 'Code page 437 (GLI 0)', decoder: null },
  1: { name: 'ISO/IEC 8859-1 (GLI 1)', decoder: 'latin1' },
  2: { name: 'Code page 437', decoder: null },
  3: { name: 'ISO/IEC 8859-1 Latin-1', decoder: 'latin1' },
  4: { name: 'ISO/IEC 8859-2 Latin-2', decoder: 'iso-8859-2' },
  5: { name: 'ISO/IEC 8859-3 Latin-3', decoder: 'iso-8859-3' },
  6: { name: 'ISO/IEC 8859-4 Latin-4', decoder: 'iso-8859-4' },
  7: { name: 'ISO/IEC 8859-5 Cyrillic', decoder: 'iso-8859-5' },
  8: { name: 'ISO/IEC 8859-6 Arabic', decoder: 'iso-8859-6' },
  9: { name: 'ISO/IEC 8859-7 Greek', decoder: 'iso-8859-7' },
  10: { name: 'ISO/IEC 8859-8 Hebrew', decoder: 'iso-8859-8' },
  11: { name: 'ISO/IEC 8859-9 Latin-5', decoder: 'iso-8859-9' },
  12: { name: 'ISO/IEC 8859-10 Latin-6', decoder: 'iso-8859-10' },
  13: { name: 'ISO/IEC 8859-11 Thai', decoder: 'iso-8859-11' },
  15: { name: 'ISO/IEC 8859-13 Latin-7', decoder: 'iso-8859-13' },
  16: { name: 'ISO/IEC 8859-14 Latin-8', decoder: 'iso-8859-14' },
  17: { name: 'ISO/IEC 8859-15 Latin-9', decoder: 'iso-8859-15' },
  18: { name: 'ISO/IEC 8859-16 Latin-10', decoder: 'iso-8859-16' },
  20: { name: 'Shift JIS', decoder: 'shift_jis' },
  21: { name: 'Windows-1250', decoder: 'windows-1250' },
  22: { name: 'Windows-1251', decoder: 'windows-1251' },
  23: { name: 'Windows-1252', decoder: 'cp1252' },
  24: { name: 'Windows-1256', decoder: 'windows-1256' },
  25: { name: 'UTF-16BE', decoder: 'utf-16be' },
  26: { name: 'UTF-8', decoder: 'utf8' },
  27: { name: 'US-ASCII', decoder: 'ascii' },
  28: { name: 'Big5', decoder: 'big5' },
  29: { name: 'GB 2312', decoder: 'gbk' },
  30: { name: 'EUC-KR', decoder: 'euc-kr' },
  31: { name: 'GBK', decoder: 'gbk' },
  32: { name: 'GB 18030', decoder: 'gb18030' },
  33: { name: 'UTF-16LE', decoder: 'utf-16le' },
  34: { name: 'UTF-32BE', decoder: null },
  35: { name: 'UTF-32LE', decoder: null },
  170: { name: 'ISO/IEC 646 invariant', decoder: 'ascii' },
  899: { name: '8-bit binary data', decoder: null },
}

export type EciResult = { ok: true; text: string; ecis: number[] } | { ok: false; reason: 'eci-unsupported' | 'eci-malformed' | 'encoding'; message: string; eci?: number }

const BACKSLASH = 0x5c

/** The six digits at `at`, as a number, or null. */
function designator(bytes: Uint8Array, at: number): number | null {
  if (at + 6 > bytes.length) return null
  let n = 0
  for (let i = at; i < at + 6; i++) {
    const b = bytes[i]
    if (b < 0x30 || b > 0x39) return null
    n = n * 10 + (b - 0x30)
  }
  return n
}

/** Whether `label` can be read by this Node (its ICU may lack a charset). */
function readable(label: string): boolean {
  if (['latin1', 'cp1252', 'utf8', 'ascii'].includes(label)) return true
  try {
    new TextDecoder(label)
    return true
  } catch {
    return false
  }
}

/**
 * Splits ECI-protocol data (the bytes after the AIM identifier) on its designators and decodes
 * each segment: the first with `decode` (the transport encoding), each later one in its ECI's
 * character set. Refuses an ECI that names no character set or one not readable here
 * (`eci-unsupported`), a backslash that is neither doubled nor a designator (`eci-malformed`),
 * and bytes not valid in their segment's character set (`encoding`).
 */
export function decodeEci(bytes: Uint8Array, decode: (bytes: Uint8Array, label?: string) => string): EciResult {
  const segments: Array<{ eci: number | null; bytes: number[] }> = [{ eci: null, bytes: [] }]
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]
    if (b !== BACKSLASH) {
      segments[segments.length - 1].bytes.push(b)
      continue
    }
    if (bytes[i + 1] === BACKSLASH) {
      segments[segments.length - 1].bytes.push(BACKSLASH)
      i++
      continue
    }
    const eci = designator(bytes, i + 1)
    if (eci === null) return { ok: false, reason: 'eci-malformed', message: `The scan's data follows the ECI protocol but holds a backslash (at byte ${i}) that is neither doubled nor followed by six digits.` }
    const charset = ECI_CHARSETS[eci]
    const number = String(eci).padStart(6, '0')
    if (!charset) return { ok: false, reason: 'eci-unsupported', eci, message: `The scan names ECI ${number}, which is not a character set this server knows; the scan was refused.` }
    if (charset.decoder === null || !readable(charset.decoder)) {
      return { ok: false, reason: 'eci-unsupported', eci, message: `The scan names ECI ${number} (${charset.name}), which this server does not read; the scan was refused.` }
    }
    segments.push({ eci, bytes: [] })
    i += 6
  }
  let text = ''
  for (const segment of segments) {
    const label = segment.eci === null ? undefined : ECI_CHARSETS[segment.eci].decoder!
    const data = Uint8Array.from(segment.bytes)
    try {
      if (label === 'ascii') {
        if (data.some((b) => b > 0x7f)) throw new Error('not ASCII')
        text += decode(data, 'latin1')
      } else text += decode(data, label)
    } catch {
      const name = segment.eci === null ? 'the scanner’s encoding' : `ECI ${String(segment.eci).padStart(6, '0')} (${ECI_CHARSETS[segment.eci].name})`
      return { ok: false, reason: 'encoding', ...(segment.eci === null ? {} : { eci: segment.eci }), message: `Part of the scan is not valid in ${name}.` }
    }
  }
  return { ok: true, text, ecis: segments.flatMap((s) => (s.eci === null ? [] : [s.eci])) }
}

/** The same on text already decoded (an HTTP scan): designators removed and checked, `\\` undoubled; the text's characters stay. */
export function unescapeEciText(text: string): EciResult {
  let out = ''
  const ecis: number[] = []
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c !== '\\') {
      out += c
      continue
    }
    if (text[i + 1] === '\\') {
      out += '\\'
      i++
      continue
    }
    const digits = /^\d{6}/.exec(text.slice(i + 1, i + 7))
    if (!digits) return { ok: false, reason: 'eci-malformed', message: `The scan's data follows the ECI protocol but holds a backslash (at ${i}) that is neither doubled nor followed by six digits.` }
    const eci = Number(digits[0])
    const charset = ECI_CHARSETS[eci]
    if (!charset || charset.decoder === null) {
      return { ok: false, reason: 'eci-unsupported', eci, message: `The scan names ECI ${digits[0]}${charset ? ` (${charset.name})` : ''}, which this server does not read; the scan was refused.` }
    }
    ecis.push(eci)
    i += 6
  }
  return { ok: true, text: out, ecis }
}
