/**
 * POST /api/preview against the behaviour of Labelary's API (the service it stands in for): label
 * index and X-Total-Count, a PDF of all labels, bytes taken as sent, ^CC streams, and image sizes.
 * Expected images come from zpl-renderer-js directly, given a stream it reads natively.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ready } from 'zpl-renderer-js'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { commandPeer } from '../../support/peers.ts'

const run = promisify(execFile)
const HAS_POPPLER = commandPeer('pdfinfo', 'poppler-utils')

const THREE = ['one', 'two', 'three'].map((t) => `^XA^FO40,40^A0N,60,60^FD${t}^FS^FO40,140^BCN,80,Y,N,N^FDL-${t}^FS^XZ`).join('\n')

/** zpl-renderer-js itself, on a 4×6 in label at 8 dpmm sized as Labelary sizes it (812 × 1218). */
async function reference(zpl: string): Promise<Buffer> {
  const { api } = await ready
  return Buffer.from(await api.zplToBase64Async(zpl, 812 / 8, 1218 / 8, 8), 'base64')
}

/** Width and height from a PNG's IHDR chunk. */
function size(png: Uint8Array): [number, number] {
  const b = Buffer.from(png)
  expect(b.subarray(12, 16).toString('latin1')).toBe('IHDR')
  return [b.readUInt32BE(16), b.readUInt32BE(20)]
}

describe('ZPL preview (POST /api/preview)', () => {
  let s: TestServer
  let dir: string
  beforeAll(async () => {
    s = await startTestServer('sqlite')
    dir = mkdtempSync(join(tmpdir(), 'studio-preview-'))
  })
  afterAll(async () => {
    await s?.close()
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  const preview = (body: string | Uint8Array, query = '', headers: Record<string, string> = {}) =>
    s.api(`/api/preview${query}`, { method: 'POST', body: typeof body === 'string' ? body : Buffer.from(body), headers: { 'content-type': 'application/octet-stream', ...headers } })

  it('when a stream holds three labels, then X-Total-Count says 3 and ?index= picks one (from 0, as Labelary counts)', async () => {
    const first = await preview(THREE)
    expect(first.status).toBe(200)
    expect(first.headers.get('x-total-count')).toBe('3')
    expect(Buffer.from(await first.arrayBuffer()).equals(await reference(THREE.split('\n')[0]))).toBe(true)
    const second = await preview(THREE, '?index=1')
    expect(second.headers.get('x-total-count')).toBe('3')
    expect(Buffer.from(await second.arrayBuffer()).equals(await reference(THREE.split('\n')[1]))).toBe(true)
    const past = await preview(THREE, '?index=3')
    expect(await past.json()).toMatchObject({ status: 400, code: 'QUERY_INVALID' })
  })

  it.skipIf(!HAS_POPPLER)('when a PDF is asked for (Accept: application/pdf), then it holds every label, one 4×6 in page each', async () => {
    const res = await preview(THREE, '', { accept: 'application/pdf' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^application\/pdf/)
    expect(res.headers.get('x-total-count')).toBe('3')
    const file = join(dir, 'all.pdf')
    writeFileSync(file, Buffer.from(await res.arrayBuffer()))
    const info = (await run('pdfinfo', [file])).stdout
    expect(info).toMatch(/^Pages:\s+3$/m)
    expect(info).toMatch(/^Page size:\s+288 x 432 pts/m)
    const one = await preview(THREE, '?index=2', { accept: 'application/pdf' })
    writeFileSync(file, Buffer.from(await one.arrayBuffer()))
    expect((await run('pdfinfo', [file])).stdout).toMatch(/^Pages:\s+1$/m)
  })

  it('when ^CI27 text arrives as Windows-1252 bytes, then it is drawn as the renderer draws the same text escaped', async () => {
    const bytes = Buffer.concat([Buffer.from('^XA^CI27^FO40,40^A0N,60,60^FDCaf', 'latin1'), Uint8Array.of(0xe9, 0x20, 0x80), Buffer.from('^FS^XZ', 'latin1')])
    const res = await preview(bytes)
    expect(res.status).toBe(200)
    const png = Buffer.from(await res.arrayBuffer())
    expect(png.equals(await reference('^XA^CI27^FO40,40^A0N,60,60^FH^FDCaf_E9 _80^FS^XZ'))).toBe(true)
    expect(png.equals(await reference('^XA^CI28^FO40,40^A0N,60,60^FDCafé €^FS^XZ'))).toBe(true)
  })

  it('when ^CI0 text arrives as code page 850 bytes, then é is é', async () => {
    const bytes = Buffer.concat([Buffer.from('^XA^CI0^FO40,40^A0N,60,60^FDCaf', 'latin1'), Uint8Array.of(0x82), Buffer.from('^FS^XZ', 'latin1')])
    const png = Buffer.from(await (await preview(bytes)).arrayBuffer())
    expect(png.equals(await reference('^XA^CI28^FO40,40^A0N,60,60^FDCafé^FS^XZ'))).toBe(true)
  })

  it('when the stream changes the caret with ^CC, then it is drawn like the same label with ^', async () => {
    const res = await preview('^CC+\n+XA+FO40,40+A0N,60,60+FDCaret+FS+XZ')
    expect(res.status).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).equals(await reference('^XA^FO40,40^A0N,60,60^FDCaret^FS^XZ'))).toBe(true)
    expect(await (await preview('no format here')).json()).toMatchObject({ status: 400, code: 'ZPL_INVALID' })
  })

  it('when sizes and densities vary, then the image is inches × the printer dpi (152, 203, 300, 600) dots, rounded down, as Labelary answers', async () => {
    const cases: Array<[dpmm: number, w: number, h: number, expected: [number, number]]> = [
      [8, 4, 6, [812, 1218]],
      [6, 4, 6, [608, 912]],
      [12, 4, 6, [1200, 1800]],
      [24, 1, 1.5, [600, 900]],
      [8, 2.25, 1.25, [456, 253]],
      [12, 3.5, 1.125, [1050, 337]],
    ]
    for (const [dpmm, w, h, expected] of cases) {
      const res = await preview('^XA^FO10,10^GB50,50,5^FS^XZ', `?dpmm=${dpmm}&width=${w}&height=${h}`)
      expect(res.status).toBe(200)
      expect([dpmm, w, h, ...size(new Uint8Array(await res.arrayBuffer()))]).toEqual([dpmm, w, h, ...expected])
    }
  })
})
