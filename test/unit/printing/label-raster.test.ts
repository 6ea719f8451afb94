import { describe, expect, it } from 'vitest'
import { fitToLabel, toMono, type GrayImage } from '../../../src/templates/raster/gray-image.ts'
import { inflateSync } from 'node:zlib'
import { crc16Ccitt, eplGraphicLabel, escposRaster, escposSafeBits, zplGraphicLabel } from '../../../src/templates/raster/label-raster.ts'
import { decodePwgRaster, encodePwgRaster, PwgRasterError, type PwgType } from '../../../src/templates/raster/pwg-raster.ts'
import { parsePgm } from '../../../src/templates/raster/pgm.ts'

/** A landscape page: white, with a black bar over its left quarter. */
function page(width = 40, height = 20): GrayImage {
  const data = new Uint8Array(width * height).fill(255)
  for (let y = 0; y < height; y++) for (let x = 0; x < width / 4; x++) data[y * width + x] = 0
  return { width, height, data }
}

describe('label raster', () => {
  it('when a landscape page is fitted to a portrait label, then it is turned a quarter and fills the label width', () => {
    const fitted = fitToLabel(page(40, 20), 20, 40)
    expect([fitted.width, fitted.height]).toEqual([20, 40])
    // Turned clockwise: the black left quarter of the page is now the top quarter of the label.
    expect(fitted.data[2 * 20 + 10]).toBe(0)
    expect(fitted.data[35 * 20 + 10]).toBe(255)
  })

  it('when a bitmap becomes a ZPL label, then ^GFA carries width/8 bytes per row, Z64 data whose 1 bits are the black dots, and its CRC', () => {
    const mono = toMono(page(16, 2), 'threshold')
    const zpl = Buffer.from(zplGraphicLabel(mono)).toString('latin1')
    const m = /^\^XA\^PW16\^LL2\^LH0,0\^FO0,0\^GFA,4,4,2,:Z64:([A-Za-z0-9+/=]+):([0-9A-F]{4})\^FS\^XZ\n$/.exec(zpl)
    expect(m).not.toBeNull()
    expect(inflateSync(Buffer.from(m![1], 'base64')).toString('hex')).toBe('f000f000')
    expect(m![2]).toBe(crc16Ccitt(m![1]))
    // CRC-16/XMODEM check value.
    expect(crc16Ccitt('123456789')).toBe('31C3')
  })

  it('when a bitmap becomes an EPL label, then GW carries the inverted bits (0 = black) and P1 prints it', () => {
    const mono = toMono(page(16, 2), 'threshold')
    const epl = Buffer.from(eplGraphicLabel(mono))
    const head = epl.toString('latin1', 0, epl.indexOf('GW') + 'GW0,0,2,2,'.length)
    expect(head).toContain('q16')
    expect(head.endsWith('GW0,0,2,2,')).toBe(true)
    expect([...epl.subarray(head.length, head.length + 4)]).toEqual([0x0f, 0xff, 0x0f, 0xff])
    expect(epl.toString('latin1').endsWith('\nP1\n')).toBe(true)
  })

  it('when a bitmap becomes an ESC/POS raster, then GS v 0 names bytes per row and rows', () => {
    const mono = toMono(page(16, 2), 'threshold')
    const bytes = [...escposRaster(mono)]
    expect(bytes.slice(0, 10)).toEqual([0x1b, 0x40, 0x1d, 0x76, 0x30, 0, 2, 0, 2, 0])
  })

  it('when raster data holds DLE EOT or GS V byte pairs, then they are broken up (a printer would act on them) and nothing else changes', () => {
    const bits = Uint8Array.of(0xff, 0x10, 0x04, 0x01, 0x1d, 0x56, 0x10, 0x10, 0xaa)
    expect([...escposSafeBits(bits)]).toEqual([0xff, 0x10, 0x00, 0x01, 0x1d, 0x54, 0x10, 0x10, 0xaa])
  })

  for (const type of ['sgray_8', 'srgb_8', 'black_1'] as PwgType[]) {
    it(`when ${type} PWG raster is encoded and decoded, then the page comes back`, () => {
      const p = page(300, 7)
      const [back] = decodePwgRaster(encodePwgRaster([{ ...p, resolution: 203 }], type), { maxPages: 5, maxPixels: 1e6 })
      expect([back.width, back.height, back.resolution[0]]).toEqual([300, 7, 203])
      expect(Buffer.compare(Buffer.from(back.data), Buffer.from(p.data))).toBe(0)
    })
  }

  it('when a PWG page is larger than the pixel limit, or the data is cut, then it is refused before anything is allocated', () => {
    const bytes = encodePwgRaster([page(100, 100)])
    expect(() => decodePwgRaster(bytes, { maxPages: 5, maxPixels: 9_999 })).toThrow(PwgRasterError)
    expect(() => decodePwgRaster(bytes.subarray(0, bytes.length - 3), { maxPages: 5, maxPixels: 1e6 })).toThrow(/ends early|overruns/)
    expect(() => decodePwgRaster(Buffer.from('RaS3'), { maxPages: 5, maxPixels: 1e6 })).toThrow(/sync word/)
  })

  it('when a PGM is read, then width, height and pixels come from it', () => {
    const img = parsePgm(Buffer.concat([Buffer.from('P5\n2 1\n255\n'), Buffer.of(0, 255)]))
    expect([img.width, img.height, ...img.data]).toEqual([2, 1, 0, 255])
  })
})
