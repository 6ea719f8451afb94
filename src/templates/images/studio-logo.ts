/**
 * The studio logo: an upload is decoded and verified whole (decode-png.ts), then stored as a
 * normalized copy — 8-bit RGB (RGBA when it has transparency), at most LOGO_STORED_SIDE pixels a side — so every later render
 * embeds a small image this code wrote itself. A stored logo is checked again before a render
 * uses it (logos stored by earlier versions were not verified): one that fails is left out.
 */
import { createHash } from 'node:crypto'
import { ValidationError } from '../../domain/errors.ts'
import { encodeRgbaPng } from '../compilers/png-encoder.ts'
import { decodePng, PngRefusedError, type DecodedImage, type PngLimits } from './decode-png.ts'

/** What an upload may be: ≤ 4000 px a side and ≤ 4 megapixels (a 4000×4000 logo is refused). */
export const LOGO_LIMITS: PngLimits = { maxSide: 4000, maxPixels: 4_000_000, maxDecodedBytes: 32 * 1024 * 1024 }
/** The stored copy's longest side: a logo prints about 0.75 in wide, so 512 px is beyond 600 dpi. */
export const LOGO_STORED_SIDE = 512

export interface NormalizedLogo {
  png: Uint8Array
  width: number
  height: number
}

/** 400 LOGO_INVALID with the reason. */
export function logoInvalid(reason: string): ValidationError {
  return new ValidationError(`The logo was refused: ${reason}.`, { reason }, 'LOGO_INVALID')
}

/** Decodes an upload completely and returns the copy to store; LOGO_INVALID naming why not. */
export function normalizeLogo(bytes: Uint8Array): NormalizedLogo {
  let image: DecodedImage
  try {
    image = decodePng(bytes, LOGO_LIMITS)
  } catch (err) {
    if (err instanceof PngRefusedError) throw logoInvalid(err.reason)
    throw err
  }
  const scaled = downscale(image, LOGO_STORED_SIDE)
  return { png: encodeRgbaPng(scaled.rgba, scaled.width, scaled.height), width: scaled.width, height: scaled.height }
}

/** Box-filter downscale so that the longest side is at most `side` (unchanged when it is). */
export function downscale(image: DecodedImage, side: number): DecodedImage {
  const factor = Math.max(image.width, image.height) / side
  if (factor <= 1) return image
  const width = Math.max(1, Math.round(image.width / factor))
  const height = Math.max(1, Math.round(image.height / factor))
  const out = new Uint8Array(width * height * 4)
  const src = image.rgba
  for (let y = 0; y < height; y++) {
    const sy0 = Math.floor((y * image.height) / height)
    const sy1 = Math.max(sy0 + 1, Math.floor(((y + 1) * image.height) / height))
    for (let x = 0; x < width; x++) {
      const sx0 = Math.floor((x * image.width) / width)
      const sx1 = Math.max(sx0 + 1, Math.floor(((x + 1) * image.width) / width))
      let r = 0
      let g = 0
      let b = 0
      let a = 0
      for (let sy = sy0; sy < sy1; sy++) {
        for (let o = (sy * image.width + sx0) * 4, end = (sy * image.width + sx1) * 4; o < end; o += 4) {
          r += src[o]
          g += src[o + 1]
          b += src[o + 2]
          a += src[o + 3]
        }
      }
      const n = (sy1 - sy0) * (sx1 - sx0)
      const d = (y * width + x) * 4
      out[d] = Math.round(r / n)
      out[d + 1] = Math.round(g / n)
      out[d + 2] = Math.round(b / n)
      out[d + 3] = Math.round(a / n)
    }
  }
  return { width, height, rgba: out }
}

/** Stored logos as renders use them, by content hash: normalized bytes, or why the logo is left out. */
const usable = new Map<string, { png: Uint8Array } | { problem: string }>()

/**
 * The logo a render may embed: the stored bytes normalized again (once per worker and logo), or
 * `problem` when they fail verification — a logo stored by an earlier version, or written to the
 * database by hand, can then never reach the PDF library.
 */
export function usableLogo(bytes: Uint8Array, sha256?: string): { png: Uint8Array } | { problem: string } {
  // The store's hash of these bytes when it has one (hashing a 512 px logo costs ~1 ms a render).
  const key = sha256 ?? createHash('sha256').update(bytes).digest('hex')
  const known = usable.get(key)
  if (known) return known
  let verdict: { png: Uint8Array } | { problem: string }
  try {
    verdict = { png: normalizeLogo(bytes).png }
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err
    verdict = { problem: String(err.details?.reason ?? err.message) }
  }
  if (usable.size >= 16) usable.clear()
  usable.set(key, verdict)
  return verdict
}
