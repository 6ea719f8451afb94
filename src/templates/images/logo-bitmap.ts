/**
 * An image node (the studio logo) as black-and-white pixels: decoded (decode-png.ts, with the
 * logo limits), fitted into its box with its aspect kept and centred, each pixel the average of
 * the source pixels it covers, over white; black below half brightness. The PNG preview draws
 * these pixels and ZPL `^GF` / EPL `GW` carry them, so a label's logo prints as previewed.
 */
import type { ImageNode } from '../layout.ts'
import type { TextBitmap } from '../glyphs/rasterize-text.ts'
import { decodePng, PngRefusedError } from './decode-png.ts'
import { LOGO_LIMITS } from './studio-logo.ts'

const cache = new Map<string, TextBitmap | null>()

/** Null when the image can't be read (it is then left out, as the PDF leaves it out). */
export function imageBitmap(node: ImageNode, scale = 1): TextBitmap | null {
  const key = `${node.x},${node.y},${node.width},${node.height},${scale},${node.png.length},${Buffer.from(node.png.subarray(0, 64)).toString('base64')},${Buffer.from(node.png.subarray(-64)).toString('base64')}`
  if (cache.has(key)) return cache.get(key)!
  let result: TextBitmap | null = null
  try {
    result = draw(node, scale)
  } catch (err) {
    if (!(err instanceof PngRefusedError)) throw err
  }
  if (cache.size >= 32) cache.clear()
  cache.set(key, result)
  return result
}

function draw(node: ImageNode, scale: number): TextBitmap | null {
  const image = decodePng(node.png, LOGO_LIMITS)
  const boxW = node.width * scale
  const boxH = node.height * scale
  const fit = Math.min(boxW / image.width, boxH / image.height)
  const w = Math.max(1, Math.floor(image.width * fit))
  const h = Math.max(1, Math.floor(image.height * fit))
  const x = Math.round(node.x * scale + (boxW - w) / 2)
  const y = Math.round(node.y * scale + (boxH - h) / 2)
  const pixels = new Uint8Array(w * h)
  const src = image.rgba
  for (let ty = 0; ty < h; ty++) {
    const sy0 = Math.floor((ty * image.height) / h)
    const sy1 = Math.max(sy0 + 1, Math.floor(((ty + 1) * image.height) / h))
    for (let tx = 0; tx < w; tx++) {
      const sx0 = Math.floor((tx * image.width) / w)
      const sx1 = Math.max(sx0 + 1, Math.floor(((tx + 1) * image.width) / w))
      let sum = 0
      for (let sy = sy0; sy < sy1; sy++) {
        for (let sx = sx0; sx < sx1; sx++) {
          const o = (sy * image.width + sx) * 4
          const alpha = src[o + 3] / 255
          // Luminance over a white label.
          sum += (0.299 * src[o] + 0.587 * src[o + 1] + 0.114 * src[o + 2]) * alpha + 255 * (1 - alpha)
        }
      }
      if (sum / ((sy1 - sy0) * (sx1 - sx0)) < 128) pixels[ty * w + tx] = 1
    }
  }
  return { x, y, width: w, height: h, pixels }
}
