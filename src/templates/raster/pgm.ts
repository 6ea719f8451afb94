import type { GrayImage } from './gray-image.ts'

/** Reads a binary PGM (P5, 8-bit), as `pdftoppm -gray` writes it. Throws on anything else. */
export function parsePgm(bytes: Uint8Array): GrayImage {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const fields: string[] = []
  let at = 0
  while (fields.length < 4 && at < b.length && at < 200) {
    while (at < b.length && /\s/.test(String.fromCharCode(b[at]))) at++
    if (b[at] === 0x23) {
      while (at < b.length && b[at] !== 0x0a) at++
      continue
    }
    const start = at
    while (at < b.length && !/\s/.test(String.fromCharCode(b[at]))) at++
    fields.push(b.toString('latin1', start, at))
  }
  at++ // the single whitespace after maxval
  const [magic, w, h, max] = fields
  const width = Number(w)
  const height = Number(h)
  if (magic !== 'P5' || max !== '255' || !(width > 0) || !(height > 0)) throw new Error('not an 8-bit binary PGM')
  if (b.length - at < width * height) throw new Error('PGM data ends early')
  return { width, height, data: new Uint8Array(b.subarray(at, at + width * height)) }
}
