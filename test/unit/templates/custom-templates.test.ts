import { describe, expect, it } from 'vitest'
import { parseEpl } from '../../../src/templates/epl/parse-epl.ts'
import { AppError } from '../../../src/domain/errors.ts'
import { render, validateTemplate, type LabelTemplate } from '../../../src/templates/index.ts'
import { STUDIO, barcodeOf, makeClient } from './fixtures.ts'
import { readZpl } from './zpl-reader.ts'

function problems(input: unknown): string[] {
  try {
    validateTemplate(input)
  } catch (e) {
    expect(e).toBeInstanceOf(AppError)
    expect((e as AppError).code).toBe('TEMPLATE_INVALID')
    expect((e as AppError).kind).toBe('invalid')
    return ((e as AppError).details!.problems as Array<{ path: string; message: string }>).map((p) => `${p.path}: ${p.message}`)
  }
  return []
}

const DESIGNER_ZPL = '^XA\n^FO20,20^A0N,30,30^FH\\^FDName: {{client.name}}^FS\n^FO20,80^BY2^BCN,80,Y,N,N^FH\\^FD{{barcode.text}}^FS\n^XZ'
const HOSTILE = makeClient({ lastName: '^XZ^XA~JR', firstName: 'Zoë "\\' })

describe('when a template is validated', () => {
  it('accepts a layout, a ZebraDesigner-style ZPL and an EPL body', () => {
    expect(problems({ document: 'client-label', kind: 'layout', body: { widthMm: 50, heightMm: 25, elements: [{ type: 'text', x: 1, y: 1, width: 40, size: 3, text: '{{client.name}}' }, { type: 'barcode', x: 1, y: 8, width: 45, height: 15 }] } })).toEqual([])
    expect(problems({ document: 'client-label', kind: 'zpl', body: DESIGNER_ZPL })).toEqual([])
    expect(problems({ document: 'order-label', kind: 'epl', body: 'N\nA10,10,0,3,1,1,N,"{{order.number}}"\nP1\n' })).toEqual([])
  })
  it('rejects unknown fields, with the field named', () => {
    expect(problems({ document: 'client-label', kind: 'zpl', body: '^XA^FH^FD{{order.vendor}}^FS^XZ' })).toEqual(['body line 1: unknown field {{order.vendor}} for client-label'])
  })
  it('rejects placeholders outside escaped field data, prefix changes and non-UTF-8 code pages', () => {
    expect(problems({ document: 'client-label', kind: 'zpl', body: '^XA^FO{{client.number}},10^FDx^FS^XZ' })[0]).toMatch(/must sit in field data preceded by \^FH/)
    expect(problems({ document: 'client-label', kind: 'zpl', body: '^XA^CC+^XZ' })[0]).toMatch(/prefixes/)
    expect(problems({ document: 'client-label', kind: 'zpl', body: '^XA^CI0^XZ' })[0]).toMatch(/CI28/)
    expect(problems({ document: 'client-label', kind: 'epl', body: 'N\nA10,10,0,3,1,1,N,{{client.name}}\nP1' })[0]).toMatch(/inside quoted data/)
  })
  it('rejects bad shapes: unknown document or kind, elements off the label, wrong types', () => {
    expect(problems(null)).toHaveLength(1)
    expect(problems({ document: 'invoice', kind: 'layout', body: {} })[0]).toMatch(/^document/)
    expect(problems({ document: 'client-label', kind: 'svg', body: '' })[0]).toMatch(/^kind/)
    const p = problems({ document: 'client-label', kind: 'layout', body: { widthMm: 50, heightMm: 25, elements: [{ type: 'text', x: 45, y: 1, width: 40, size: 3, text: 'x' }, { type: 'circle' }] } })
    expect(p).toEqual(['body.elements[0].width: must keep the element on the label', 'body.elements[1].type: one of text, barcode, box, line'])
  })
})

describe('when a raw template is rendered, then values are escaped for its language', () => {
  it('zpl: ZebraDesigner ^FH\\ escapes use backslash, ^CI28 is added, no injected format', async () => {
    const template: LabelTemplate = { document: 'client-label', kind: 'zpl', body: DESIGNER_ZPL }
    const r = await render({ subject: { document: 'client-label', client: HOSTILE }, format: 'zpl', studio: STUDIO, barcode: barcodeOf('client-label'), template })
    const zpl = new TextDecoder().decode(r.bytes)
    expect(zpl).toContain('^XA^CI28')
    expect(zpl).toContain('^FH\\^FDName: \\5EXZ\\5EXA\\7EJR, Zo\\C3\\AB "\\5C^FS')
    const doc = readZpl(zpl)
    expect(doc.formats).toHaveLength(1)
    expect(doc.immediate).toEqual([])
    expect(doc.formats[0].fields.map((f) => f.data)).toEqual(['Name: ^XZ^XA~JR, Zoë "\\', 'C-000123'])
  })
  it('zpl: with barcodes off, the barcode field is left out', async () => {
    const template: LabelTemplate = { document: 'client-label', kind: 'zpl', body: DESIGNER_ZPL }
    const zpl = new TextDecoder().decode((await render({ subject: { document: 'client-label', client: HOSTILE }, format: 'zpl', studio: STUDIO, barcode: null, template })).bytes)
    expect(zpl).not.toMatch(/\^B[C3Q]/)
    expect(readZpl(zpl).formats[0].fields).toHaveLength(1)
  })
  it('epl: quotes and backslashes escaped, read back literally', async () => {
    const template: LabelTemplate = { document: 'client-label', kind: 'epl', body: 'N\nq400\nA10,10,0,3,1,1,N,"Für {{client.name}}"\nB10,60,0,1,2,4,60,N,"{{barcode.text}}"\nP1\n' }
    const r = await render({ subject: { document: 'client-label', client: HOSTILE }, format: 'epl', studio: STUDIO, barcode: barcodeOf('client-label'), template })
    const labels = parseEpl(r.bytes)
    expect(labels).toHaveLength(1)
    expect(labels[0].errors).toEqual([])
    expect(labels[0].texts[0].data).toBe('Für ^XZ^XA~JR, Zoë "\\')
    expect(labels[0].barcodes[0].data).toBe('C-000123')
  })
  it('a layout template renders on every label format', async () => {
    const template = validateTemplate({ document: 'client-label', kind: 'layout', body: { widthMm: 50, heightMm: 25, elements: [{ type: 'box', x: 0.5, y: 0.5, width: 49, height: 24 }, { type: 'text', x: 2, y: 2, width: 46, size: 3, text: '{{client.lastName}}' }, { type: 'barcode', x: 2, y: 8, width: 46, height: 15 }] } })
    for (const format of ['zpl', 'epl', 'png', 'pdf'] as const) {
      const r = await render({ subject: { document: 'client-label', client: makeClient() }, format, studio: STUDIO, barcode: barcodeOf('client-label'), template, media: '2.25x1.25' })
      expect(r.bytes.length).toBeGreaterThan(50)
    }
  })
})
