/**
 * An EPL2 parser written apart from the compiler, for tests and the simulated EPL printer.
 * Reads bytes as Windows-1252, one command per line (LF, CR LF accepted), quoted data with
 * backslash escapes (`\"`, `\\`). Each `P` command emits the label built since the last `N`.
 * Coordinates are where the printer draws: the reference point (`R x,y`, a setting kept across
 * labels like `q`) is added to every element's own.
 */

export interface EplText {
  x: number
  y: number
  rotation: number
  font: string
  h: number
  v: number
  reverse: boolean
  data: string
}

export interface EplBarcode {
  x: number
  y: number
  rotation: number
  /** `1` Code 128, `3` Code 39 … for B; `Q` for a `b` QR code. */
  type: string
  narrow: number
  wide: number
  height: number
  humanReadable: boolean
  data: string
  /** The raw option fields of a `b` command (m2, s6, eM …). */
  options: string[]
}

export interface EplLine {
  /** LO black, LE exclusive-or, LW white (all filled rectangles); LS a slanted line. */
  kind: 'LO' | 'LE' | 'LW' | 'LS'
  x: number
  y: number
  /** LS: x2 − x1 and y2 − y1 (may be negative). */
  width: number
  height: number
  /** LS only: the line's thickness; NaN for the others. */
  thickness: number
}

export interface EplLabel {
  width: number | null
  length: number | null
  gap: number | null
  codePage: string | null
  texts: EplText[]
  barcodes: EplBarcode[]
  lines: EplLine[]
  boxes: Array<{ x: number; y: number; thickness: number; x2: number; y2: number }>
  copies: number
  /** Lines the parser could not read (unknown commands, text after a closing quote …). */
  errors: string[]
}

const CP1252_HIGH: Record<number, number> = {
  0x80: 0x20ac, 0x82: 0x201a, 0x83: 0x0192, 0x84: 0x201e, 0x85: 0x2026, 0x86: 0x2020, 0x87: 0x2021, 0x88: 0x02c6,
  0x89: 0x2030, 0x8a: 0x0160, 0x8b: 0x2039, 0x8c: 0x0152, 0x8e: 0x017d, 0x91: 0x2018, 0x92: 0x2019, 0x93: 0x201c,
  0x94: 0x201d, 0x95: 0x2022, 0x96: 0x2013, 0x97: 0x2014, 0x98: 0x02dc, 0x99: 0x2122, 0x9a: 0x0161, 0x9b: 0x203a,
  0x9c: 0x0153, 0x9e: 0x017e, 0x9f: 0x0178,
}

/** Windows-1252 bytes as text (also used by the ESC/POS renderer, `ESC t 16`). */
export function decodeCp1252(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += String.fromCharCode(CP1252_HIGH[b] ?? b)
  return s
}

/** Splits `a,b,"c,d"` into fields; quoted fields are unescaped. Returns the rest after a closing quote. */
function splitArgs(text: string): { args: string[]; quoted: boolean[]; trailing: string } {
  const args: string[] = []
  const quoted: boolean[] = []
  let i = 0
  let trailing = ''
  while (i <= text.length) {
    if (text[i] === '"') {
      let value = ''
      i++
      let closed = false
      while (i < text.length) {
        const c = text[i]
        if (c === '\\' && i + 1 < text.length) {
          value += text[i + 1]
          i += 2
        } else if (c === '"') {
          closed = true
          i++
          break
        } else {
          value += c
          i++
        }
      }
      args.push(value)
      quoted.push(true)
      if (!closed) trailing = '<unterminated quote>'
      if (text[i] === ',') {
        i++
        continue
      }
      if (i < text.length) trailing = text.slice(i)
      break
    }
    const comma = text.indexOf(',', i)
    const end = comma === -1 ? text.length : comma
    args.push(text.slice(i, end).trim())
    quoted.push(false)
    if (comma === -1) break
    i = comma + 1
  }
  return { args, quoted, trailing }
}

function emptyLabel(settings: Pick<EplLabel, 'width' | 'length' | 'gap' | 'codePage'>): EplLabel {
  return { ...settings, texts: [], barcodes: [], lines: [], boxes: [], copies: 1, errors: [] }
}

export function parseEpl(input: Uint8Array | string): EplLabel[] {
  const text = typeof input === 'string' ? input : decodeCp1252(input)
  const labels: EplLabel[] = []
  const settings: Pick<EplLabel, 'width' | 'length' | 'gap' | 'codePage'> = { width: null, length: null, gap: null, codePage: null }
  let current = emptyLabel(settings)
  const num = (s: string | undefined) => (s === undefined || s.trim() === '' ? Number.NaN : Number(s))
  // The reference point: added to every x and y (EPL2 `R`).
  const ref = { x: 0, y: 0 }
  const at = (s: string | undefined, axis: 'x' | 'y') => num(s) + ref[axis]
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine
    if (line.trim() === '') continue
    // Two-letter commands first.
    if (line.startsWith('LO') || line.startsWith('LE') || line.startsWith('LW')) {
      const { args } = splitArgs(line.slice(2))
      current.lines.push({ kind: line.slice(0, 2) as 'LO' | 'LE' | 'LW', x: at(args[0], 'x'), y: at(args[1], 'y'), width: num(args[2]), height: num(args[3]), thickness: Number.NaN })
      continue
    }
    if (line.startsWith('LS')) {
      const { args } = splitArgs(line.slice(2))
      current.lines.push({ kind: 'LS', x: at(args[0], 'x'), y: at(args[1], 'y'), width: num(args[3]) - num(args[0]), height: num(args[4]) - num(args[1]), thickness: num(args[2]) })
      continue
    }
    const cmd = line[0]
    const rest = line.slice(1)
    switch (cmd) {
      case 'N':
        if (rest.trim() !== '') current.errors.push(line)
        current = emptyLabel(settings)
        break
      case 'q':
        settings.width = num(rest)
        current.width = settings.width
        break
      case 'Q': {
        const { args } = splitArgs(rest)
        settings.length = num(args[0])
        settings.gap = num(args[1])
        current.length = settings.length
        current.gap = settings.gap
        break
      }
      case 'R': {
        const { args } = splitArgs(rest)
        if (args.length !== 2 || !Number.isInteger(num(args[0])) || !Number.isInteger(num(args[1]))) current.errors.push(line)
        else {
          ref.x = num(args[0])
          ref.y = num(args[1])
        }
        break
      }
      case 'I':
        settings.codePage = rest
        current.codePage = rest
        break
      case 'A': {
        const { args, quoted, trailing } = splitArgs(rest)
        if (args.length !== 8 || !quoted[7] || trailing) current.errors.push(line)
        current.texts.push({ x: at(args[0], 'x'), y: at(args[1], 'y'), rotation: num(args[2]), font: args[3], h: num(args[4]), v: num(args[5]), reverse: args[6] === 'R', data: args[7] ?? '' })
        break
      }
      case 'B': {
        const { args, quoted, trailing } = splitArgs(rest)
        if (args.length !== 9 || !quoted[8] || trailing) current.errors.push(line)
        current.barcodes.push({ x: at(args[0], 'x'), y: at(args[1], 'y'), rotation: num(args[2]), type: args[3], narrow: num(args[4]), wide: num(args[5]), height: num(args[6]), humanReadable: args[7] === 'B', data: args[8] ?? '', options: [] })
        break
      }
      case 'b': {
        const { args, quoted, trailing } = splitArgs(rest)
        const last = args.length - 1
        if (last < 3 || !quoted[last] || trailing) current.errors.push(line)
        current.barcodes.push({ x: at(args[0], 'x'), y: at(args[1], 'y'), rotation: 0, type: args[2], narrow: 0, wide: 0, height: 0, humanReadable: false, data: args[last] ?? '', options: args.slice(3, last) })
        break
      }
      case 'X': {
        const { args } = splitArgs(rest)
        current.boxes.push({ x: at(args[0], 'x'), y: at(args[1], 'y'), thickness: num(args[2]), x2: at(args[3], 'x'), y2: at(args[4], 'y') })
        break
      }
      case 'P': {
        const { args } = splitArgs(rest)
        const sets = Number.isFinite(num(args[0])) ? num(args[0]) : 1
        const copies = Number.isFinite(num(args[1])) ? num(args[1]) : 1
        labels.push({ ...current, copies: sets * copies, texts: [...current.texts], barcodes: [...current.barcodes], lines: [...current.lines], boxes: [...current.boxes], errors: [...current.errors] })
        break
      }
      default:
        current.errors.push(line)
    }
  }
  return labels
}
