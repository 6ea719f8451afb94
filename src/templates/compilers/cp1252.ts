/**
 * Windows-1252 encoding for 8-bit printer languages (EPL2 `I8,A,001`, ESC/POS `ESC t 16`).
 * Characters outside the code page are transliterated (Дмитрий → Dmitrij, Ελένη → Eleni,
 * ő → o) and whatever is still left becomes `?`.
 */
const HIGH: Record<number, number> = {
  0x20ac: 0x80, 0x201a: 0x82, 0x0192: 0x83, 0x201e: 0x84, 0x2026: 0x85, 0x2020: 0x86, 0x2021: 0x87, 0x02c6: 0x88,
  0x2030: 0x89, 0x0160: 0x8a, 0x2039: 0x8b, 0x0152: 0x8c, 0x017d: 0x8e, 0x2018: 0x91, 0x2019: 0x92, 0x201c: 0x93,
  0x201d: 0x94, 0x2022: 0x95, 0x2013: 0x96, 0x2014: 0x97, 0x02dc: 0x98, 0x2122: 0x99, 0x0161: 0x9a, 0x203a: 0x9b,
  0x0153: 0x9c, 0x017e: 0x9e, 0x0178: 0x9f,
}
const DECODE = new Map<number, number>(Object.entries(HIGH).map(([cp, b]) => [b, Number(cp)]))

const TRANSLIT: Record<string, string> = {
  // Cyrillic
  А: 'A', Б: 'B', В: 'V', Г: 'G', Д: 'D', Е: 'E', Ё: 'E', Ж: 'Zh', З: 'Z', И: 'I', Й: 'J', К: 'K', Л: 'L', М: 'M', Н: 'N',
  О: 'O', П: 'P', Р: 'R', С: 'S', Т: 'T', У: 'U', Ф: 'F', Х: 'Kh', Ц: 'Ts', Ч: 'Ch', Ш: 'Sh', Щ: 'Shch', Ъ: '', Ы: 'Y',
  Ь: '', Э: 'E', Ю: 'Yu', Я: 'Ya', І: 'I', Ї: 'Yi', Є: 'Ye', Ґ: 'G',
  // Greek
  Α: 'A', Β: 'V', Γ: 'G', Δ: 'D', Ε: 'E', Ζ: 'Z', Η: 'I', Θ: 'Th', Ι: 'I', Κ: 'K', Λ: 'L', Μ: 'M', Ν: 'N', Ξ: 'X',
  Ο: 'O', Π: 'P', Ρ: 'R', Σ: 'S', ς: 's', Τ: 'T', Υ: 'Y', Φ: 'F', Χ: 'Ch', Ψ: 'Ps', Ω: 'O',
  // Latin beyond 1252
  Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', ı: 'i', Ħ: 'H', ħ: 'h', ß: 'ß', Æ: 'Æ', Ø: 'Ø',
}

function byteOf(cp: number): number | undefined {
  if (cp < 0x80) return cp
  if (cp >= 0xa0 && cp <= 0xff) return cp
  return HIGH[cp]
}

function transliterate(ch: string): string {
  const direct = TRANSLIT[ch]
  if (direct !== undefined) return direct
  const upper = ch.toUpperCase()
  const viaUpper = TRANSLIT[upper]
  if (viaUpper !== undefined && upper !== ch) return viaUpper.toLowerCase()
  // Strip accents: NFD, then drop combining marks; transliterate the base letter again.
  const base = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '')
  if (base !== ch && base.length > 0) return [...base].map((c) => (byteOf(c.codePointAt(0)!) !== undefined ? c : transliterate(c))).join('')
  return '?'
}

/**
 * Whether every character of `text` is in Windows-1252 as it is (no transliteration): what the
 * resident fonts of EPL (`I8,A,001`) and ZPL (font 0) can show.
 */
export function inCp1252(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) continue
    if (HIGH[c] === undefined) return false
  }
  return true
}

/** Text as Windows-1252 bytes. Control characters are the caller's business (they pass through). */
export function encodeCp1252(text: string): Uint8Array {
  const out: number[] = []
  for (const ch of text) {
    const b = byteOf(ch.codePointAt(0)!)
    if (b !== undefined) {
      out.push(b)
      continue
    }
    for (const c of transliterate(ch)) {
      const t = byteOf(c.codePointAt(0)!)
      out.push(t === undefined ? 0x3f : t)
    }
  }
  return Uint8Array.from(out)
}

/** The text a printer using Windows-1252 shows for `text`. */
export function toCp1252Text(text: string): string {
  return decodeCp1252(encodeCp1252(text))
}

export function decodeCp1252(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(DECODE.get(b) ?? b)
  return s
}
