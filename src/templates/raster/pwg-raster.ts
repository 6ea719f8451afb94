/**
 * PWG Raster (PWG 5102.4) pages as grayscale: sGray and sRGB at 8 bits per colour, and 1-bit
 * black. Pure; every size is checked before anything is allocated.
 */
import type { GrayImage } from './gray-image.ts'

export interface PwgLimits {
  maxPages: number
  /** Dots on one page (width × height). */
  maxPixels: number
}

export interface PwgPage extends GrayImage {
  /** Dots per inch across and down. */
  resolution: [number, number]
}

export class PwgRasterError extends Error {
  constructor(message: string, readonly tooLarge = false) {
    super(message)
    this.name = 'PwgRasterError'
  }
}

const HEADER = 1796
const CSPACE_BLACK = 3
const CSPACE_SGRAY = 18
const CSPACE_SRGB = 19

export function decodePwgRaster(input: Uint8Array, limits: PwgLimits): PwgPage[] {
  const b = Buffer.from(input.buffer, input.byteOffset, input.byteLength)
  if (b.length < 4 || b.toString('latin1', 0, 4) !== 'RaS2') throw new PwgRasterError('not PWG raster (no RaS2 sync word)')
  const pages: PwgPage[] = []
  let at = 4
  while (at < b.length) {
    if (pages.length >= limits.maxPages) throw new PwgRasterError(`more than ${limits.maxPages} pages`, true)
    if (b.length - at < HEADER) throw new PwgRasterError('page header ends early')
    const h = b.subarray(at, at + HEADER)
    if (h.toString('latin1', 0, 9) !== 'PwgRaster') throw new PwgRasterError('page header without PwgRaster')
    const xres = h.readUInt32BE(276)
    const yres = h.readUInt32BE(280)
    const width = h.readUInt32BE(372)
    const height = h.readUInt32BE(376)
    const bitsPerColor = h.readUInt32BE(384)
    const bitsPerPixel = h.readUInt32BE(388)
    const bytesPerLine = h.readUInt32BE(392)
    const space = h.readUInt32BE(400)
    at += HEADER
    if (width === 0 || height === 0 || width * height > limits.maxPixels) throw new PwgRasterError(`page of ${width} × ${height} dots is over the limit of ${limits.maxPixels}`, true)
    const kind = space === CSPACE_SGRAY && bitsPerPixel === 8 ? 'gray' : space === CSPACE_SRGB && bitsPerPixel === 24 && bitsPerColor === 8 ? 'rgb' : space === CSPACE_BLACK && bitsPerPixel === 1 ? 'black' : null
    if (!kind) throw new PwgRasterError(`colour space ${space} at ${bitsPerPixel} bits per pixel is not supported`)
    const unit = kind === 'rgb' ? 3 : 1
    const expected = kind === 'black' ? Math.ceil(width / 8) : width * unit
    if (bytesPerLine !== expected) throw new PwgRasterError(`bytes per line ${bytesPerLine} do not match ${expected}`)
    const data = new Uint8Array(width * height)
    const line = Buffer.alloc(bytesPerLine)
    let y = 0
    while (y < height) {
      if (at >= b.length) throw new PwgRasterError('page data ends early')
      const repeat = b[at++] + 1
      let x = 0
      while (x < bytesPerLine) {
        if (at >= b.length) throw new PwgRasterError('line data ends early')
        const n = b[at++]
        if (n <= 127) {
          const count = (n + 1) * unit
          if (x + count > bytesPerLine || at + unit > b.length) throw new PwgRasterError('run overruns the line')
          for (let i = 0; i < count; i += unit) b.copy(line, x + i, at, at + unit)
          at += unit
          x += count
        } else {
          const count = (257 - n) * unit
          if (x + count > bytesPerLine || at + count > b.length) throw new PwgRasterError('literal run overruns the line')
          b.copy(line, x, at, at + count)
          at += count
          x += count
        }
      }
      const gray = grayLine(line, width, kind)
      for (let r = 0; r < repeat && y < height; r++, y++) data.set(gray, y * width)
    }
    pages.push({ width, height, data, resolution: [xres, yres] })
  }
  if (pages.length === 0) throw new PwgRasterError('no pages')
  return pages
}

function grayLine(line: Buffer, width: number, kind: 'gray' | 'rgb' | 'black'): Uint8Array {
  if (kind === 'gray') return new Uint8Array(line.subarray(0, width))
  const out = new Uint8Array(width)
  for (let x = 0; x < width; x++) {
    out[x] = kind === 'rgb' ? Math.round(0.299 * line[x * 3] + 0.587 * line[x * 3 + 1] + 0.114 * line[x * 3 + 2]) : line[x >> 3] & (0x80 >> (x & 7)) ? 0 : 255
  }
  return out
}

export type PwgType = 'sgray_8' | 'srgb_8' | 'black_1'

/** One line's bytes in the page's type (sRGB: the gray repeated; black: 1 bit per dot, 1 = black). */
function lineBytes(row: Uint8Array, type: PwgType): { bytes: Buffer; unit: number } {
  if (type === 'sgray_8') return { bytes: Buffer.from(row), unit: 1 }
  if (type === 'srgb_8') {
    const b = Buffer.alloc(row.length * 3)
    for (let x = 0; x < row.length; x++) b[x * 3] = b[x * 3 + 1] = b[x * 3 + 2] = row[x]
    return { bytes: b, unit: 3 }
  }
  const b = Buffer.alloc(Math.ceil(row.length / 8))
  for (let x = 0; x < row.length; x++) if (row[x] < 128) b[x >> 3] |= 0x80 >> (x & 7)
  return { bytes: b, unit: 1 }
}

/** PackBits-like runs of one line (PWG 5102.4 §4.3.1.3): repeats of a unit, or literal units. */
function encodeLine(bytes: Buffer, unit: number): Buffer[] {
  const out: Buffer[] = []
  const n = bytes.length / unit
  const same = (a: number, b: number) => bytes.compare(bytes, a * unit, a * unit + unit, b * unit, b * unit + unit) === 0
  let i = 0
  while (i < n) {
    let run = 1
    while (i + run < n && run < 128 && same(i, i + run)) run++
    if (run > 1 || i + 1 === n) {
      out.push(Buffer.of(run - 1), bytes.subarray(i * unit, (i + 1) * unit))
      i += run
      continue
    }
    let lit = 1
    while (i + lit < n && lit < 128 && !(i + lit + 1 < n && same(i + lit, i + lit + 1))) lit++
    out.push(Buffer.of(lit === 1 ? 0 : 257 - lit), bytes.subarray(i * unit, (i + lit) * unit))
    i += lit
  }
  return out
}

/** Encodes grayscale pages as PWG raster (sGray 8, sRGB 8 or black 1), for tests and tools. */
export function encodePwgRaster(pages: Array<GrayImage & { resolution?: number }>, type: PwgType = 'sgray_8'): Uint8Array {
  const parts: Buffer[] = [Buffer.from('RaS2', 'latin1')]
  const [space, bitsPerColor, bitsPerPixel, colors] = type === 'sgray_8' ? [CSPACE_SGRAY, 8, 8, 1] : type === 'srgb_8' ? [CSPACE_SRGB, 8, 24, 3] : [CSPACE_BLACK, 1, 1, 1]
  for (const p of pages) {
    const h = Buffer.alloc(HEADER)
    h.write('PwgRaster', 0, 'latin1')
    const dpi = p.resolution ?? 300
    h.writeUInt32BE(dpi, 276)
    h.writeUInt32BE(dpi, 280)
    h.writeUInt32BE(1, 340) // NumCopies
    h.writeUInt32BE(Math.round((p.width * 72) / dpi), 352)
    h.writeUInt32BE(Math.round((p.height * 72) / dpi), 356)
    h.writeUInt32BE(p.width, 372)
    h.writeUInt32BE(p.height, 376)
    h.writeUInt32BE(bitsPerColor, 384)
    h.writeUInt32BE(bitsPerPixel, 388)
    h.writeUInt32BE(type === 'black_1' ? Math.ceil(p.width / 8) : (p.width * bitsPerPixel) / 8, 392)
    h.writeUInt32BE(space, 400)
    h.writeUInt32BE(colors, 420) // NumColors
    parts.push(h)
    let y = 0
    while (y < p.height) {
      const row = p.data.subarray(y * p.width, (y + 1) * p.width)
      let repeat = 1
      while (y + repeat < p.height && repeat < 256 && Buffer.compare(row, p.data.subarray((y + repeat) * p.width, (y + repeat + 1) * p.width)) === 0) repeat++
      const { bytes, unit } = lineBytes(row, type)
      parts.push(Buffer.of(repeat - 1), ...encodeLine(bytes, unit))
      y += repeat
    }
  }
  return new Uint8Array(Buffer.concat(parts))
}
