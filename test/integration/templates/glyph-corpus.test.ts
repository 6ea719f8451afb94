/**
 * What prints is what the preview shows, for names in a dozen scripts. Independent evidence:
 * zpl-renderer-js renders our ZPL, the hw-sim EPL printer renders our EPL, and both are compared
 * pixel for pixel with the PNG preview; poppler's pdftotext reads the name back from the PDF.
 *
 * Text that the printer's resident font shows (Windows-1252) is drawn by each renderer with a font
 * of its own, so those fields are left out of the comparison; every other pixel — the graphic
 * fields carrying the names, lines and boxes — must match.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeMonoPng, renderEpl, type MonoBitmap } from '../../../src/templates/epl/render-epl.ts'
import { labelLayout, previewZpl, render } from '../../../src/templates/index.ts'
import { inCp1252 } from '../../../src/templates/compilers/cp1252.ts'
import { encodeRgbaPng } from '../../../src/templates/compilers/png-encoder.ts'
import { missingScripts } from '../../../src/templates/glyphs/font-chain.ts'
import type { Layout } from '../../../src/templates/layout.ts'
import { REAL_NAMES, printedName, type RealName } from '../../fixtures/names/real-names.ts'
import { commandPeer, peer } from '../../support/peers.ts'
import { STUDIO, makeClient, makeSubject } from '../../unit/templates/fixtures.ts'

const run = promisify(execFile)
/** pngjs, an independent PNG reader (no type declarations of its own): zpl-renderer-js writes RGBA PNGs. */
const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } }
const HAS_PDFTOTEXT = commandPeer('pdftotext', 'poppler-utils')
const HAS_FONTS = peer('fonts-droid-fallback', missingScripts().length === 0, `no font for ${missingScripts().join(', ')}: apt-get install fonts-droid-fallback (scripts/install-system-deps.sh)`)
const MEDIA = [
  { media: '2.25x1.25', widthIn: 2.25, heightIn: 1.25 },
  { media: '4x6', widthIn: 4, heightIn: 6 },
] as const
/** Pixels that may differ outside the masked resident-font fields (none did when this was written). */
const TOLERANCE = 0.005

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'studio-glyphs-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function subject(n: RealName) {
  return makeSubject('client-label', makeClient({ firstName: n.first, lastName: n.last, organization: null, phones: [] }))
}

function rgbaToMono(png: Uint8Array): MonoBitmap {
  const img = PNG.sync.read(Buffer.from(png))
  const pixels = new Uint8Array(img.width * img.height)
  for (let i = 0; i < pixels.length; i++) {
    const [r, g, b, a] = [img.data[i * 4], img.data[i * 4 + 1], img.data[i * 4 + 2], img.data[i * 4 + 3]]
    if (a > 127 && (r + g + b) / 3 < 128) pixels[i] = 1
  }
  return { width: img.width, height: img.height, pixels }
}

/** Bands of the label holding text in the resident font: each renderer draws it with a font of its own. */
function residentMask(layout: Layout): (x: number, y: number) => boolean {
  const bands = layout.pages[0].nodes.flatMap((n) => (n.type === 'text' && inCp1252(n.text) ? [[n.x - 4, n.y - 4, n.y + Math.ceil(n.size * 1.25) + 4]] : []))
  return (x, y) => bands.some(([x0, y0, y1]) => x >= x0 && y >= y0 && y < y1)
}

interface Comparison {
  compared: number
  differing: number
  /** Black pixels of the preview outside the mask. */
  ink: number
  printedInk: number
}

function compare(printed: MonoBitmap, preview: MonoBitmap, masked: (x: number, y: number) => boolean): Comparison {
  const w = Math.min(printed.width, preview.width)
  const h = Math.min(printed.height, preview.height)
  const c: Comparison = { compared: 0, differing: 0, ink: 0, printedInk: 0 }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      if (masked(x, y)) continue
      const a = printed.pixels[y * printed.width + x]
      const b = preview.pixels[y * preview.width + x]
      c.compared++
      if (a !== b) c.differing++
      c.ink += b
      c.printedInk += a
    }
  }
  if (process.env.GLYPH_FIGURES) console.log('compare', JSON.stringify(c))
  return c
}

describe.skipIf(!HAS_FONTS)('when a client label is printed for a name in any script, then the printout equals the PNG preview', () => {
  for (const n of REAL_NAMES) {
    const name = printedName(n)
    const graphic = !inCp1252(name)
    for (const m of MEDIA) {
      it(`${n.script} "${name}" ${m.media}: ZPL rendered by zpl-renderer-js = preview`, async () => {
        const s = subject(n)
        const zpl = await render({ subject: s, format: 'zpl', studio: STUDIO, barcode: null, media: m.media })
        const printed = rgbaToMono(await previewZpl(new TextDecoder().decode(zpl.bytes), { dpmm: 8, widthIn: m.widthIn, heightIn: m.heightIn }))
        const preview = decodeMonoPng((await render({ subject: s, format: 'png', studio: STUDIO, barcode: null, media: m.media, layoutAs: 'zpl' })).bytes)
        const layout = labelLayout({ subject: s, studio: STUDIO, barcode: null, media: m.media, dpi: 203, format: 'zpl' })
        const c = compare(printed, preview, residentMask(layout))
        if (graphic) expect(c.ink, 'the name is inked in the preview').toBeGreaterThan(200)
        expect(c.printedInk, 'the printout inks what the preview inks').toBeGreaterThanOrEqual(c.ink * 0.95)
        expect(c.differing / Math.max(1, c.ink), JSON.stringify(c)).toBeLessThanOrEqual(TOLERANCE)
      })
      it(`${n.script} "${name}" ${m.media}: EPL rendered by the hw-sim printer = preview`, async () => {
        const s = subject(n)
        const epl = await render({ subject: s, format: 'epl', studio: STUDIO, barcode: null, media: m.media })
        const [label] = renderEpl(epl.bytes)
        expect(label.warnings).toEqual([])
        const printed = decodeMonoPng(label.png)
        const preview = decodeMonoPng((await render({ subject: s, format: 'png', studio: STUDIO, barcode: null, media: m.media, layoutAs: 'epl' })).bytes)
        const layout = labelLayout({ subject: s, studio: STUDIO, barcode: null, media: m.media, dpi: 203, format: 'epl' })
        const c = compare(printed, preview, residentMask(layout))
        if (graphic) expect(c.ink, 'the name is inked in the preview').toBeGreaterThan(200)
        expect(c.printedInk).toBeGreaterThanOrEqual(c.ink * 0.95)
        expect(c.differing / Math.max(1, c.ink), JSON.stringify(c)).toBeLessThanOrEqual(TOLERANCE)
      })
    }
    it.skipIf(!HAS_PDFTOTEXT)(`${n.script} "${name}": pdftotext reads the name from the PDF label`, async () => {
      const pdf = await render({ subject: subject(n), format: 'pdf', studio: STUDIO, barcode: null, media: '4x6' })
      const file = join(dir, `${Math.random().toString(36).slice(2)}.pdf`)
      writeFileSync(file, pdf.bytes)
      // poppler marks right-to-left words with embedding controls (U+202A–U+202E): not part of the
      // name. The name may wrap (after a hyphen, or at a space) on the label: lines are joined.
      const raw = (await run('pdftotext', ['-raw', file, '-'])).stdout
      const text = raw.replace(/[\u202a-\u202e]/g, '').replace(/-\n/g, '-').replace(/\s+/g, ' ').normalize('NFC')
      if (!n.rtl) expect(text).toContain(name)
      else {
        // Each word, in its reading order, as a word of its own (not run into its neighbour).
        const words = new Set(text.split(/[\s,]+/))
        for (const w of name.split(/[\s,]+/).filter(Boolean)) expect(words, text).toContain(w)
      }
    })
  }
})

/** A two-tone logo with transparency: a dark ring with a red bar, on a transparent ground. */
function makeLogo(): Uint8Array {
  const [w, h] = [120, 60]
  const rgba = new Uint8Array(w * h * 4)
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4
      const r = Math.hypot(x - 30, y - 30)
      if (r > 18 && r < 28) rgba.set([20, 20, 60, 255], o)
      else if (x > 64 && x < 116 && y > 22 && y < 38) rgba.set([200, 0, 0, 255], o)
    }
  }
  return encodeRgbaPng(rgba, w, h)
}

describe('when the studio has a logo, then large labels print it as a graphic field, as the preview shows it', () => {
  const studio = { ...STUDIO, logoPng: makeLogo() }
  const s = makeSubject('client-label', makeClient({ organization: null, phones: [] }))
  const logoBox = (layout: Layout) => layout.pages[0].nodes.find((n) => n.type === 'image')
  const inBox = (layout: Layout) => {
    const b = logoBox(layout)!
    return (x: number, y: number) => !(x >= b.x && y >= b.y && x < b.x + b.width && y < b.y + b.height)
  }
  it('ZPL (zpl-renderer-js) and the preview ink the same logo pixels', async () => {
    const layout = labelLayout({ subject: s, studio, barcode: null, media: '4x6', dpi: 203, format: 'zpl' })
    expect(logoBox(layout)).toBeDefined()
    const zpl = new TextDecoder().decode((await render({ subject: s, format: 'zpl', studio, barcode: null, media: '4x6' })).bytes)
    expect(zpl).toMatch(/\^GFA,/)
    const printed = rgbaToMono(await previewZpl(zpl, { dpmm: 8, widthIn: 4, heightIn: 6 }))
    const preview = decodeMonoPng((await render({ subject: s, format: 'png', studio, barcode: null, media: '4x6', layoutAs: 'zpl' })).bytes)
    const c = compare(printed, preview, inBox(layout))
    expect(c.ink).toBeGreaterThan(500)
    expect(c.differing, JSON.stringify(c)).toBe(0)
  })
  it('EPL (hw-sim printer) and the preview ink the same logo pixels', async () => {
    const layout = labelLayout({ subject: s, studio, barcode: null, media: '4x6', dpi: 203, format: 'epl' })
    const [label] = renderEpl((await render({ subject: s, format: 'epl', studio, barcode: null, media: '4x6' })).bytes)
    const preview = decodeMonoPng((await render({ subject: s, format: 'png', studio, barcode: null, media: '4x6', layoutAs: 'epl' })).bytes)
    const c = compare(decodeMonoPng(label.png), preview, inBox(layout))
    expect(c.ink).toBeGreaterThan(500)
    expect(c.differing, JSON.stringify(c)).toBe(0)
  })
})

/** The ink of `img` inside rows [y0, y1), cropped to its bounding box. */
function inkIn(img: MonoBitmap, y0: number, y1: number): MonoBitmap {
  let [minX, minY, maxX, maxY] = [img.width, img.height, -1, -1]
  for (let y = Math.max(0, y0); y < Math.min(img.height, y1); y++) {
    for (let x = 0; x < img.width; x++) {
      if (!img.pixels[y * img.width + x]) continue
      ;[minX, minY, maxX, maxY] = [Math.min(minX, x), Math.min(minY, y), Math.max(maxX, x), Math.max(maxY, y)]
    }
  }
  if (maxX < 0) return { width: 0, height: 0, pixels: new Uint8Array(0) }
  const [w, h] = [maxX - minX + 1, maxY - minY + 1]
  const pixels = new Uint8Array(w * h)
  for (let y = 0; y < h; y++) pixels.set(img.pixels.subarray((minY + y) * img.width + minX, (minY + y) * img.width + minX + w), y * w)
  return { width: w, height: h, pixels }
}

/** Intersection over union of two ink crops laid on each other at their top-left corners. */
function overlap(a: MonoBitmap, b: MonoBitmap): number {
  let both = 0
  let either = 0
  for (let y = 0; y < Math.max(a.height, b.height); y++) {
    for (let x = 0; x < Math.max(a.width, b.width); x++) {
      const pa = x < a.width && y < a.height ? a.pixels[y * a.width + x] : 0
      const pb = x < b.width && y < b.height ? b.pixels[y * b.width + x] : 0
      if (pa && pb) both++
      if (pa || pb) either++
    }
  }
  return either === 0 ? 0 : both / either
}

describe.skipIf(!HAS_FONTS || !commandPeer('pdftoppm', 'poppler-utils'))('when the same label is a PDF, then poppler draws the name as the PNG preview does (order, joining, fallback glyphs)', () => {
  /** The name band of the PDF (pdftoppm) and of the PNG preview of `drawn` (the same name unless a control). */
  async function nameBands(n: RealName, drawn: RealName = n): Promise<[MonoBitmap, MonoBitmap]> {
    const s = subject(n)
      const pdf = await render({ subject: s, format: 'pdf', studio: STUDIO, barcode: null, media: '4x6' })
      const base = join(dir, Math.random().toString(36).slice(2))
      writeFileSync(`${base}.pdf`, pdf.bytes)
      await run('pdftoppm', ['-r', '203', '-png', '-singlefile', '-aa', 'no', '-aaVector', 'no', `${base}.pdf`, base])
      const printed = rgbaToMono(new Uint8Array(readFileSync(`${base}.png`)))
      const preview = decodeMonoPng((await render({ subject: subject(drawn), format: 'png', studio: STUDIO, barcode: null, media: '4x6' })).bytes)
      // The name: the bold lines of the client label.
      const layout = labelLayout({ subject: s, studio: STUDIO, barcode: null, media: '4x6', dpi: 203, format: 'png' })
      const bold = layout.pages[0].nodes.filter((node) => node.type === 'text' && node.bold)
      const y0 = Math.min(...bold.map((node) => (node.type === 'text' ? node.y : 0))) - 8
      const y1 = Math.max(...bold.map((node) => (node.type === 'text' ? node.y + node.size * 1.3 : 0))) + 8
    return [inkIn(printed, y0, y1), inkIn(preview, y0, y1)]
  }
  for (const n of REAL_NAMES) {
    it(`${n.script} "${printedName(n)}": pdftoppm's name and the preview's name overlap`, async () => {
      const [a, b] = await nameBands(n)
      expect(Math.abs(a.width - b.width), `${a.width}×${a.height} vs ${b.width}×${b.height}`).toBeLessThanOrEqual(Math.max(6, b.width * 0.03))
      if (process.env.GLYPH_FIGURES) console.log(n.script, a.width, b.width, overlap(a, b).toFixed(3))
      expect(overlap(a, b)).toBeGreaterThanOrEqual(0.6)
    })
  }
  it('control: the same Hebrew and Chinese names with their words swapped stay under the bar', async () => {
    for (const script of ['hebrew', 'han (Chinese)']) {
      const n = REAL_NAMES.find((r) => r.script === script)!
      const [a, b] = await nameBands(n, { ...n, first: n.last, last: n.first })
      if (process.env.GLYPH_FIGURES) console.log('control', script, overlap(a, b).toFixed(3))
      expect(overlap(a, b)).toBeLessThan(0.5)
    }
  })
})
