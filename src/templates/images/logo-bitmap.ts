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

/**
 * Bitmaps by the logo's bytes (the array itself: a render worker's verified logo is one array per
 * stored logo, so it is drawn once per box), then by box. Keyed by identity, never by a digest of
 * some of the bytes: two logos that differ only in the middle are two logos.
 */
const cache = new WeakMap<Uint8Array, Map<string, TextBitmap | null>>()

/** Null when the image can't be read (it is then left out, as the PDF leaves it out). */
export function imageBitmap(node: ImageNode, scale = 1): TextBitmap | null {
  let boxes = cache.get(node.png)
  if (!boxes) cache.set(node.png, (boxes = new Map()))
  const key = `${node.x},${node.y},${node.width},${node.height},${scale}`
  const known = boxes.get(key)
  if (known !== undefined) return known
  let result: TextBitmap | null = null
  try {
    result = draw(node, scale)
  } catch (err) {
    if (!(err instanceof PngRefusedError)) throw err
  }
  if (boxes.size >= 32) boxes.clear()
  boxes.set(key, result)
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
