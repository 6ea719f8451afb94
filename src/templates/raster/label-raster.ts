/**
 * A label's bitmap in each label language: one unit (one label) per page. Pure.
 */
import { deflateSync } from 'node:zlib'
import type { MonoBitmap } from './gray-image.ts'

/** CRC-16/XMODEM (CCITT polynomial 0x1021, start 0) of the Z64 text, as ZPL checks it. */
export function crc16Ccitt(text: string): string {
  let crc = 0
  for (let i = 0; i < text.length; i++) {
    crc ^= text.charCodeAt(i) << 8
    for (let b = 0; b < 8; b++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff
  }
  return crc.toString(16).toUpperCase().padStart(4, '0')
}

/**
 * ZPL: one format, a `^GFA` graphic field at the origin, its bits (1 = black) deflated and
 * base64-encoded (`:Z64:DATA:CRC`) — a 4x6 label is a few kilobytes instead of 250 KB of hex.
 */
export function zplGraphicLabel(m: MonoBitmap): Uint8Array {
  const total = m.bytesPerRow * m.height
  const z64 = deflateSync(m.bits, { level: 6 }).toString('base64')
  return new Uint8Array(Buffer.from(`^XA^PW${m.width}^LL${m.height}^LH0,0^FO0,0^GFA,${total},${total},${m.bytesPerRow},:Z64:${z64}:${crc16Ccitt(z64)}^FS^XZ\n`, 'latin1'))
}

/** EPL2: clear, label size, `GW` graphic (binary, bit 0 = black), print one. */
export function eplGraphicLabel(m: MonoBitmap): Uint8Array {
  const data = Buffer.alloc(m.bits.length)
  for (let i = 0; i < data.length; i++) data[i] = ~m.bits[i] & 0xff
  const head = Buffer.from(`\nN\nq${m.width}\nQ${m.height},24\nGW0,0,${m.bytesPerRow},${m.height},`, 'latin1')
  return new Uint8Array(Buffer.concat([head, data, Buffer.from('\nP1\n', 'latin1')]))
}

const INIT = Uint8Array.of(0x1b, 0x40) // ESC @
const CUT = Uint8Array.of(0x1d, 0x56, 0x41, 0x10) // GS V A n: feed and cut

/**
 * Raster bytes with no `DLE EOT n` (10 04 n: a printer acts on it at once, wherever it appears)
 * and no `GS V` (1D 56, cut) in them: in each such pair one dot of the second byte is left white.
 */
export function escposSafeBits(bits: Uint8Array): Uint8Array {
  const out = new Uint8Array(bits)
  for (let i = 0; i + 1 < out.length; i++) {
    if (out[i] === 0x10 && out[i + 1] === 0x04) out[i + 1] = 0x00
    else if (out[i] === 0x1d && out[i + 1] === 0x56) out[i + 1] = 0x54
  }
  return out
}

/** ESC/POS: reset, `GS v 0` raster (1 = black), feed and cut. */
export function escposRaster(m: MonoBitmap): Uint8Array {
  const head = Uint8Array.of(0x1d, 0x76, 0x30, 0x00, m.bytesPerRow & 0xff, m.bytesPerRow >> 8, m.height & 0xff, m.height >> 8) // GS v 0 m xL xH yL yH
  return new Uint8Array(Buffer.concat([INIT, head, escposSafeBits(m.bits), CUT]))
}
