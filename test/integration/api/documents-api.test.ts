import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { decodePng } from '../../support/barcodes.ts'
import { previewZpl } from '../../../src/templates/index.ts'

async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

// Rendering does not depend on the dialect (the store tests cover both); SQLite keeps this fast.
describe('documents API', () => {
  let s: TestServer
  let client: { id: number; barcode: string }
  let order: { id: number }
  let numbered: { id: number; barcode: string }
  beforeAll(async () => {
    s = await startTestServer('sqlite')
    client = await json(await s.api('/api/clients', { method: 'POST', json: { lastName: 'O"Brien ^XZ~JR', firstName: 'Zoë', phones: [{ label: 'mobile', number: '555-0100' }] } }))
    order = await json(await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Bay Photo', clientId: client.id } }))
    numbered = await json(await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Bay Photo', clientId: client.id, productionOrderNumber: 4242 } }))
  })
  afterAll(async () => {
    await s?.close()
  })

  it('when a client label is asked as ZPL, then it is text/plain and scans back to the client barcode', async () => {
    const res = await s.api(`/api/documents/client-label/${client.id}?format=zpl`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/)
    const zpl = await res.text()
    expect(zpl.match(/\^XA/g)).toHaveLength(1)
    expect(zpl).not.toContain('^XZ~JR')
    expect(await decodePng(await previewZpl(zpl, { dpmm: 8, widthIn: 4, heightIn: 6 }))).toEqual([client.barcode])
  })

  it('when an order label preview is asked, then the PNG decodes to the production order number', async () => {
    const res = await s.api(`/api/documents/order-label/${numbered.id}?format=png`)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(await decodePng(new Uint8Array(await res.arrayBuffer()))).toEqual(['PO-004242'])
  })

  it('when formats, documents or records are wrong, then 415, 404 and 422 with codes', async () => {
    expect(await json(await s.api(`/api/documents/invoice/1?format=zpl`))).toMatchObject({ status: 415, code: 'FORMAT_NOT_SUPPORTED' })
    expect(await json(await s.api(`/api/documents/label-maker/1?format=zpl`))).toMatchObject({ status: 404, code: 'DOCUMENT_NOT_FOUND' })
    expect(await json(await s.api(`/api/documents/client-label/999999?format=zpl`))).toMatchObject({ status: 404, code: 'RECORD_NOT_FOUND' })
    for (const document of ['work-order', 'purchase-order', 'order-label']) {
      const format = document === 'order-label' ? 'zpl' : 'pdf'
      expect(await json(await s.api(`/api/documents/${document}/${order.id}?format=${format}`))).toMatchObject({ status: 422, code: 'PRODUCTION_ORDER_NUMBER_MISSING' })
    }
    expect(await json(await s.api(`/api/documents/client-label/${client.id}?format=zpl&dpi=250`))).toMatchObject({ status: 400, code: 'QUERY_INVALID' })
  })

  it('when the client printouts preference is switched off, then the label has no barcode in ZPL or the preview', async () => {
    const put = (on: boolean) => s.api('/api/preferences/barcoding', { method: 'PUT', json: { clientPrintouts: on, sessionPrintouts: true, invoicePrintouts: true, productionOrders: true } })
    await put(false)
    try {
      const zpl = await (await s.api(`/api/documents/client-label/${client.id}?format=zpl`)).text()
      expect(zpl).not.toMatch(/\^B[C3Q]/)
      const png = new Uint8Array(await (await s.api(`/api/documents/client-label/${client.id}?format=png`)).arrayBuffer())
      expect(await decodePng(png)).toEqual([])
    } finally {
      await put(true)
    }
    const png = new Uint8Array(await (await s.api(`/api/documents/client-label/${client.id}?format=png`)).arrayBuffer())
    expect(await decodePng(png)).toEqual([client.barcode])
  })

  it('when ZPL is posted to the preview, then a PNG of it comes back; non-ZPL is refused', async () => {
    const zpl = '^XA^FO50,50^BCN,100,Y,N,N^FDINV-000777^FS^XZ'
    const res = await s.api('/api/preview?dpmm=8&width=4&height=3', { method: 'POST', body: zpl, headers: { 'content-type': 'text/plain' } })
    expect(res.status).toBe(200)
    expect(await decodePng(new Uint8Array(await res.arrayBuffer()))).toEqual(['INV-000777'])
    const bad = await s.api('/api/preview', { method: 'POST', body: 'hello', headers: { 'content-type': 'text/plain' } })
    expect(await json(bad)).toMatchObject({ status: 400, code: 'ZPL_INVALID' })
  })
})
