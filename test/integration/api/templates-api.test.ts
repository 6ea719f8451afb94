import { tmpdir } from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { decodePng } from '../../support/barcodes.ts'
import { previewZpl } from '../../../src/templates/index.ts'
import { renderDocument } from '../../../src/app/render-document.ts'
import { DESIGNER_LABELS } from '../../fixtures/templates/designer-labels.ts'
import { readZpl } from '../../unit/templates/zpl-reader.ts'

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

// A studio's own ZPL, as ZebraDesigner would export it, with placeholders in field data.
const OWN_ZPL = '^XA^CI28^FO40,40^A0N,40,40^FH^FDCLIENT {{client.name}}^FS^FO40,120^BCN,120,Y,N,N^FH^FD{{barcode.text}}^FS^XZ'

describe.each(DB_KINDS)('label templates API on %s', (kind) => {
  let s: TestServer
  let client: { id: number; barcode: string }
  let order: { id: number }
  beforeAll(async () => {
    s = await startTestServer(kind)
    client = await json(await s.api('/api/clients', { method: 'POST', json: { lastName: 'Nguyễn^XZ', firstName: 'Lan~JR' } }))
    order = await json(await s.api('/api/production-orders', { method: 'POST', json: { clientId: client.id, vendor: 'Lab', productionOrderNumber: 'auto' } }))
  })
  afterAll(async () => {
    await s?.close()
  })

  it('when a template names an unknown field or is not ZPL, then TEMPLATE_INVALID and nothing is stored', async () => {
    const bad = await s.api('/api/templates/client-label', { method: 'POST', json: { kind: 'zpl', body: '^XA^FO1,1^FD{{client.shoeSize}}^FS^XZ' } })
    expect(await json(bad)).toMatchObject({ status: 400, code: 'TEMPLATE_INVALID' })
    const list = await json<{ items: Array<{ document: string; versions: unknown[]; activeVersion: number | null }> }>(await s.api('/api/templates'))
    expect(list.items.find((i) => i.document === 'client-label')).toMatchObject({ versions: [], activeVersion: null })
    expect(await json(await s.api('/api/templates/invoice', { method: 'POST', json: { kind: 'zpl', body: OWN_ZPL } }))).toMatchObject({ status: 404, code: 'DOCUMENT_NOT_FOUND' })
  })

  it('when a studio ZPL template is previewed, then its fields are filled escaped and the barcode scans', async () => {
    const res = await s.api('/api/templates/client-label/preview', { method: 'POST', json: { kind: 'zpl', body: OWN_ZPL, recordId: client.id, format: 'zpl' } })
    expect(res.status).toBe(200)
    const zpl = await res.text()
    expect(zpl.match(/\^XA/g)).toHaveLength(1)
    expect(zpl).not.toContain('Nguyễn^XZ')
    expect(await decodePng(await previewZpl(zpl, { dpmm: 8, widthIn: 4, heightIn: 3 }))).toEqual([client.barcode])
  })

  it('when templates are uploaded, then each is a new active version, and a render can ask for an older one', async () => {
    const v1 = await json<{ version: number }>(await s.api('/api/templates/client-label', { method: 'POST', json: { kind: 'zpl', body: OWN_ZPL, note: 'first' } }))
    const v2 = await json<{ version: number }>(await s.api('/api/templates/client-label', { method: 'POST', json: { kind: 'zpl', body: OWN_ZPL.replace('CLIENT', 'GUEST') } }))
    expect([v1.version, v2.version]).toEqual([1, 2])
    const now = await (await s.api(`/api/documents/client-label/${client.id}?format=zpl`)).text()
    expect(now).toContain('GUEST')
    const old = await renderDocument(s.running.stores, 'client-label', client.id, 'zpl', { templateVersion: 1 })
    expect(old.templateVersion).toBe(1)
    expect(new TextDecoder().decode(old.bytes)).toContain('CLIENT')
    const builtin = await renderDocument(s.running.stores, 'client-label', client.id, 'zpl', { templateVersion: null })
    expect(new TextDecoder().decode(builtin.bytes)).not.toMatch(/GUEST|CLIENT /)

    expect((await s.api('/api/templates/client-label/active', { method: 'PUT', json: { version: null } })).status).toBe(200)
    expect(await (await s.api(`/api/documents/client-label/${client.id}?format=zpl`)).text()).not.toContain('GUEST')
    expect(await json(await s.api('/api/templates/client-label/active', { method: 'PUT', json: { version: 99 } }))).toMatchObject({ status: 404, code: 'TEMPLATE_NOT_FOUND' })
  })

  it('when a studio ZPL template is active, then PNG, PDF and the template preview still answer, print jobs to PDF printers are taken, and only EPL is refused, naming what it prints as', async () => {
    expect((await s.api('/api/templates/client-label', { method: 'POST', json: { kind: 'zpl', body: OWN_ZPL } })).status).toBe(201)
    const png = await s.api(`/api/documents/client-label/${client.id}?format=png`)
    expect([png.status, png.headers.get('content-type')]).toEqual([200, 'image/png'])
    expect(await decodePng(new Uint8Array(await png.arrayBuffer()))).toEqual([client.barcode])
    const asZplPrinter = await s.api(`/api/documents/client-label/${client.id}?format=png&for=zpl&media=2.25x1.25&dpi=203`)
    expect(await decodePng(new Uint8Array(await asZplPrinter.arrayBuffer()))).toEqual([client.barcode])
    const pdf = await s.api(`/api/documents/client-label/${client.id}?format=pdf`)
    expect([pdf.status, pdf.headers.get('content-type')]).toEqual([200, 'application/pdf'])
    const preview = await s.api('/api/templates/client-label/preview', { method: 'POST', json: { kind: 'zpl', body: OWN_ZPL, recordId: client.id } })
    expect([preview.status, preview.headers.get('content-type')]).toEqual([200, 'image/png'])
    const epl = await json<{ status: number; code: string; detail: string; details: { supported: string[] } }>(await s.api(`/api/documents/client-label/${client.id}?format=epl`))
    expect(epl).toMatchObject({ status: 415, code: 'FORMAT_NOT_SUPPORTED', details: { supported: ['zpl', 'png', 'pdf'] } })
    expect(epl.detail).toBe("The client-label's template is the studio's own ZPL, which can't be turned into EPL; it prints as zpl, png, pdf.")

    for (const [name, language] of [['office-pdf', 'pdf'], ['desk-epl', 'epl']]) {
      expect((await s.api('/api/printers', { method: 'POST', json: { name, language, uri: `file:${tmpdir()}/` } })).status).toBe(201)
    }
    expect((await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: client.id, printer: 'office-pdf' } })).status).toBe(202)
    const refused = await json(await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: client.id, printer: 'desk-epl' } }))
    expect(refused).toMatchObject({ status: 415, code: 'FORMAT_NOT_SUPPORTED', details: { supported: ['zpl', 'png', 'pdf'] } })

    // The studio's own EPL: drawn by the EPL renderer in the render worker.
    const ownEpl = 'N\nq812\nA40,40,0,4,1,1,N,"{{client.name}}"\nB40,120,0,1,3,6,120,B,"{{barcode.text}}"\nP1\n'
    expect((await s.api('/api/templates/client-label', { method: 'POST', json: { kind: 'epl', body: ownEpl } })).status).toBe(201)
    const eplPng = await s.api(`/api/documents/client-label/${client.id}?format=png&for=epl`)
    expect([eplPng.status, eplPng.headers.get('content-type')]).toEqual([200, 'image/png'])
    expect(await decodePng(new Uint8Array(await eplPng.arrayBuffer()))).toEqual([client.barcode])
    expect(await json(await s.api(`/api/documents/client-label/${client.id}?format=png&for=zpl`))).toMatchObject({ status: 415, details: { supported: ['epl', 'png', 'pdf'], template: 'epl' } })
    expect((await s.api('/api/templates/client-label/active', { method: 'PUT', json: { version: null } })).status).toBe(200)
  })

  it('when fifteen designer and carrier labels are uploaded, then all are stored, and the seven that needed it list their conversions', async () => {
    for (const label of DESIGNER_LABELS) {
      const res = await s.api(`/api/templates/${label.document}`, { method: 'POST', json: { kind: 'zpl', body: label.body, note: label.name } })
      const saved = await json<{ version: number; conversions: Array<{ line: number; command: string; change: string }>; template: { body: string } }>(res)
      expect([label.name, res.status]).toEqual([label.name, 201])
      expect([label.name, saved.conversions.length > 0]).toEqual([label.name, label.converts.length > 0])
      if (label.converts.includes('code page')) expect(saved.template.body).not.toMatch(/\^CI(0|13|27)\b/)
      const preview = await s.api(`/api/templates/${label.document}/preview`, { method: 'POST', json: { kind: 'zpl', body: label.body, recordId: label.document === 'client-label' ? client.id : order.id, format: 'zpl' } })
      expect([label.name, preview.status]).toEqual([label.name, 200])
      expect(JSON.parse(preview.headers.get('x-template-conversions') ?? 'null')).toEqual(saved.conversions)
    }
    const umlauts = DESIGNER_LABELS.find((l) => l.body.includes('^CI0\n^FT31'))!
    const saved = await json<{ version: number }>(await s.api('/api/templates/client-label', { method: 'POST', json: { kind: 'zpl', body: umlauts.body } }))
    const zpl = await (await s.api(`/api/documents/client-label/${client.id}?format=zpl`)).text()
    expect(readZpl(zpl).formats[0].fields[0].data).toBe('Grüße, Lan~JR')
    expect(saved.version).toBeGreaterThan(1)
    for (const document of ['client-label', 'order-label']) expect((await s.api(`/api/templates/${document}/active`, { method: 'PUT', json: { version: null } })).status).toBe(200)
  })

  it('when a client token uploads a template, then 403', async () => {
    const { token } = await json<{ token: string }>(await s.api('/api/tokens', { method: 'POST', json: { role: 'client' } }))
    expect((await s.api('/api/templates/client-label', { method: 'POST', token, json: { kind: 'zpl', body: OWN_ZPL } })).status).toBe(403)
    expect((await s.api('/api/templates', { token })).status).toBe(200)
  })
})
