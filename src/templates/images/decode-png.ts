/**
 * A strict PNG decoder for untrusted images (the studio logo). Every chunk's CRC, the IHDR
 * fields, the zlib stream and every row's filter byte are checked, and the decoded size is
 * capped before anything is inflated: a damaged or hostile file is refused with a reason, never
 * half-read. Output: 8-bit RGBA. Runs in the render worker (image decoding is CPU work).
 */
import { crc32, inflateSync } from 'node:zlib'

export interface DecodedImage {
  width: number
  height: number
  /** 8-bit RGBA, row after row. */
  rgba: Uint8Array
}

export interface PngLimits {
  /** Most pixels (width × height). */
  maxPixels: number
  /** Longest side, pixels. */
  maxSide: number
  /** Most bytes the zlib stream may inflate to (filter bytes included). */
  maxDecodedBytes: number
}

/** Why a PNG was refused; `reason` is a sentence for people. */
export class PngRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason)
    this.name = 'PngRefusedError'
  }
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
/** Bit depths each colour type allows (PNG spec table 11.1). */
const DEPTHS: Readonly<Record<number, readonly number[]>> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] }
const CHANNELS: Readonly<Record<number, number>> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }
/** Adam7 passes: x start, y start, x step, y step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const

interface Header {
  width: number
  height: number
  depth: number
  colorType: number
  interlaced: boolean
}

const refuse = (reason: string): never => {
  throw new PngRefusedError(reason)
}

function readHeader(data: Uint8Array, limits: PngLimits): Header {
  if (data.length !== 13) refuse('its IHDR chunk is not 13 bytes long')
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength)
  const [width, height] = [v.getUint32(0), v.getUint32(4)]
  const [depth, colorType, compression, filter, interlace] = [data[8], data[9], data[10], data[11], data[12]]
  if (width < 1 || height < 1) refuse(`it claims a size of ${width}×${height} pixels`)
  if (!(colorType in DEPTHS)) refuse(`colour type ${colorType} does not exist`)
  if (!DEPTHS[colorType].includes(depth)) refuse(`bit depth ${depth} is not allowed for colour type ${colorType}`)
  if (compression !== 0 || filter !== 0 || interlace > 1) refuse('its compression, filter or interlace method is unknown')
  if (width > limits.maxSide || height > limits.maxSide) refuse(`it is ${width}×${height} pixels; at most ${limits.maxSide} pixels a side are accepted`)
  if (width * height > limits.maxPixels) refuse(`it is ${width}×${height} = ${width * height} pixels; at most ${limits.maxPixels} pixels are accepted`)
  return { width, height, depth, colorType, interlaced: interlace === 1 }
}

/** Bytes one row of `w` pixels takes (without its filter byte). */
const rowBytes = (h: Header, w: number) => Math.ceil((w * CHANNELS[h.colorType] * h.depth) / 8)

/** The sub-images the zlib stream holds: one, or the seven Adam7 passes (empty ones left out). */
function passes(h: Header): Array<{ x0: number; y0: number; dx: number; dy: number; w: number; hgt: number }> {
  if (!h.interlaced) return [{ x0: 0, y0: 0, dx: 1, dy: 1, w: h.width, hgt: h.height }]
  return ADAM7.map(([x0, y0, dx, dy]) => ({ x0, y0, dx, dy, w: Math.ceil((h.width - x0) / dx), hgt: Math.ceil((h.height - y0) / dy) })).filter((p) => p.w > 0 && p.hgt > 0)
}

/** Decodes and verifies a whole PNG. Throws PngRefusedError naming the first thing wrong. */
export function decodePng(bytes: Uint8Array, limits: PngLimits): DecodedImage {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) refuse('it is not a PNG file (no PNG signature)')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let at = 8
  let header: Header | null = null
  let palette: Uint8Array | null = null
  let transparency: Uint8Array | null = null
  const idat: Uint8Array[] = []
  let idatEnded = false
  let ended = false
  while (!ended) {
    if (at + 12 > bytes.length) refuse('it ends before its IEND chunk (the file is truncated)')
    const length = view.getUint32(at)
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8))
    if (!/^[A-Za-z]{4}$/.test(type)) refuse(`a chunk at byte ${at} has an invalid type`)
    if (length > bytes.length - at - 12) refuse(`its ${type} chunk is longer than the file`)
    const data = bytes.subarray(at + 8, at + 8 + length)
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) >>> 0 !== view.getUint32(at + 8 + length)) refuse(`its ${type} chunk fails its CRC check (the file is damaged)`)
    at += 12 + length
    if (header === null && type !== 'IHDR') refuse('its first chunk is not IHDR')
    if (type !== 'IDAT' && idat.length > 0) idatEnded = true
    switch (type) {
      case 'IHDR':
        if (header) refuse('it has two IHDR chunks')
        header = readHeader(data, limits)
        break
      case 'PLTE':
        if (length === 0 || length % 3 !== 0 || length > 768) refuse('its palette (PLTE) has an invalid length')
        palette = data
        break
      case 'tRNS':
        transparency = data
        break
      case 'IDAT':
        if (idatEnded) refuse('its image data (IDAT) chunks are not consecutive')
        idat.push(data)
        break
      case 'IEND':
        ended = true
        break
      default:
        // Ancillary chunks (lower-case first letter) may be skipped; critical ones may not.
        if (type.charCodeAt(0) < 0x61) refuse(`it has an unknown critical chunk ${type}`)
    }
  }
  const h = header!
  if (idat.length === 0) refuse('it has no image data (IDAT)')
  if (h.colorType === 3 && !palette) refuse('it is a palette image without a palette (PLTE)')
  const layout = passes(h)
  const expected = layout.reduce((n, p) => n + p.hgt * (1 + rowBytes(h, p.w)), 0)
  if (expected > limits.maxDecodedBytes) refuse(`its pixels take ${expected} bytes decoded; at most ${limits.maxDecodedBytes} are accepted`)
  let raw: Buffer
  try {
    raw = inflateSync(Buffer.concat(idat), { maxOutputLength: expected })
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'ERR_BUFFER_TOO_LARGE') refuse(`its image data inflates to more than the ${expected} bytes its size allows (a decompression bomb or a damaged file)`)
    refuse(`its image data is not a valid zlib stream (${(err as Error).message})`)
  }
  if (raw!.length !== expected) refuse(`its image data holds ${raw!.length} bytes, not the ${expected} its size needs`)
  return { width: h.width, height: h.height, rgba: toRgba(h, raw!, layout, palette, transparency) }
}

/** One row's samples as 8-bit values (16-bit: the high byte; 1–4 bit: scaled, palette indices kept). */
function samples8(h: Header, row: Uint8Array, count: number, out: Uint8Array): void {
  if (h.depth === 8) return void out.set(row.subarray(0, count))
  if (h.depth === 16) {
    for (let i = 0; i < count; i++) out[i] = row[i * 2]
    return
  }
  const max = (1 << h.depth) - 1
  const keep = h.colorType === 3
  for (let i = 0; i < count; i++) {
    const bit = i * h.depth
    const v = (row[bit >> 3] >> (8 - h.depth - (bit & 7))) & max
    out[i] = keep ? v : Math.round((v * 255) / max)
  }
}

/** Sample `i` of a row at full precision (for tRNS colour keys). */
function sampleRaw(h: Header, row: Uint8Array, i: number): number {
  if (h.depth === 16) return (row[i * 2] << 8) | row[i * 2 + 1]
  if (h.depth === 8) return row[i]
  const bit = i * h.depth
  return (row[bit >> 3] >> (8 - h.depth - (bit & 7))) & ((1 << h.depth) - 1)
}

function toRgba(h: Header, raw: Uint8Array, layout: ReturnType<typeof passes>, palette: Uint8Array | null, trns: Uint8Array | null): Uint8Array {
  const out = new Uint8Array(h.width * h.height * 4)
  const channels = CHANNELS[h.colorType]
  const bpp = Math.max(1, Math.ceil((channels * h.depth) / 8))
  const grayKey = h.colorType === 0 && trns && trns.length >= 2 ? (trns[0] << 8) | trns[1] : -1
  const rgbKey = h.colorType === 2 && trns && trns.length >= 6 ? [(trns[0] << 8) | trns[1], (trns[2] << 8) | trns[3], (trns[4] << 8) | trns[5]] : null
  const entries = palette ? palette.length / 3 : 0
  let at = 0
  for (const p of layout) {
    const stride = rowBytes(h, p.w)
    const s8 = new Uint8Array(p.w * channels)
    let prev: Uint8Array = new Uint8Array(stride)
    for (let y = 0; y < p.hgt; y++) {
      const filter = raw[at]
      if (filter > 4) refuse(`row ${y + 1} has filter type ${filter}; only 0–4 exist`)
      const row = raw.subarray(at + 1, at + 1 + stride)
      unfilter(filter, row, prev, bpp)
      at += 1 + stride
      samples8(h, row, p.w * channels, s8)
      const rowBase = (p.y0 + y * p.dy) * h.width
      for (let x = 0; x < p.w; x++) {
        const o = (rowBase + p.x0 + x * p.dx) * 4
        const c = x * channels
        switch (h.colorType) {
          case 0:
            out[o] = out[o + 1] = out[o + 2] = s8[c]
            out[o + 3] = grayKey >= 0 && sampleRaw(h, row, c) === grayKey ? 0 : 255
            break
          case 2:
            out[o] = s8[c]
            out[o + 1] = s8[c + 1]
            out[o + 2] = s8[c + 2]
            out[o + 3] = rgbKey && sampleRaw(h, row, c) === rgbKey[0] && sampleRaw(h, row, c + 1) === rgbKey[1] && sampleRaw(h, row, c + 2) === rgbKey[2] ? 0 : 255
            break
          case 3: {
            const i = s8[c]
            if (i >= entries) refuse(`a pixel uses palette entry ${i}, past the end of the palette`)
            out[o] = palette![i * 3]
            out[o + 1] = palette![i * 3 + 1]
            out[o + 2] = palette![i * 3 + 2]
            out[o + 3] = trns && i < trns.length ? trns[i] : 255
            break
          }
          case 4:
            out[o] = out[o + 1] = out[o + 2] = s8[c]
            out[o + 3] = s8[c + 1]
            break
          case 6:
            out[o] = s8[c]
            out[o + 1] = s8[c + 1]
            out[o + 2] = s8[c + 2]
            out[o + 3] = s8[c + 3]
            break
        }
      }
      prev = row
    }
  }
  return out
}

function unfilter(filter: number, row: Uint8Array, prev: Uint8Array, bpp: number): void {
  const n = row.length
  switch (filter) {
    case 1:
      for (let i = bpp; i < n; i++) row[i] = (row[i] + row[i - bpp]) & 0xff
      return
    case 2:
      for (let i = 0; i < n; i++) row[i] = (row[i] + prev[i]) & 0xff
      return
    case 3:
      for (let i = 0; i < n; i++) row[i] = (row[i] + (((i >= bpp ? row[i - bpp] : 0) + prev[i]) >> 1)) & 0xff
      return
    case 4:
      for (let i = 0; i < n; i++) {
        const a = i >= bpp ? row[i - bpp] : 0
        const b = prev[i]
        const c = i >= bpp ? prev[i - bpp] : 0
        const p = a + b - c
        const pa = Math.abs(p - a)
        const pb = Math.abs(p - b)
        const pc = Math.abs(p - c)
        row[i] = (row[i] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 0xff
      }
      return
  }
}
