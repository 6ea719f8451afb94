import { describe, expect, it } from 'vitest'
import { assertFormat, barcodeFor, DOCUMENTS, type DocumentSubject } from '../../../src/domain/documents.ts'
import { DEFAULT_BARCODING } from '../../../src/domain/preferences.ts'
import type { Client, Invoice, ProductionOrder, Session } from '../../../src/domain/records.ts'

const client = { id: 1, number: 123 } as Client
const session = { id: 2, number: 45 } as Session
const invoice = { id: 3, number: 678 } as Invoice
const order = (n: number | null) => ({ id: 4, number: 9, productionOrderNumber: n }) as ProductionOrder

function subject(document: (typeof DOCUMENTS)[number], poNumber: number | null = 42): DocumentSubject {
  switch (document) {
    case 'client-profile':
      return { document, client, sessions: [], invoices: [] }
    case 'client-label':
      return { document, client }
    case 'session-confirmation':
    case 'photographer-confirmation':
      return { document, session, client }
    case 'invoice':
      return { document, invoice, client, billTo: client, session: null }
    default:
      return { document, order: order(poNumber), statusName: 'Order Entered', client: null, session: null, invoices: [] }
  }
}

describe('which printout carries which barcode', () => {
  it.each([
    ['client-profile', 'C-000123'],
    ['client-label', 'C-000123'],
    ['session-confirmation', 'S-000045'],
    ['photographer-confirmation', 'S-000045'],
    ['invoice', 'INV-000678'],
    ['work-order', 'PO-000042'],
    ['purchase-order', 'PO-000042'],
    ['order-label', 'PO-000042'],
  ] as const)('when %s prints with barcodes on, then it carries %s', (document, payload) => {
    expect(barcodeFor(subject(document), DEFAULT_BARCODING)).toEqual({ payload, symbology: 'code128' })
  })

  it.each([
    ['clientPrintouts', ['client-profile', 'client-label']],
    ['sessionPrintouts', ['session-confirmation', 'photographer-confirmation']],
    ['invoicePrintouts', ['invoice']],
    ['productionOrders', ['work-order', 'purchase-order', 'order-label']],
  ] as const)('when %s is off, then exactly its printouts lose the barcode', (pref, affected) => {
    const prefs = { ...DEFAULT_BARCODING, [pref]: false }
    for (const document of DOCUMENTS) {
      const spec = barcodeFor(subject(document), prefs)
      expect(spec === null, document).toBe((affected as readonly string[]).includes(document))
    }
  })

  it.each(['work-order', 'purchase-order', 'order-label'] as const)('when a %s has no production order number and order barcodes are off, then it prints without a barcode', (document) => {
    expect(barcodeFor(subject(document, null), { ...DEFAULT_BARCODING, productionOrders: false })).toBeNull()
  })

  it.each(['work-order', 'purchase-order', 'order-label'] as const)('when a %s has no production order number and order barcodes are on, then PRODUCTION_ORDER_NUMBER_MISSING says how to assign the next number', (document) => {
    let thrown: unknown
    try {
      barcodeFor(subject(document, null), DEFAULT_BARCODING)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toMatchObject({
      code: 'PRODUCTION_ORDER_NUMBER_MISSING',
      kind: 'unprocessable',
      details: { orderId: 4, assign: { method: 'PATCH', path: '/api/production-orders/4', body: { productionOrderNumber: 'auto' } } },
    })
    expect((thrown as Error).message).toContain('"productionOrderNumber": "auto"')
  })

  it('when a document is asked in a format it has no template for, then FORMAT_NOT_SUPPORTED', () => {
    expect(assertFormat('client-label', 'zpl')).toBe('zpl')
    expect(() => assertFormat('invoice', 'zpl')).toThrow(expect.objectContaining({ code: 'FORMAT_NOT_SUPPORTED', kind: 'unsupported' }))
  })
})
