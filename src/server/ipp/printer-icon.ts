/** The printer icon IPP clients show (printer-icons): a label with a barcode, drawn once as a PNG. */
import { encodeMonoPng } from '../../templates/compilers/png-encoder.ts'

function draw(size: number): Uint8Array {
  const px = new Uint8Array(size * size)
  const m = Math.round(size / 8)
  const set = (x: number, y: number) => (px[y * size + x] = 1)
  for (let i = m; i < size - m; i++) {
    for (let t = 0; t < Math.max(1, size / 32); t++) {
      set(i, m + t)
      set(i, size - m - 1 - t)
      set(m + t, i)
      set(size - m - 1 - t, i)
    }
  }
  // Bars of a barcode in the lower half.
  const widths = [2, 1, 3, 1, 1, 2, 1, 3, 2, 1, 1, 2, 3, 1, 2]
  let x = m * 2
  const unit = Math.max(1, Math.round(size / 64))
  widths.forEach((w, i) => {
    if (i % 2 === 0) for (let dx = 0; dx < w * unit && x + dx < size - m * 2; dx++) for (let y = Math.round(size * 0.5); y < size - m * 2; y++) set(x + dx, y)
    x += w * unit
  })
  // A text line in the upper half.
  for (let y = Math.round(size * 0.3); y < Math.round(size * 0.3) + Math.max(2, size / 16); y++) for (let xx = m * 2; xx < size * 0.7; xx++) set(xx, y)
  return encodeMonoPng(px, size, size)
}

let cached: Uint8Array | null = null
export function printerIconPng(): Uint8Array {
  return (cached ??= draw(128))
}
