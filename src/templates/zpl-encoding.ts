/**
 * ZPL streams in the code page they were written in, re-encoded as UTF-8 (`^CI28`).
 *
 * Printers read field data in the code page `^CI` selects: `^CI0`–`^CI13` read bytes above 127
 * as Zebra code page 850, `^CI27` as Windows-1252, `^CI28` as UTF-8. Hex escapes after `^FH`
 * (`_E9`) are bytes of that code page too. This module turns such a stream into the same label
 * in UTF-8: each single-byte `^CI` becomes `^CI28`, raw bytes are decoded with the code page in
 * force, and escaped bytes above 127 are re-escaped as their UTF-8 bytes (`_E9` → `_C3_A9`).
 * Commands are found with the prefixes in force (`^CC`/`~CC` change the caret, `^CT`/`~CT` the
 * tilde). Pure: no I/O.
 */
import { decodeCp1252 } from './compilers/cp1252.ts'

/** Zebra code page 850 (IBM 850) above 127, for `^CI0`–`^CI13`. */
const CP850_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜø£Ø×ƒáíóúñÑªº¿®¬½¼¡«»░▒▓│┤ÁÂÀ©╣║╗╝¢¥┐└┴┬├─┼ãÃ╚╔╩╦╠═╬¤ðÐÊËÈıÍÎÏ┘┌█▄¦Ì▀ÓßÔÒõÕµþÞÚÛÙýÝ¯´\u00ad±‗¾¶§÷¸°¨·¹³²■\u00a0'


/** The single-byte code pages a `^CI` may select that this module re-encodes. */
export type SingleByteCodePage = 'cp850' | 'cp1252'

/** `^CI` value → the single-byte code page it selects (undefined: UTF-8, UTF-16 or another page left alone). */
export function singleByteCodePage(ci: number): SingleByteCodePage | undefined {
  if (Number.isInteger(ci) && ci >= 0 && ci <= 13) return 'cp850'
  if (ci === 27) return 'cp1252'
  return undefined
}

function decodeByte(b: number, page: SingleByteCodePage): string {
  if (b < 0x80) return String.fromCharCode(b)
  // (Node's TextDecoder reads 'windows-1252' as Latin-1: the project's own table is used.)
  return page === 'cp850' ? CP850_HIGH[b - 0x80] : decodeCp1252(Uint8Array.of(b))
}

/** One change made while re-encoding, for the studio to see. */
export interface ZplConversion {
  /** 1-based line of the command in the input. */
  line: number
  /** The command as written, e.g. `^CI27`. */
  command: string
  /** What was done, in words. */
  change: string
}

export interface Utf8Zpl {
  zpl: string
  conversions: ZplConversion[]
}

const HEX = /^[0-9A-Fa-f]{2}$/

/**
 * A ZPL stream (bytes as sent, or text already decoded) with every single-byte `^CI` section
 * (or the `^CI` values `only` names) re-encoded as UTF-8. Bytes outside any `^CI` are read as
 * UTF-8 when they are valid UTF-8, else as code page 850 (a printer's default). Text input is
 * taken as characters already.
 */
export function toUtf8Zpl(input: Uint8Array | string, options: { only?: readonly number[] } = {}): Utf8Zpl {
  const units: ArrayLike<number> = typeof input === 'string' ? Array.from({ length: input.length }, (_, k) => input.charCodeAt(k)) : input
  // For text input, `units` are UTF-16 code units; only the ASCII ones matter to the scanner.
  const chars = typeof input === 'string' ? input : null
  const conversions: ZplConversion[] = []
  let caret = 0x5e // ^
  let tilde = 0x7e // ~
  let page: SingleByteCodePage | undefined
  let escape: string | null = null
  let line = 1
  let out = ''

  const decodeRun = (start: number, end: number): string => {
    if (chars) return chars.slice(start, end)
    const bytes = (units as Uint8Array).subarray(start, end)
    if (page) {
      let s = ''
      for (const b of bytes) s += decodeByte(b, page)
      return s
    }
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
    } catch {
      let s = ''
      for (const b of bytes) s += decodeByte(b, 'cp850')
      return s
    }
  }
  const isPrefix = (u: number) => u === caret || u === tilde
  const upper = (u: number | undefined) => (u === undefined ? '' : String.fromCharCode(u).toUpperCase())

  let i = 0
  // Text before the first command.
  while (i < units.length && !isPrefix(units[i])) i++
  out += decodeRun(0, i)
  for (let k = 0; k < i; k++) if (units[k] === 0x0a) line++
  while (i < units.length) {
    const prefix = units[i]
    const name = upper(units[i + 1]) + upper(units[i + 2])
    let end = i + 1
    while (end < units.length && !isPrefix(units[end])) end++
    // ^CC, ~CC, ^CT, ~CT: the new prefix is the character right after the name.
    if ((name === 'CC' || name === 'CT') && i + 3 < units.length) {
      if (name === 'CC') caret = units[i + 3]
      else tilde = units[i + 3]
      // The command runs to the next prefix: the new one (the old one is plain text from here).
      let next = i + 4
      while (next < units.length && !isPrefix(units[next])) next++
      out += decodeRun(i, next)
      for (let k = i; k < next; k++) if (units[k] === 0x0a) line++
      i = next
      continue
    }
    const raw = decodeRun(i, end)
    const command = raw.slice(0, 3)
    const params = raw.slice(3)
    if (prefix === caret && name === 'CI') {
      const ci = Number(/^\s*(\d+)/.exec(params)?.[1] ?? Number.NaN)
      const selected = !options.only || options.only.includes(ci) ? singleByteCodePage(ci) : undefined
      if (selected) {
        page = selected
        out += command + params.replace(/^\s*\d+/, '28')
        conversions.push({ line, command: raw.trimEnd().slice(0, 20), change: `${selected === 'cp850' ? 'code page 850' : 'Windows-1252'} re-encoded as UTF-8 (^CI28)` })
      } else {
        page = undefined
        out += raw
      }
    } else if (prefix === caret && name === 'FH') {
      // Printers skip CR and LF: `^FH` then a line break is `^FH` with the next character, or `_`.
      escape = params.replace(/[\r\n]/g, '')[0] ?? '_'
      out += raw
    } else if (prefix === caret && (name === 'FD' || name === 'FV') && escape && page) {
      out += command + reescape(params, escape, page)
    } else {
      if (prefix === caret && name === 'FS') escape = null
      out += raw
    }
    for (let k = i; k < end; k++) if (units[k] === 0x0a) line++
    i = end
  }
  return { zpl: out, conversions }
}

/** Escaped bytes above 127 of a single-byte code page, as the escaped UTF-8 bytes of the same character. */
function reescape(data: string, escape: string, page: SingleByteCodePage): string {
  let out = ''
  for (let i = 0; i < data.length; i++) {
    const hex = data.slice(i + 1, i + 3)
    if (data[i] === escape && HEX.test(hex)) {
      const b = parseInt(hex, 16)
      if (b >= 0x80) {
        for (const u of new TextEncoder().encode(decodeByte(b, page))) out += escape + u.toString(16).toUpperCase().padStart(2, '0')
      } else out += data.slice(i, i + 3)
      i += 2
    } else out += data[i]
  }
  return out
}

/**
 * The prefixes a stream uses: `^` and `~` and every character `^CC`/`~CC` or `^CT`/`~CT` sets.
 * Limit checks count commands with any of them (a superset: never fewer than there are).
 */
export function zplPrefixes(zpl: string): { carets: string[]; tildes: string[] } {
  const carets = new Set(['^'])
  const tildes = new Set(['~'])
  let caret = '^'
  let tilde = '~'
  for (let i = 0; i < zpl.length - 3; i++) {
    const c = zpl[i]
    if (c !== caret && c !== tilde) continue
    const name = zpl.slice(i + 1, i + 3).toUpperCase()
    if (name === 'CC') carets.add((caret = zpl[i + 3]))
    else if (name === 'CT') tildes.add((tilde = zpl[i + 3]))
  }
  return { carets: [...carets], tildes: [...tildes] }
}

/** How many formats (`^XA`, with the caret in force) a stream starts. */
export function zplFormatCount(zpl: string): number {
  let caret = '^'
  let tilde = '~'
  let count = 0
  for (let i = 0; i < zpl.length - 2; i++) {
    const c = zpl[i]
    if (c !== caret && c !== tilde) continue
    const name = zpl.slice(i + 1, i + 3).toUpperCase()
    if (name === 'CC' && i + 3 < zpl.length) caret = zpl[i + 3]
    else if (name === 'CT' && i + 3 < zpl.length) tilde = zpl[i + 3]
    else if (c === caret && name === 'XA') count++
  }
  return count
}

/** A RegExp character class of the given characters (`negate`: any other character). */
export function charClass(chars: readonly string[], negate = false): string {
  return `[${negate ? '^' : ''}${chars.map((c) => c.replace(/[\\\]^-]/g, '\\$&')).join('')}]`
}
