import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { deflateSync } from 'node:zlib'
import { createRequire } from 'node:module'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { DB_KINDS } from '../../support/databases.ts'
import { commandPeer } from '../../support/peers.ts'
import { LOGO_FILTER_7, LOGO_ZLIB_GARBAGE, ihdr, logo4000x16bit, logoBomb, pngOf } from '../../fixtures/hostile/hostile-inputs.ts'

const run = promisify(execFile)
/** pngjs, an independent PNG reader (no type declarations of its own). */
const { PNG } = createRequire(import.meta.url)('pngjs') as { PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } } }
const HAS_POPPLER = commandPeer('pdfimages', 'poppler-utils')

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

describe.skipIf(!HAS_POPPLER).each(DB_KINDS)('hostile studio logos (%s)', (kind) => {
  let s: TestServer
  let dir: string
  let invoiceId: number
  let clientToken: string
  beforeAll(async () => {
    s = await startTestServer(kind)
    dir = mkdtempSync(join(tmpdir(), 'hostile-logo-'))
    const client = await json<{ id: number }>(await s.api('/api/clients', { method: 'POST', json: { lastName: 'Logo' } }))
    invoiceId = (await json<{ id: number }>(await s.api('/api/invoices', { method: 'POST', json: { invoiceType: 'generic', clientId: client.id } }))).id
    clientToken = (await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'client' } }))).token
  })
  afterAll(async () => {
    await s?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const put = (body: Uint8Array) => s.api('/api/preferences/studio/logo', { method: 'PUT', body, headers: { 'content-type': 'image/png' } })

  /** Images in the invoice PDF (a client token renders it), as poppler's pdfimages counts them. */
  async function imagesInInvoice(): Promise<number> {
    const res = await s.api(`/api/documents/invoice/${invoiceId}?format=pdf`, { token: clientToken })
    expect(res.status).toBe(200)
    const file = join(dir, `invoice-${Math.random().toString(36).slice(2)}.pdf`)
    writeFileSync(file, new Uint8Array(await res.arrayBuffer()))
    const { stdout } = await run('pdfimages', ['-list', file])
    return stdout.split('\n').slice(2).filter((l) => l.trim().split(/\s+/)[2] === 'image').length
  }

  async function healthy(): Promise<boolean> {
    return (await fetch(`${s.url}/api/health`)).status === 200
  }

  it('when the fixtures are built, then the reported 99-byte PNG is 99 bytes', () => {
    expect(LOGO_ZLIB_GARBAGE.length).toBe(99)
  })

  it.each([
    ['the 99-byte PNG whose IDAT is a zlib header and garbage', () => LOGO_ZLIB_GARBAGE, /zlib/],
    ['a row with filter type 7', () => LOGO_FILTER_7, /filter type 7/],
    ['a decompression bomb (917 KB inflating to 900 MB)', logoBomb, /inflates to more than/],
    ['a legal 4000×4000 16-bit logo', logo4000x16bit, /4000×4000 = 16000000 pixels; at most 4000000/],
    ['a PNG with a damaged chunk CRC', () => Buffer.from(LOGO_FILTER_7.map((b, i) => (i === 29 ? b ^ 0xff : b))), /CRC/],
  ])('when %s is uploaded, then 400 LOGO_INVALID names why and nothing is stored', async (_name, bytes, reason) => {
    const res = await put(bytes())
    expect(res.status).toBe(400)
    const problem = await json<{ code: string; detail: string; details: { reason: string } }>(res)
    expect(problem.code).toBe('LOGO_INVALID')
    expect(problem.details.reason).toMatch(reason)
    expect((await s.api('/api/preferences/studio/logo')).status).toBe(404)
    expect(await imagesInInvoice()).toBe(0)
    expect(await healthy()).toBe(true)
  })

  it('when a large valid logo is uploaded, then a normalized copy (8-bit RGB, 512 px at most) is stored and embedded', async () => {
    // 3000×1000 8-bit RGB, left half red, right half blue.
    const row = Buffer.alloc(1 + 3000 * 3)
    for (let x = 0; x < 3000; x++) row.set(x < 1500 ? [255, 0, 0] : [0, 0, 255], 1 + x * 3)
    const upload = pngOf(ihdr(3000, 1000, 8, 2), deflateSync(Buffer.concat(Array.from({ length: 1000 }, () => row))))
    expect((await put(upload)).status).toBe(204)
    const stored = PNG.sync.read(Buffer.from(await (await s.api('/api/preferences/studio/logo')).arrayBuffer()))
    expect([stored.width, stored.height]).toEqual([512, 171])
    expect([...stored.data.subarray(0, 4)]).toEqual([255, 0, 0, 255])
    expect([...stored.data.subarray(511 * 4, 512 * 4)]).toEqual([0, 0, 255, 255])
    expect(await imagesInInvoice()).toBe(1)
    expect((await s.api('/api/preferences/studio/logo', { method: 'DELETE' })).status).toBe(204)
  })

  it.each([
    ['the 99-byte PNG', () => LOGO_ZLIB_GARBAGE],
    ['filter type 7', () => LOGO_FILTER_7],
    ['the decompression bomb', logoBomb],
  ])('when %s was stored by an earlier version (written straight into the database), then documents render without it and the server keeps answering', async (_name, bytes) => {
    const studio = await s.running.stores.settings.studio()
    await s.running.stores.settings.setStudio({ ...studio, logoPng: new Uint8Array(bytes()) })
    for (let i = 0; i < 3; i++) expect(await imagesInInvoice()).toBe(0)
    expect(await healthy()).toBe(true)
    await s.running.stores.settings.setStudio({ ...studio, logoPng: null })
  })
})
