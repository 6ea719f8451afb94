/**
 * Conservative text width estimates (in em) for wrapping and cutting text to its field before any
 * compiler sees it. Tuned to DejaVu Sans (PDF and PNG); Zebra's font 0 is narrower, so ZPL text
 * stays inside the same box. EPL's fixed-width fonts are cut exactly by the EPL compiler.
 */
const NARROW = new Set([...'ijlI.,:;!|\'`()[]{} f t r'.replace(/ /g, '')])
const WIDE = new Set([...'MWmw@%&'])

export function charEm(ch: string, bold = false): number {
  const cp = ch.codePointAt(0) ?? 0
  if (cp < 128 && ch.length === 1) return bold ? ASCII_EM_BOLD[cp] : ASCII_EM[cp]
  return computeEm(ch, cp, bold)
}

function computeEm(ch: string, cp: number, bold: boolean): number {
  let em: number
  if (ch === ' ') em = 0.33
  else if (NARROW.has(ch)) em = 0.4
  else if (WIDE.has(ch)) em = 0.95
  else if (cp >= 0x1100 && (cp <= 0x115f || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xff00 && cp <= 0xff60) || cp >= 0x1f300)) em = 1.05
  else if (ch >= 'A' && ch <= 'Z') em = 0.78
  else if (cp >= 0x0400 && cp <= 0x04ff && ch === ch.toUpperCase()) em = 0.82
  else em = 0.64
  return bold ? em * 1.08 : em
}

/** ASCII widths looked up instead of computed: text is measured for every label. */
const ASCII_EM = Float64Array.from({ length: 128 }, (_, cp) => computeEm(String.fromCharCode(cp), cp, false))
const ASCII_EM_BOLD = Float64Array.from({ length: 128 }, (_, cp) => computeEm(String.fromCharCode(cp), cp, true))

export function textWidth(text: string, size: number, bold = false): number {
  const table = bold ? ASCII_EM_BOLD : ASCII_EM
  let em = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 128) em += table[c]
    else {
      // One code point (a surrogate pair counts once), as `for (const ch of text)` would.
      const cp = text.codePointAt(i)!
      const ch = String.fromCodePoint(cp)
      if (ch.length === 2) i++
      em += computeEm(ch, cp, bold)
    }
  }
  return em * size
}

const ELLIPSIS = '…'

/** Cuts `text` so that it fits `width`, ending with an ellipsis when cut. */
export function cutToWidth(text: string, width: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= width) return text
  const limit = width - charEm(ELLIPSIS) * size
  let used = 0
  let out = ''
  for (const ch of text) {
    const w = charEm(ch, bold) * size
    if (used + w > limit) break
    used += w
    out += ch
  }
  return out.trimEnd() + ELLIPSIS
}

/** Wraps at spaces (breaking long words) into at most `maxLines` lines; the last one is cut with an ellipsis when text is left over. */
export function wrapText(text: string, width: number, size: number, maxLines: number, bold = false): string[] {
  if (maxLines < 1) return []
  if (textWidth(text, size, bold) <= width) return [text]
  const lines: string[] = []
  const words = text.split(' ').filter((w) => w !== '')
  let current = ''
  let i = 0
  while (i < words.length && lines.length < maxLines) {
    const word = words[i]
    const candidate = current === '' ? word : `${current} ${word}`
    if (textWidth(candidate, size, bold) <= width) {
      current = candidate
      i++
    } else if (current === '') {
      // A single word wider than the line: break it.
      const chars = [...word]
      let n = 0
      while (n < chars.length && textWidth(chars.slice(0, n + 1).join(''), size, bold) <= width) n++
      n = Math.max(1, n)
      lines.push(chars.slice(0, n).join(''))
      words[i] = chars.slice(n).join('')
      if (words[i] === '') i++
    } else {
      lines.push(current)
      current = ''
    }
  }
  const leftover = i < words.length
  if (current !== '') {
    if (lines.length < maxLines) lines.push(current)
  }
  if (leftover || (current !== '' && lines[lines.length - 1] !== current)) {
    const last = lines.length - 1
    const rest = [lines[last], ...words.slice(i)].join(' ')
    lines[last] = cutWithEllipsis(rest, width, size, bold)
  }
  return lines
}

/** Always ends with an ellipsis, cutting as much as needed. */
function cutWithEllipsis(text: string, width: number, size: number, bold: boolean): string {
  const limit = width - charEm(ELLIPSIS) * size
  let used = 0
  let out = ''
  for (const ch of text) {
    const w = charEm(ch, bold) * size
    if (used + w > limit) break
    used += w
    out += ch
  }
  return out.trimEnd() + ELLIPSIS
}
