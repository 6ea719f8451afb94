/**
 * Proof by independent peers: zpl-renderer-js renders our ZPL, poppler rasterizes and extracts our
 * PDFs, zxing-wasm and zbarimg decode the barcodes, our own EPL parser reads EPL back.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader'
import { parseEpl } from '../../../src/templates/epl/parse-epl.ts'
import { splitGraphics } from '../../../src/templates/epl/render-epl.ts'
import { DOCUMENT_FORMATS, type DocumentName } from '../../../src/domain/documents.ts'
import { SYMBOLOGIES, type Symbology } from '../../../src/domain/preferences.ts'
import { previewZpl, render, renderSheet } from '../../../src/templates/index.ts'
import { commandPeer } from '../../support/peers.ts'
import { STUDIO, barcodeOf, makeClient, makeSubject, payloadOf } from '../../unit/templates/fixtures.ts'

const run = promisify(execFile)
const require = createRequire(import.meta.url)
const HAS_ZBAR = commandPeer('zbarimg', 'zbar-tools')
const HAS_POPPLER = commandPeer('pdftoppm', 'poppler-utils') && commandPeer('pdftotext', 'poppler-utils')

const CLIENT = makeClient({ firstName: 'Ελένη', lastName: 'Müller-Дмитриев' })
const NAME = 'Müller-Дмитриев, Ελένη'
const LABELS = ['client-label', 'order-label'] as const
const PAGES = ['client-profile', 'session-confirmation', 'photographer-confirmation', 'invoice', 'work-order', 'purchase-order'] as const

let dir: string

beforeAll(async () => {
  const wasm = readFileSync(join(require.resolve('zxing-wasm/reader').replace(/dist[\\/].*$/, ''), 'dist/reader/zxing_reader.wasm'))
  await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true })
  dir = mkdtempSync(join(tmpdir(), 'studio-templates-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function decode(png: Uint8Array): Promise<string[]> {
  const results = await readBarcodes(png, { formats: ['Code128', 'Code39', 'QRCode', 'DataMatrix', 'EAN-13', 'ITF'], maxNumberOfSymbols: 64, tryHarder: true })
  return results.filter((r) => r.isValid).map((r) => r.text).sort()
}

async function zbar(png: Uint8Array): Promise<string[]> {
  const file = join(dir, `z-${Math.random().toString(36).slice(2)}.png`)
  writeFileSync(file, png)
  try {
    const { stdout } = await run('zbarimg', ['--nodbus', '-q', '--raw', file])
    return stdout.split('\n').filter(Boolean).sort()
  } catch (e) {
    if ((e as { code?: number }).code === 4) return [] // zbarimg: no symbols found
    throw e
  }
}

async function pdfPages(pdf: Uint8Array, dpi = 200): Promise<Uint8Array[]> {
  const base = join(dir, `p-${Math.random().toString(36).slice(2)}`)
  writeFileSync(`${base}.pdf`, pdf)
  await run('pdftoppm', ['-r', String(dpi), '-png', `${base}.pdf`, base])
  const prefix = base.split('/').pop()!
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.png'))
    .sort()
    .map((f) => new Uint8Array(readFileSync(join(dir, f))))
}

async function pdfText(pdf: Uint8Array): Promise<string> {
  const file = join(dir, `t-${Math.random().toString(36).slice(2)}.pdf`)
  writeFileSync(file, pdf)
  return (await run('pdftotext', ['-layout', file, '-'])).stdout
}

async function zplToPng(zpl: Uint8Array): Promise<Uint8Array> {
  return previewZpl(new TextDecoder().decode(zpl), { dpmm: 8, widthIn: 4, heightIn: 6 })
}

function subjectOf(document: DocumentName) {
  return makeSubject(document, CLIENT)
}

describe('labels: every format x every symbology decodes to the record payload', () => {
  for (const document of LABELS) {
    for (const symbology of SYMBOLOGIES) {
      const payload = payloadOf(document)
      const barcode = barcodeOf(document, symbology)
      it(`${document} ZPL (${symbology}) via zpl-renderer-js -> zxing${HAS_ZBAR ? ' and zbarimg' : ''}`, async () => {
        const r = await render({ subject: subjectOf(document), format: 'zpl', studio: STUDIO, barcode })
        const png = await zplToPng(r.bytes)
        expect(await decode(png)).toEqual([payload])
        if (HAS_ZBAR) expect(await zbar(png)).toEqual([payload])
      })
      it(`${document} PNG preview (${symbology}) -> zxing`, async () => {
        const r = await render({ subject: subjectOf(document), format: 'png', studio: STUDIO, barcode, media: '2.25x1.25' })
        expect(r.contentType).toBe('image/png')
        expect(await decode(r.bytes)).toEqual([payload])
        if (HAS_ZBAR) expect(await zbar(r.bytes)).toEqual([payload])
      })
      it.skipIf(!HAS_POPPLER)(`${document} PDF (${symbology}) via pdftoppm -> zxing, name in pdftotext`, async () => {
        const r = await render({ subject: subjectOf(document), format: 'pdf', studio: STUDIO, barcode, media: 'dymo-30252' })
        const pages = await pdfPages(r.bytes)
        expect(pages).toHaveLength(1)
        expect(await decode(pages[0])).toEqual([payload])
        expect(await pdfText(r.bytes)).toContain(NAME)
      })
      it(`${document} EPL (${symbology}) read back by the EPL parser`, async () => {
        const r = await render({ subject: subjectOf(document), format: 'epl', studio: STUDIO, barcode, dpi: 300 })
        // The Greek and Cyrillic name is a GW graphic: its binary rows are cut out before parsing.
        const { text, graphics } = splitGraphics(r.bytes)
        expect(graphics[0].length).toBeGreaterThan(0)
        const labels = parseEpl(text)
        expect(labels).toHaveLength(1)
        expect(labels[0].errors).toEqual([])
        expect(labels[0].barcodes.map((b) => [b.type, b.data])).toEqual([[{ code128: '1', code39: '3', qrcode: 'Q' }[symbology], payload]])
        expect(labels[0].texts.map((t) => t.data)).toContain(payload)
      })
    }
  }
})

describe('documents: PDF and PNG of every printout decode to the payload; names survive pdftotext', () => {
  for (const document of PAGES) {
    for (const symbology of SYMBOLOGIES) {
      it.skipIf(!HAS_POPPLER)(`${document} PDF (${symbology})`, async () => {
        const r = await render({ subject: subjectOf(document), format: 'pdf', studio: STUDIO, barcode: barcodeOf(document, symbology) })
        expect(r.contentType).toBe('application/pdf')
        const pages = await pdfPages(r.bytes, 150)
        expect(pages.length).toBe(r.units)
        expect(await decode(pages[0])).toEqual([payloadOf(document)])
        const text = await pdfText(r.bytes)
        expect(text).toContain(STUDIO.name)
        expect(text).toContain(payloadOf(document)) // human-readable line
        if (document === 'purchase-order') {
          expect(text).toContain('Bay Photo Lab')
          expect(text).toContain('Lustre finish, no crop.')
          expect(text).not.toContain('Studio-only') // studio notes stay in-house
          expect(text).not.toContain('25.00') // no client prices
          expect(text).not.toContain('18.34')
        } else {
          expect(text).toContain(NAME)
        }
        if (document === 'work-order') expect(text).toContain('Studio-only: client is picky')
        if (document === 'client-profile') expect(text).toContain('Ελένη Παπαδοπούλου, Дмитрий Иванов')
      })
    }
    it(`${document} PNG preview of page 1 (code128)`, async () => {
      const r = await render({ subject: subjectOf(document), format: 'png', studio: STUDIO, barcode: barcodeOf(document) })
      expect(await decode(r.bytes)).toEqual([payloadOf(document)])
    })
  }
  it.skipIf(!HAS_POPPLER)('photographer confirmation shows fees only when the studio enables them', async () => {
    const off = await pdfText((await render({ subject: subjectOf('photographer-confirmation'), format: 'pdf', studio: STUDIO, barcode: null })).bytes)
    const on = await pdfText((await render({ subject: subjectOf('photographer-confirmation'), format: 'pdf', studio: { ...STUDIO, photographerFees: true }, barcode: null })).bytes)
    expect(off).not.toContain('150.00')
    expect(on).toContain('150.00')
  })
})

describe('barcodes off: no decoder finds a symbol in any format', () => {
  for (const document of [...LABELS, ...PAGES]) {
    for (const format of DOCUMENT_FORMATS[document].filter((f) => f !== 'escpos' && f !== 'epl')) {
      it.skipIf(format === 'pdf' && !HAS_POPPLER)(`${document} ${format}`, async () => {
        const r = await render({ subject: subjectOf(document), format, studio: STUDIO, barcode: null })
        let images: Uint8Array[]
        if (format === 'zpl') {
          expect(new TextDecoder().decode(r.bytes)).not.toMatch(/\^B[C3Q]/)
          images = [await zplToPng(r.bytes)]
        } else if (format === 'pdf') images = await pdfPages(r.bytes, 100)
        else images = [r.bytes]
        for (const png of images) expect(await decode(png)).toEqual([])
      })
    }
  }
})

describe("a studio's own ZPL and EPL templates as PDF", () => {
  const templates = [
    { document: 'client-label' as const, kind: 'zpl' as const, body: '^XA^FO40,40^A0N,40,40^FH^FD{{client.name}}^FS^FO40,120^BCN,120,Y,N,N^FH^FD{{barcode.text}}^FS^XZ' },
    { document: 'client-label' as const, kind: 'epl' as const, body: 'N\nq812\nA40,40,0,4,1,1,N,"{{client.name}}"\nB40,120,0,1,3,6,120,B,"{{barcode.text}}"\nP1\n' },
  ]
  for (const template of templates) {
    it.skipIf(!HAS_POPPLER)(`${template.kind}: pdftoppm draws the page, and the barcode decodes`, async () => {
      const r = await render({ subject: subjectOf('client-label'), format: 'pdf', studio: STUDIO, barcode: barcodeOf('client-label'), template })
      const pages = await pdfPages(r.bytes)
      expect(pages).toHaveLength(1)
      expect(await decode(pages[0])).toEqual([payloadOf('client-label')])
    })
  }
})

describe('Avery 5160 sheets', () => {
  it.skipIf(!HAS_POPPLER)('start at label 5: 31 labels fill 26 positions of sheet 1 and 5 of sheet 2, all decodable', async () => {
    const items = Array.from({ length: 31 }, (_, i) => ({
      subject: { document: 'client-label' as const, client: makeClient({ number: i + 1 }) },
      barcode: { payload: `C-${String(i + 1).padStart(6, '0')}`, symbology: 'code128' as Symbology },
    }))
    const chunks: Uint8Array[] = []
    for await (const c of renderSheet({ items, studio: STUDIO, startPosition: 5 })) chunks.push(c)
    const pdf = new Uint8Array(Buffer.concat(chunks))
    const pages = await pdfPages(pdf, 200)
    expect(pages).toHaveLength(2)
    const first = await decode(pages[0])
    const second = await decode(pages[1])
    expect(first).toHaveLength(26)
    expect(second).toEqual(items.slice(26).map((i) => i.barcode.payload).sort())
    expect([...first, ...second].sort()).toEqual(items.map((i) => i.barcode.payload).sort())
  })
})
