import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { imageBitmap } from '../../../src/templates/images/logo-bitmap.ts'
import type { ImageNode } from '../../../src/templates/layout.ts'
import { chunk, ihdr } from '../../fixtures/hostile/hostile-inputs.ts'

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/**
 * An 8×8 grey logo of one shade, stored deflate (its length does not depend on the shade), with
 * 80-byte text chunks before and after the image data: two shades give PNGs of one length whose
 * first and last 64 bytes are the same — only the middle differs.
 */
function flatLogo(shade: number): Uint8Array {
  const raw = Buffer.alloc(8 * 9)
  for (let y = 0; y < 8; y++) raw.fill(shade, y * 9 + 1, y * 9 + 9)
  const pad = chunk('tEXt', Buffer.from(`Comment\0${'x'.repeat(72)}`, 'latin1'))
  return new Uint8Array(Buffer.concat([SIGNATURE, ihdr(8, 8, 8, 0), pad, chunk('IDAT', deflateSync(raw, { level: 0 })), pad, chunk('IEND', Buffer.alloc(0))]))
}

const node = (png: Uint8Array): ImageNode => ({ type: 'image', x: 0, y: 0, width: 8, height: 8, png })
const blackPixels = (png: Uint8Array): number => imageBitmap(node(png))!.pixels.reduce((n, p) => n + p, 0)

describe('imageBitmap', () => {
  it('draws each logo from its own bytes, even when two logos share length, head and tail', () => {
    const black = flatLogo(0)
    const white = flatLogo(255)
    expect(black.length).toBe(white.length)
    expect(Buffer.from(black.subarray(0, 64))).toEqual(Buffer.from(white.subarray(0, 64)))
    expect(Buffer.from(black.subarray(-64))).toEqual(Buffer.from(white.subarray(-64)))
    expect(blackPixels(black)).toBe(64)
    expect(blackPixels(white)).toBe(0)
    // And again, in the other order, each from a fresh copy of its bytes.
    expect(blackPixels(new Uint8Array(white))).toBe(0)
    expect(blackPixels(new Uint8Array(black))).toBe(64)
  })

  it('draws a logo once per box: the same bytes in the same box give the same bitmap', () => {
    const png = flatLogo(0)
    expect(imageBitmap(node(png))).toBe(imageBitmap(node(png)))
    expect(imageBitmap({ ...node(png), width: 4, height: 4 })!.width).toBe(4)
  })
})
