import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import bwipjs from 'bwip-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { commandPeer } from '../../support/peers.ts'

const run = promisify(execFile)
const HAS_POPPLER = commandPeer('pdfimages', 'poppler-utils')

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

describe.skipIf(!HAS_POPPLER)('studio logo', () => {
  let s: TestServer
  let dir: string
  let invoiceId: number
  beforeAll(async () => {
    s = await startTestServer('sqlite')
    dir = mkdtempSync(join(tmpdir(), 'studio-logo-'))
    const client = await json<{ id: number }>(await s.api('/api/clients', { method: 'POST', json: { lastName: 'Logo' } }))
    invoiceId = (await json<{ id: number }>(await s.api('/api/invoices', { method: 'POST', json: { invoiceType: 'generic', clientId: client.id } }))).id
  })
  afterAll(async () => {
    await s?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** How many images the invoice PDF embeds, as poppler's pdfimages counts them. */
  async function imagesInInvoice(): Promise<number> {
    const pdf = new Uint8Array(await (await s.api(`/api/documents/invoice/${invoiceId}?format=pdf`)).arrayBuffer())
    const file = join(dir, `invoice-${Math.random().toString(36).slice(2)}.pdf`)
    writeFileSync(file, pdf)
    const { stdout } = await run('pdfimages', ['-list', file])
    // Columns: page num type …; a PNG with alpha adds an `smask` row beside its `image` row.
    return stdout.split('\n').slice(2).filter((l) => l.trim().split(/\s+/)[2] === 'image').length
  }

  it('when a PNG logo is uploaded, then documents embed it, it can be read back, and removing it takes it off', async () => {
    const png = await bwipjs.toBuffer({ bcid: 'qrcode', text: 'Harbour Light Studio', scale: 4 })
    expect(await imagesInInvoice()).toBe(0)
    expect((await s.api('/api/preferences/studio/logo', { method: 'PUT', body: png, headers: { 'content-type': 'image/png' } })).status).toBe(204)
    expect(await json(await s.api('/api/preferences/studio'))).toMatchObject({ hasLogo: true })
    // What is stored is a normalized copy of the upload (8-bit RGB, same size when ≤ 512 px).
    const stored = Buffer.from(await (await s.api('/api/preferences/studio/logo')).arrayBuffer())
    expect(stored.subarray(12, 24)).toEqual(Buffer.concat([Buffer.from('IHDR'), png.subarray(16, 24)]))
    expect(await imagesInInvoice()).toBe(1)
    expect((await s.api('/api/preferences/studio/logo', { method: 'DELETE' })).status).toBe(204)
    expect(await imagesInInvoice()).toBe(0)
    expect(await json(await s.api('/api/preferences/studio/logo'))).toMatchObject({ status: 404, code: 'LOGO_NOT_FOUND' })
  })

  it('when the upload is not a PNG, or a PNG that cannot be read, then LOGO_INVALID and the logo stays as it was', async () => {
    const png = await bwipjs.toBuffer({ bcid: 'code128', text: 'LOGO', scale: 2 })
    await s.api('/api/preferences/studio/logo', { method: 'PUT', body: png, headers: { 'content-type': 'image/png' } })
    const before = Buffer.from(await (await s.api('/api/preferences/studio/logo')).arrayBuffer())
    const truncated = png.subarray(0, 40)
    for (const body of [Buffer.from('GIF89a not a png'), truncated]) {
      expect(await json(await s.api('/api/preferences/studio/logo', { method: 'PUT', body, headers: { 'content-type': 'image/png' } }))).toMatchObject({ status: 400, code: 'LOGO_INVALID' })
    }
    expect(Buffer.from(await (await s.api('/api/preferences/studio/logo')).arrayBuffer()).equals(before)).toBe(true)
    const { token } = await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'client' } }))
    expect((await s.api('/api/preferences/studio/logo', { method: 'PUT', token, body: png, headers: { 'content-type': 'image/png' } })).status).toBe(403)
  })
})
