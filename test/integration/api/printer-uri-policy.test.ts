import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pollFor } from '../../support/poll.ts'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { fastPrintingEnv } from '../printing/support.ts'
import { PrinterStore } from '../../../src/store/printer-store.ts'
import { DEVICE_PATH_ATTACKS, FILE_ATTACKS } from '../../fixtures/security/printer-uris.ts'

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}


describe.each(DB_KINDS)('printer URIs that reach outside printing, on %s', (kind) => {
  let s: TestServer
  let spooled: TestServer
  let dir: string
  let spool: string
  beforeAll(async () => {
    fastPrintingEnv()
    dir = mkdtempSync(join(tmpdir(), 'uri-attack-'))
    spool = join(dir, 'spool')
    mkdirSync(join(spool, 'office'), { recursive: true })
    s = await startTestServer(kind, { fileSpoolDir: null })
    spooled = await startTestServer(kind, { fileSpoolDir: spool })
  })
  afterAll(async () => {
    await s?.close()
    await spooled?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const printerNames = async (server: TestServer) => (await json<{ items: Array<{ name: string }> }>(await server.api('/api/printers'))).items.map((p) => p.name)

  it('when a usb:/serial: URI names no device node, then POST and PATCH answer 400 PRINTER_DEVICE_PATH_INVALID and change nothing', async () => {
    for (const [uri] of DEVICE_PATH_ATTACKS) {
      const res = await s.api('/api/printers', { method: 'POST', json: { name: 'evil', language: 'zpl', uri } })
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      expect(await json(res)).toMatchObject({ status: 400, code: 'PRINTER_DEVICE_PATH_INVALID' })
    }
    expect(await printerNames(s)).toEqual([])
    expect((await s.api('/api/printers', { method: 'POST', json: { name: 'desk', language: 'zpl', uri: 'tcp://127.0.0.1:9' } })).status).toBe(201)
    for (const [uri] of DEVICE_PATH_ATTACKS) {
      expect(await json(await s.api('/api/printers/desk', { method: 'PATCH', json: { uri } }))).toMatchObject({ status: 400, code: 'PRINTER_DEVICE_PATH_INVALID' })
    }
    expect(await json(await s.api('/api/printers/desk'))).toMatchObject({ uri: 'tcp://127.0.0.1:9' })
  })

  it('when no spool folder is named, then every file: printer is 400 FILE_PRINTERS_DISABLED at POST and PATCH', async () => {
    for (const uri of [...FILE_ATTACKS, `file:${spool}/office/`]) {
      expect(await json(await s.api('/api/printers', { method: 'POST', json: { name: 'folder', language: 'pdf', uri } }))).toMatchObject({ status: 400, code: 'FILE_PRINTERS_DISABLED' })
      expect(await json(await s.api('/api/printers/desk', { method: 'PATCH', json: { uri, language: 'pdf' } }))).toMatchObject({ status: 400, code: 'FILE_PRINTERS_DISABLED' })
    }
    expect(await printerNames(s)).toEqual(['desk'])
  })

  it('when a spool folder is named, then file: printers inside it are accepted and the rest are 400 PRINTER_FILE_OUTSIDE_SPOOL', async () => {
    for (const uri of FILE_ATTACKS) {
      expect(await json(await spooled.api('/api/printers', { method: 'POST', json: { name: 'folder', language: 'pdf', uri } }))).toMatchObject({ status: 400, code: 'PRINTER_FILE_OUTSIDE_SPOOL' })
    }
    expect((await spooled.api('/api/printers', { method: 'POST', json: { name: 'office', language: 'pdf', uri: `file:${spool}/office/` } })).status).toBe(201)
    expect(await printerNames(spooled)).toEqual(['office'])
  })

  it('when printers were stored with a now-forbidden URI, then they never write and say why', async () => {
    const keys = join(dir, 'authorized_keys')
    writeFileSync(keys, 'ssh-ed25519 AAAA original\n')
    const outside = join(dir, 'outside')
    mkdirSync(outside)
    const store = new PrinterStore(s.running.stores.database.db)
    await store.create({ name: 'old-usb', language: 'zpl', uri: `usb:${keys}`, location: 'test-location', media: null })
    await store.create({ name: 'old-file', language: 'zpl', uri: `file:${outside}/`, location: 'test-location', media: null })
    const client = await json<{ id: number }>(await s.api('/api/clients', { method: 'POST', json: { lastName: 'Okafor', firstName: 'Amara' } }))
    const jobs: number[] = []
    for (const printer of ['old-usb', 'old-file']) {
      const res = await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: client.id, printer } })
      expect(res.status).toBe(202)
      jobs.push((await json<{ id: number }>(res)).id)
    }
    const why = { 'old-usb': 'PRINTER_DEVICE_PATH_INVALID|not a printer device node', 'old-file': 'file: printers are off' }
    for (const [printer, reason] of Object.entries(why)) {
      const status = await pollFor(`${printer} to report its refusal`, async () => {
        const p = await json<{ status: { state: string; details?: string[] } | null }>(await s.api(`/api/printers/${printer}`))
        return p.status?.details?.some((d) => new RegExp(reason).test(d)) ? p.status : null
      })
      expect(status).toMatchObject({ state: 'stopped', reasons: ['printer-uri-refused-error'] })
    }
    for (const id of jobs) expect(await json(await s.api(`/api/print-jobs/${id}`))).toMatchObject({ state: 'pending', progress: { sent: 0 } })
    expect(readFileSync(keys, 'utf8')).toBe('ssh-ed25519 AAAA original\n')
    expect(readdirSync(outside)).toEqual([])
  })
})

describe('the demo office printer (npm start)', () => {
  /** The office printer once its background probe says idle (a refused URI would say stopped for good). */
  const officeWhenIdle = (server: TestServer) =>
    pollFor('the office printer to be idle', async () => {
      const p = await json<{ uri: string; status: { state: string } | null }>(await server.api('/api/printers/office'))
      return p.status?.state === 'idle' ? p : null
    })
  it('when no spool folder is named, then the demo names DATA/printed itself and its office printer works; with one named elsewhere, it files there', async () => {
    const own = await startTestServer('sqlite', { demo: true, fileSpoolDir: null })
    const dir = mkdtempSync(join(tmpdir(), 'demo-spool-'))
    try {
      expect(await officeWhenIdle(own)).toMatchObject({ uri: 'file:/tmp/printed/office/' })
      const elsewhere = await startTestServer('sqlite', { demo: true, fileSpoolDir: dir })
      try {
        expect(await officeWhenIdle(elsewhere)).toMatchObject({ uri: `file:${dir}/office/` })
      } finally {
        await elsewhere.close()
      }
    } finally {
      await own.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
