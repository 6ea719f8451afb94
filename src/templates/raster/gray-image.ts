/**
 * 8-bit grayscale pages (0 black … 255 white) and the steps that turn one into a label's
 * bitmap: fit to the loaded stock (turned a quarter when the page's orientation differs from
 * the label's), then 1 bit per dot. Pure.
 */
export interface GrayImage {
  width: number
  height: number
  /** width × height bytes, row by row. */
  data: Uint8Array
}

/** One bit per dot, most significant bit first, 1 = black (ZPL ^GF, ESC/POS GS v 0). */
export interface MonoBitmap {
  width: number
  height: number
  bytesPerRow: number
  bits: Uint8Array
}

export function rotateQuarter(img: GrayImage): GrayImage {
  const { width: w, height: h, data } = img
  const out = new Uint8Array(w * h)
  // Clockwise: the new image is h wide and w high.
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[x * h + (h - 1 - y)] = data[y * w + x]
  return { width: h, height: w, data: out }
}

/** Scales by `s` (≤ 1: area average; > 1: nearest dot). */
export function scale(img: GrayImage, s: number): GrayImage {
  const w = Math.max(1, Math.round(img.width * s))
  const h = Math.max(1, Math.round(img.height * s))
  const out = new Uint8Array(w * h)
  const fx = img.width / w
  const fy = img.height / h
  for (let y = 0; y < h; y++) {
    const y0 = Math.floor(y * fy)
    const y1 = Math.max(y0 + 1, Math.min(img.height, Math.floor((y + 1) * fy)))
    for (let x = 0; x < w; x++) {
      const x0 = Math.floor(x * fx)
      const x1 = Math.max(x0 + 1, Math.min(img.width, Math.floor((x + 1) * fx)))
      let sum = 0
      for (let yy = y0; yy < y1; yy++) for (let xx = x0; xx < x1; xx++) sum += img.data[yy * img.width + xx]
      out[y * w + x] = Math.round(sum / ((y1 - y0) * (x1 - x0)))
    }
  }
  return { width: w, height: h, data: out }
}

/**
 * The page fitted to a label of `width` × `height` dots: turned a quarter when its orientation
 * differs (unless `turn` is false: a receipt roll), scaled to fit whole (aspect kept), centred on white.
 */
export function fitToLabel(page: GrayImage, width: number, height: number, turn = true): GrayImage {
  let img = page
  if (turn && img.width > img.height !== width > height && img.width !== img.height) img = rotateQuarter(img)
  const s = Math.min(width / img.width, height / img.height)
  if (Math.abs(s - 1) > 1e-6) img = scale(img, s)
  const out = new Uint8Array(width * height).fill(255)
  const ox = Math.floor((width - Math.min(width, img.width)) / 2)
  const oy = Math.floor((height - Math.min(height, img.height)) / 2)
  for (let y = 0; y < Math.min(height, img.height); y++) {
    out.set(img.data.subarray(y * img.width, y * img.width + Math.min(width, img.width)), (oy + y) * width + ox)
  }
  return { width, height, data: out }
}

/**
 * 1 bit per dot. `threshold` keeps edges sharp (text, barcodes: PDF and PWG raster); `dither`
 * (Floyd–Steinberg) keeps a photo's tones (JPEG).
 */
export function toMono(img: GrayImage, mode: 'threshold' | 'dither'): MonoBitmap {
  const { width, height } = img
  const bytesPerRow = Math.ceil(width / 8)
  const bits = new Uint8Array(bytesPerRow * height)
  const err = mode === 'dither' ? new Float32Array(img.data) : null
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x
      let black: boolean
      if (err) {
        const old = err[i]
        black = old < 128
        const e = old - (black ? 0 : 255)
        if (x + 1 < width) err[i + 1] += (e * 7) / 16
        if (y + 1 < height) {
          if (x > 0) err[i + width - 1] += (e * 3) / 16
          err[i + width] += (e * 5) / 16
          if (x + 1 < width) err[i + width + 1] += e / 16
        }
      } else black = img.data[i] < 128
      if (black) bits[y * bytesPerRow + (x >> 3)] |= 0x80 >> (x & 7)
    }
  }
  return { width, height, bytesPerRow, bits }
}
