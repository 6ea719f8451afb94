/**
 * PDF pages to grayscale images with poppler's `pdftoppm` (a separate process: a hostile PDF
 * can't take the server's memory or thread down with it). Run from a render worker.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parsePgm } from '../../templates/raster/pgm.ts'
import type { GrayImage } from '../../templates/raster/gray-image.ts'

export class PdfRasterError extends Error {
  constructor(message: string, readonly tooLarge = false, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PdfRasterError'
  }
}

export interface RasterizeOptions {
  /** Each page's longer side, in dots; or, with `width`, each page's width (a roll: length follows). */
  longSide: number
  width?: number
  /** Pages past this refuse the document (tooLarge). */
  maxPages: number
  timeoutMs: number
}

export async function rasterizePdf(pdf: Uint8Array, opts: RasterizeOptions): Promise<GrayImage[]> {
  const dir = await mkdtemp(join(tmpdir(), 'studio-ipp-'))
  try {
    const input = join(dir, 'in.pdf')
    await writeFile(input, pdf, { mode: 0o600 })
    await new Promise<void>((resolve, reject) => {
      execFile(
        'pdftoppm',
        ['-gray', ...(opts.width ? ['-scale-to-x', String(Math.round(opts.width)), '-scale-to-y', '-1'] : ['-scale-to', String(Math.round(opts.longSide))]), '-f', '1', '-l', String(opts.maxPages + 1), input, join(dir, 'page')],
        { timeout: opts.timeoutMs, maxBuffer: 64 * 1024 },
        (err, _stdout, stderr) => {
          if (!err) return resolve()
          const e = err as NodeJS.ErrnoException & { killed?: boolean }
          if (e.code === 'ENOENT') return reject(new PdfRasterError('pdftoppm (poppler-utils) is not installed', false, { cause: err }))
          reject(new PdfRasterError(e.killed ? `the PDF took longer than ${opts.timeoutMs} ms to rasterise` : `pdftoppm refused the PDF: ${String(stderr).trim().slice(0, 200)}`, false, { cause: err }))
        },
      )
    })
    const files = (await readdir(dir)).filter((f) => f.startsWith('page') && f.endsWith('.pgm')).sort()
    if (files.length > opts.maxPages) throw new PdfRasterError(`the PDF has more than ${opts.maxPages} pages`, true)
    if (files.length === 0) throw new PdfRasterError('the PDF has no pages')
    const pages: GrayImage[] = []
    for (const f of files) pages.push(parsePgm(await readFile(join(dir, f))))
    return pages
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
