/** A minimal PNG encoder for 1-bit grayscale and 8-bit RGBA images (no native dependencies). */
import { deflateSync } from 'node:zlib'
import { concatBytes } from './concat-bytes.ts'

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

function crc32(bytes: Uint8Array, start: number, end: number): number {
  let c = 0xffffffff
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length)
  const view = new DataView(out.buffer)
  view.setUint32(0, data.length)
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i)
  out.set(data, 8)
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length))
  return out
}

const SIGNATURE = Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)


function header(width: number, height: number, depth: number, colorType: number): Uint8Array {
  const ihdr = new Uint8Array(13)
  const v = new DataView(ihdr.buffer)
  v.setUint32(0, width)
  v.setUint32(4, height)
  ihdr[8] = depth
  ihdr[9] = colorType
  return chunk('IHDR', ihdr)
}

/**
 * `rgba`: 8-bit RGBA, row after row. Written as 8-bit RGB when every pixel is opaque (a PDF
 * embeds that without decoding it), else as 8-bit RGBA; non-interlaced, filter None.
 */
export function encodeRgbaPng(rgba: Uint8Array, width: number, height: number): Uint8Array {
  let opaque = true
  for (let i = 3; i < rgba.length && opaque; i += 4) opaque = rgba[i] === 255
  const channels = opaque ? 3 : 4
  const stride = width * channels
  const raw = new Uint8Array((stride + 1) * height)
  for (let y = 0, src = 0; y < height; y++) {
    let o = y * (stride + 1) + 1
    for (let x = 0; x < width; x++, src += 4) {
      raw[o++] = rgba[src]
      raw[o++] = rgba[src + 1]
      raw[o++] = rgba[src + 2]
      if (!opaque) raw[o++] = rgba[src + 3]
    }
  }
  return concatBytes([SIGNATURE, header(width, height, 8, opaque ? 2 : 6), chunk('IDAT', deflateSync(raw, { level: 6 })), chunk('IEND', new Uint8Array(0))])
}

/** `pixels`: one byte per pixel, non-zero = black. Written as 1-bit grayscale (1 = white). */
export function encodeMonoPng(pixels: Uint8Array, width: number, height: number, dpi?: number): Uint8Array {
  const stride = Math.ceil(width / 8)
  const raw = new Uint8Array((stride + 1) * height)
  for (let y = 0; y < height; y++) {
    const row = y * (stride + 1)
    raw[row] = 0 // filter: none
    const base = y * width
    for (let xb = 0; xb < stride; xb++) {
      let byte = 0xff
      const x0 = xb * 8
      for (let bit = 0; bit < 8 && x0 + bit < width; bit++) if (pixels[base + x0 + bit]) byte &= ~(0x80 >> bit)
      raw[row + 1 + xb] = byte
    }
  }
  const parts = [SIGNATURE, header(width, height, 1, 0)] // 1-bit grayscale
  if (dpi) {
    const phys = new Uint8Array(9)
    const pv = new DataView(phys.buffer)
    const ppm = Math.round(dpi / 0.0254)
    pv.setUint32(0, ppm)
    pv.setUint32(4, ppm)
    phys[8] = 1
    parts.push(chunk('pHYs', phys))
  }
  parts.push(chunk('IDAT', deflateSync(raw, { level: 3 })), chunk('IEND', new Uint8Array(0)))
  return concatBytes(parts)
}
