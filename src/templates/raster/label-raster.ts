/**
 * A label's bitmap in each label language: one unit (one label) per page. Pure.
 */
import type { MonoBitmap } from './gray-image.ts'

const HEX = '0123456789ABCDEF'

/** ZPL: one format, `^GFA` graphic field at the origin (hex data, 1 = black). */
export function zplGraphicLabel(m: MonoBitmap): Uint8Array {
  const total = m.bytesPerRow * m.height
  const hex = new Uint8Array(total * 2)
  for (let i = 0; i < total; i++) {
    hex[i * 2] = HEX.charCodeAt(m.bits[i] >> 4)
    hex[i * 2 + 1] = HEX.charCodeAt(m.bits[i] & 15)
  }
  const head = Buffer.from(`^XA^PW${m.width}^LL${m.height}^LH0,0^FO0,0^GFA,${total},${total},${m.bytesPerRow},`, 'latin1')
  return new Uint8Array(Buffer.concat([head, hex, Buffer.from('^FS^XZ\n', 'latin1')]))
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

/** ESC/POS: reset, `GS v 0` raster (1 = black), feed and cut. */
export function escposRaster(m: MonoBitmap): Uint8Array {
  const head = Uint8Array.of(0x1d, 0x76, 0x30, 0x00, m.bytesPerRow & 0xff, m.bytesPerRow >> 8, m.height & 0xff, m.height >> 8) // GS v 0 m xL xH yL yH
  return new Uint8Array(Buffer.concat([INIT, head, m.bits, CUT]))
}
