/**
 * The CUPS conformance files (Debian cups-ipp-utils) run by `ipptool` against our printers.
 *
 * ipptool reads every FILE a test file names while it parses it (a missing one ends the run
 * there), but the Debian package ships the .test files without their sample documents. So the
 * files are copied unchanged into a folder beside sample documents made here:
 * - document-letter.pdf, document-a4.pdf (pdfkit), color.jpg and gray.jpg (pdftoppm -jpeg):
 *   real documents, printed by the tests that our attributes select;
 * - document-*.ps: placeholders. PostScript is not offered, so the tests that send them skip;
 * - pwg-raster-samples-DPI/TYPE/*.pwg: real PWG raster (our encoder) for 150 dpi in black-1,
 *   sgray-8 and srgb-8 — what PDF printers advertise, so ipp-everywhere.test prints them —
 *   and empty placeholders for every other resolution and type: no printer here advertises
 *   them, so the tests that would send them skip (SKIP-IF-NOT-DEFINED HAVE_<dpi>/HAVE_<type>).
 */
import { execFileSync, spawn } from 'node:child_process'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import PDFDocument from 'pdfkit'
import { encodePwgRaster, type PwgType } from '../../../src/templates/raster/pwg-raster.ts'
import type { GrayImage } from '../../../src/templates/raster/gray-image.ts'

export const IPPTOOL_DIR = '/usr/share/cups/ipptool'
export const SUITE_FILES = ['ipp-1.1.test', 'ipp-2.0.test', 'ipp-everywhere.test'] as const

/** A PDF of `pages` pages of `size` points with a heading and lines of text. */
export function samplePdf(size: [number, number], pages: number, title: string): Promise<Buffer> {
  return new Promise((resolve) => {
    const doc = new PDFDocument({ size, margin: 36, autoFirstPage: false })
    const chunks: Buffer[] = []
    doc.on('data', (c: Buffer) => chunks.push(c))
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    for (let i = 1; i <= pages; i++) {
      doc.addPage()
      doc.fontSize(Math.min(28, size[0] / 12)).text(`${title} — page ${i}`)
      doc.rect(36, size[1] / 2, size[0] - 72, 20).fill('#000')
    }
    doc.end()
  })
}

/** A white page with a black frame and bars, `widthIn` × `heightIn` at `dpi`. */
function samplePage(widthIn: number, heightIn: number, dpi: number): GrayImage {
  const width = Math.round(widthIn * dpi)
  const height = Math.round(heightIn * dpi)
  const data = new Uint8Array(width * height).fill(255)
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const frame = x < dpi / 4 || y < dpi / 4 || x >= width - dpi / 4 || y >= height - dpi / 4
      const bar = y > height / 3 && y < height / 2 && Math.floor(x / (dpi / 10)) % 2 === 0
      if (frame && (x < dpi / 4 + 4 || y < dpi / 4 + 4 || x >= width - dpi / 4 - 4 || y >= height - dpi / 4 - 4)) data[y * width + x] = 0
      else if (bar) data[y * width + x] = 60
    }
  }
  return { width, height, data }
}

const SIZES: Record<string, [number, number]> = { 'color.jpg-4x6': [4, 6], 'gray.jpg-4x6': [4, 6], 'document-a4': [8.27, 11.69], 'onepage-a4': [8.27, 11.69], 'document-letter': [8.5, 11], 'onepage-letter': [8.5, 11] }
const REAL_DPI = 150
const REAL_TYPES: Record<string, PwgType> = { 'black-1': 'black_1', 'sgray-8': 'sgray_8', 'srgb-8': 'srgb_8' }

export async function buildSuite(dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true })
  for (const f of SUITE_FILES) copyFileSync(join(IPPTOOL_DIR, f), join(dir, f))
  writeFileSync(join(dir, 'document-letter.pdf'), await samplePdf([612, 792], 2, 'US Letter test document'))
  writeFileSync(join(dir, 'document-a4.pdf'), await samplePdf([595.28, 841.89], 2, 'A4 test document'))
  const photo = join(dir, 'photo.pdf')
  writeFileSync(photo, await samplePdf([288, 432], 1, 'Photo'))
  execFileSync('pdftoppm', ['-jpeg', '-r', '100', '-singlefile', photo, join(dir, 'color')])
  execFileSync('pdftoppm', ['-jpeg', '-gray', '-r', '100', '-singlefile', photo, join(dir, 'gray')])
  for (const ps of ['document-letter.ps', 'document-a4.ps']) writeFileSync(join(dir, ps), '%!PS-Adobe-3.0\n% placeholder: PostScript is not offered, so no test sends this file\n')
  const names = new Set<string>()
  for (const f of SUITE_FILES) for (const m of readFileSync(join(IPPTOOL_DIR, f), 'utf8').matchAll(/^\s*FILE\s+(pwg-raster-samples-\S+)/gm)) names.add(m[1])
  for (const name of names) {
    const m = /^pwg-raster-samples-(\d+)dpi\/([a-z0-9-]+)\/(.+)-\2-\d+dpi\.pwg$/.exec(name)
    if (!m) throw new Error(`unexpected sample name ${name}`)
    const [, dpi, type, doc] = m
    const path = join(dir, name)
    mkdirSync(dirname(path), { recursive: true })
    const size = SIZES[doc]
    if (Number(dpi) === REAL_DPI && REAL_TYPES[type] && size) {
      const pages = doc.startsWith('document-') ? 2 : 1
      const page = { ...samplePage(size[0], size[1], REAL_DPI), resolution: REAL_DPI }
      writeFileSync(path, encodePwgRaster(Array.from({ length: pages }, () => page), REAL_TYPES[type]))
    } else writeFileSync(path, '')
  }
}

export interface IpptoolRun {
  code: number | null
  output: string
  /** Counted from the report's [PASS]/[FAIL]/[SKIP] lines (ipptool prints no summary after an INCLUDE). */
  counts: { passed: number; failed: number; skipped: number }
  failures: string[]
  /** Test names in the order they ran. */
  names: string[]
}

/** `ipptool -tv -f FILE URI TEST` in the suite folder. */
export function runIpptool(dir: string, uri: string, test: string, file: string, timeoutMs = 240_000): Promise<IpptoolRun> {
  return new Promise((resolve) => {
    const child = spawn('ipptool', ['-tv', '-T', '30', '-f', file, uri, test], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c: Buffer) => (output += c.toString()))
    child.stderr.on('data', (c: Buffer) => (output += c.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('close', (code) => {
      clearTimeout(timer)
      const results = [...output.matchAll(/^\s{4}(\S.*?)\s+\[(PASS|FAIL|SKIP)\]\s*$/gm)]
      const count = (r: string) => results.filter((x) => x[2] === r).length
      resolve({ code, output, counts: { passed: count('PASS'), failed: count('FAIL'), skipped: count('SKIP') }, failures: results.filter((x) => x[2] === 'FAIL').map((x) => x[1]), names: results.map((x) => x[1]) })
    })
  })
}
