import { createRequire } from 'node:module'
import { crc32, deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodePng, PngRefusedError } from '../../../src/templates/images/decode-png.ts'
import { normalizeLogo, LOGO_LIMITS } from '../../../src/templates/images/studio-logo.ts'
import { chunk, ihdr, LOGO_FILTER_7, LOGO_ZLIB_GARBAGE, pngOf } from '../../fixtures/hostile/hostile-inputs.ts'

/** pngjs: an independent PNG encoder (no type declarations of its own). */
type PngjsImage = { width: number; height: number; data: Buffer }
const { PNG } = createRequire(import.meta.url)('pngjs') as {
  PNG: {
    new (o: { width: number; height: number }): PngjsImage
    sync: { write(p: PngjsImage, o: { colorType: number; bitDepth: number; inputHasAlpha: boolean }): Buffer; read(b: Buffer): PngjsImage }
  }
}

/** A 7×5 RGBA test image with a gradient and some transparency. */
function source(): PngjsImage {
  const img = new PNG({ width: 7, height: 5 })
  for (let y = 0; y < 5; y++) for (let x = 0; x < 7; x++) img.data.set([x * 36, y * 60, (x * y * 17) % 256, x === 3 ? 0 : 255], (y * 7 + x) * 4)
  return img
}

const refusal = (bytes: Uint8Array): string => {
  try {
    decodePng(bytes, LOGO_LIMITS)
  } catch (err) {
    if (err instanceof PngRefusedError) return err.reason
    throw err
  }
  return 'accepted'
}

describe('PNG decoding of untrusted logos', () => {
  it.each([
    [6, 8],
    [6, 16],
    [2, 8],
    [2, 16],
    [4, 8],
    [0, 8],
    [0, 16],
  ])('when pngjs writes colour type %i at %i bits, then the decoded RGBA matches what pngjs reads back (within 1 for 16-bit rounding)', (colorType, bitDepth) => {
    const bytes = PNG.sync.write(source(), { colorType, bitDepth, inputHasAlpha: true })
    const decoded = decodePng(bytes, LOGO_LIMITS)
    const reference = PNG.sync.read(bytes)
    expect([decoded.width, decoded.height]).toEqual([reference.width, reference.height])
    const worst = Math.max(...[...reference.data].map((v, i) => Math.abs(v - decoded.rgba[i])))
    expect(worst).toBeLessThanOrEqual(bitDepth === 16 ? 1 : 0)
  })

  it('when a 2-bit palette image with tRNS is decoded, then each pixel takes its palette colour and alpha', () => {
    const plte = chunk('PLTE', Uint8Array.of(255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9))
    const trns = chunk('tRNS', Uint8Array.of(255, 128))
    // 4×1 pixels, indices 0 1 2 3 → one byte 0b00_01_10_11 after the filter byte.
    const idat = chunk('IDAT', deflateSync(Uint8Array.of(0, 0b00011011)))
    const png = Buffer.concat([pngOf(ihdr(4, 1, 2, 3), new Uint8Array(0)).subarray(0, 33), plte, trns, idat, chunk('IEND', new Uint8Array(0))])
    expect([...decodePng(png, LOGO_LIMITS).rgba]).toEqual([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 255, 9, 9, 9, 255])
  })

  it('when an Adam7-interlaced image is decoded, then pixels land where the passes put them', () => {
    // 2×2 gray 8-bit, interlaced: pass 1 holds (0,0); pass 6 (1,0); pass 7 row 1 (0,1) and (1,1).
    const raw = Uint8Array.of(0, 10, 0, 20, 0, 30, 40)
    const header = Buffer.from(ihdr(2, 2, 8, 0))
    header[8 + 12] = 1
    header.writeUInt32BE(crc32(header.subarray(4, 21)) >>> 0, 21)
    const png = pngOf(header, deflateSync(raw))
    expect([...decodePng(png, LOGO_LIMITS).rgba].filter((_, i) => i % 4 === 0)).toEqual([10, 20, 30, 40])
  })

  it.each([
    ['the reported 99-byte PNG', LOGO_ZLIB_GARBAGE, /not a valid zlib stream/],
    ['filter type 7', LOGO_FILTER_7, /row 3 has filter type 7/],
    ['a truncated file', LOGO_FILTER_7.subarray(0, 60), /truncated|longer than the file/],
    ['no signature', Buffer.from('GIF89a'), /not a PNG/],
    ['a palette image without PLTE', pngOf(ihdr(1, 1, 8, 3), deflateSync(Uint8Array.of(0, 0))), /without a palette/],
    ['too little image data', pngOf(ihdr(10, 10, 8, 6), deflateSync(new Uint8Array(20))), /holds 20 bytes, not the 410/],
    ['a bit depth colour type 2 does not allow', pngOf(ihdr(1, 1, 4, 2), deflateSync(Uint8Array.of(0, 0))), /bit depth 4 is not allowed/],
  ])('when %s is decoded, then it is refused naming why', (_name, bytes, reason) => {
    expect(refusal(bytes)).toMatch(reason)
  })

  it('when a logo is normalized, then a small opaque one keeps its size and is written as 8-bit RGB', () => {
    const img = source()
    img.data.forEach((_, i) => i % 4 === 3 && (img.data[i] = 255))
    const { png, width, height } = normalizeLogo(PNG.sync.write(img, { colorType: 6, bitDepth: 8, inputHasAlpha: true }))
    expect([width, height, png[25]]).toEqual([7, 5, 2])
    expect(decodePng(png, LOGO_LIMITS).rgba).toEqual(decodePng(PNG.sync.write(img, { colorType: 6, bitDepth: 8, inputHasAlpha: true }), LOGO_LIMITS).rgba)
  })
})
