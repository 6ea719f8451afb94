/**
 * A 1-byte-a-pixel bitmap packed into rows of bits, most significant bit first, as printers take
 * graphics: ZPL `^GF` (1 = black) and EPL `GW` (0 = black). Padding bits at the end of a row are white.
 */
import type { TextBitmap } from './rasterize-text.ts'

export function packBitmap(bitmap: Pick<TextBitmap, 'width' | 'height' | 'pixels'>, black: 0 | 1): { bytesPerRow: number; data: Uint8Array } {
  const bytesPerRow = Math.ceil(bitmap.width / 8)
  const data = new Uint8Array(bytesPerRow * bitmap.height).fill(black === 1 ? 0 : 0xff)
  for (let y = 0; y < bitmap.height; y++) {
    for (let x = 0; x < bitmap.width; x++) {
      if (!bitmap.pixels[y * bitmap.width + x]) continue
      const i = y * bytesPerRow + (x >> 3)
      if (black === 1) data[i] |= 0x80 >> (x & 7)
      else data[i] &= ~(0x80 >> (x & 7))
    }
  }
  return { bytesPerRow, data }
}

/** The part of `bitmap` inside a `width` × `height` label (null when none is). */
export function clipToLabel<T extends TextBitmap>(bitmap: T, width: number, height: number): TextBitmap | null {
  const x0 = Math.max(0, bitmap.x)
  const y0 = Math.max(0, bitmap.y)
  const x1 = Math.min(width, bitmap.x + bitmap.width)
  const y1 = Math.min(height, bitmap.y + bitmap.height)
  if (x1 <= x0 || y1 <= y0) return null
  if (x0 === bitmap.x && y0 === bitmap.y && x1 === bitmap.x + bitmap.width && y1 === bitmap.y + bitmap.height) return bitmap
  const w = x1 - x0
  const pixels = new Uint8Array(w * (y1 - y0))
  for (let y = y0; y < y1; y++) pixels.set(bitmap.pixels.subarray((y - bitmap.y) * bitmap.width + (x0 - bitmap.x), (y - bitmap.y) * bitmap.width + (x1 - bitmap.x)), (y - y0) * w)
  return { x: x0, y: y0, width: w, height: y1 - y0, pixels }
}
