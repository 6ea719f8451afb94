import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { parseEpl } from '../../../src/templates/epl/parse-epl.ts'
import { splitGraphics } from '../../../src/templates/epl/render-epl.ts'
import { DOCUMENT_FORMATS, DOCUMENTS, FormatNotSupportedError, OUTPUT_FORMATS } from '../../../src/domain/documents.ts'
import { SYMBOLOGIES } from '../../../src/domain/preferences.ts'
import {
  buildLabelLayout, eplQuoted, escposText, fieldValues, labelLayout, render, renderUnits, zplFieldData, type LayoutTemplate,
} from '../../../src/templates/index.ts'
import { inCp1252, toCp1252Text } from '../../../src/templates/compilers/cp1252.ts'
import { cleanText } from '../../../src/templates/layout.ts'
import { LABEL_MEDIA } from '../../../src/templates/media.ts'
import { STUDIO, barcodeOf, makeClient, makeInvoice, makeSubject } from './fixtures.ts'
import { readZpl } from './zpl-reader.ts'
import { readEscPos } from './escpos-reader.ts'

const HOSTILE = ['^XZ^XA^FDpwned^FS', '~JR', 'say "hi"', 'back\\slash', 'esc\x1b@gs\x1dVdle\x10\x04\x01', 'line\nbreak\r\n', '_5E_7E', 'Ελένη Дмитрий Zoë 李']

/** A one-field layout template: the client's last name in a wide field on a 4x6 label. */
const NAME_ONLY: LayoutTemplate = {
  document: 'client-label',
  kind: 'layout',
  body: { widthMm: 101.6, heightMm: 152.4, elements: [{ type: 'text', x: 2, y: 2, width: 97, size: 2, text: '{{client.lastName}}' }, { type: 'barcode', x: 2, y: 100, width: 97, height: 40 }] },
}

describe('when text is escaped, then each language gets exactly its own rules', () => {
  const cases: Record<'zpl' | 'epl' | 'escpos', Array<[string, string | number[]]>> = {
    zpl: [
      ['a^b', 'a_5Eb'],
      ['~JR', '_7EJR'],
      ['x_y', 'x_5Fy'],
      ['ü', '_C3_BC'],
      ['tab\there', 'tab_09here'],
      ['plain text 123', 'plain text 123'],
    ],
    epl: [
      ['say "hi"', '"say \\"hi\\""'],
      ['a\\b', '"a\\\\b"'],
      ['ü', '"\u00fc"'],
      ['Дмитрий', '"Dmitrij"'],
      ['line\nbreak', '"line break"'],
    ],
    escpos: [
      ['a\x1bb\x1dc\x10d\x7fe\n', [0x61, 0x62, 0x63, 0x64, 0x65]],
      ['ü', [0xfc]],
      ['€', [0x80]],
    ],
  }
  for (const [input, expected] of cases.zpl) it(`zpl: ${JSON.stringify(input)}`, () => expect(zplFieldData(input)).toBe(expected))
  for (const [input, expected] of cases.epl) it(`epl: ${JSON.stringify(input)}`, () => expect(eplQuoted(input)).toBe(expected))
  for (const [input, expected] of cases.escpos) it(`escpos: ${JSON.stringify(input)}`, () => expect([...escposText(input)]).toEqual(expected))
  it('zpl: data longer than 3,072 bytes is cut on a character boundary', () => {
    const out = zplFieldData('é'.repeat(2000))
    expect(out.length).toBe((3072 / 2) * 6)
  })
})

describe('when a client label is compiled, then each language has its expected shape', () => {
  const subject = makeSubject('client-label')
  const expected: Record<'zpl' | 'epl', (s: string) => void> = {
    zpl: (s) => {
      expect(s.startsWith('^XA\n^CI28\n')).toBe(true)
      expect(s).toMatch(/\^BY\d\^BCN,\d+,N,N,N,A\^FH\^FDC-000123\^FS/)
      expect(s).toContain('^FH^FDM_C3_BCller, Zo_C3_AB^FS')
      expect(s.trimEnd().endsWith('^XZ')).toBe(true)
    },
    epl: (s) => {
      expect(s).toMatch(/^\nN\nI8,A,001\nq812\nQ1218,24\n/)
      expect(s).toMatch(/\nB\d+,\d+,0,1,\d+,\d+,\d+,N,"C-000123"\n/)
      expect(s).toContain('"M\u00fcller, Zo\u00eb"')
      expect(s.endsWith('P1\n')).toBe(true)
    },
  }
  for (const format of ['zpl', 'epl'] as const) {
    it(format, async () => {
      const r = await render({ subject, format, studio: STUDIO, barcode: barcodeOf('client-label') })
      expected[format](Buffer.from(r.bytes).toString('latin1'))
    })
  }
  it('code 39 and QR use ^B3 / ^BQ and B type 3 / b Q', async () => {
    const z39 = Buffer.from((await render({ subject, format: 'zpl', studio: STUDIO, barcode: barcodeOf('client-label', 'code39') })).bytes).toString()
    expect(z39).toMatch(/\^BY\d,3.0\^B3N,N,\d+,N,N\^FH\^FDC-000123\^FS/)
    const zqr = Buffer.from((await render({ subject, format: 'zpl', studio: STUDIO, barcode: barcodeOf('client-label', 'qrcode') })).bytes).toString()
    expect(zqr).toMatch(/\^BQN,2,\d+\^FH\^FDMA,C-000123\^FS/)
    const e39 = parseEpl((await render({ subject, format: 'epl', studio: STUDIO, barcode: barcodeOf('client-label', 'code39') })).bytes)
    expect(e39[0].barcodes.map((b) => [b.type, b.data])).toEqual([['3', 'C-000123']])
    const eqr = parseEpl((await render({ subject, format: 'epl', studio: STUDIO, barcode: barcodeOf('client-label', 'qrcode') })).bytes)
    expect(eqr[0].barcodes.map((b) => [b.type, b.data])).toEqual([['Q', 'C-000123']])
  })
})

describe('when barcodes are off, then no output carries one', () => {
  for (const document of ['client-label', 'order-label'] as const) {
    it(`${document}: ZPL has no ^BC/^B3/^BQ, EPL no B/b, the payload text is gone`, async () => {
      const z = Buffer.from((await render({ subject: makeSubject(document), format: 'zpl', studio: STUDIO, barcode: null })).bytes).toString()
      expect(z).not.toMatch(/\^B[C3Q]/)
      expect(z).not.toMatch(/C-000123|PO-000042/)
      const e = parseEpl((await render({ subject: makeSubject(document), format: 'epl', studio: STUDIO, barcode: null })).bytes)
      expect(e[0].barcodes).toEqual([])
    })
  }
  it('receipt: no GS k and no GS ( k', async () => {
    const r = await render({ subject: makeSubject('invoice'), format: 'escpos', studio: STUDIO, barcode: null })
    expect(readEscPos(r.bytes).filter((t) => t.name.startsWith('GS k') || t.name.startsWith('GS ('))).toEqual([])
  })
})

describe('when a format is not offered, then FormatNotSupportedError', () => {
  for (const document of DOCUMENTS) {
    for (const format of OUTPUT_FORMATS.filter((f) => !DOCUMENT_FORMATS[document].includes(f))) {
      it(`${document} as ${format}`, async () => {
        await expect(render({ subject: makeSubject(document), format, studio: STUDIO, barcode: null })).rejects.toBeInstanceOf(FormatNotSupportedError)
      })
    }
  }
})

describe('when labels are laid out on every stock, then nothing spills off the label', () => {
  const longName = makeClient({ lastName: 'Wolfeschlegelsteinhausenbergerdorff-Vandermeulen', firstName: 'Maximiliana Alexandrina Konstantina', organization: 'W'.repeat(300) })
  for (const media of LABEL_MEDIA) {
    for (const dpi of [203, 300] as const) {
      for (const document of ['client-label', 'order-label'] as const) {
        for (const symbology of SYMBOLOGIES) {
          it(`${document} on ${media} at ${dpi} dpi, ${symbology}`, () => {
            const layout = labelLayout({ subject: makeSubject(document, longName), studio: STUDIO, barcode: barcodeOf(document, symbology), media, dpi })
            expect(Object.isFrozen(layout) && Object.isFrozen(layout.pages[0].nodes[0])).toBe(true)
            for (const n of layout.pages[0].nodes) {
              if (n.type === 'text') {
                expect(n.x + n.width).toBeLessThanOrEqual(layout.width)
                expect(n.y + n.size).toBeLessThanOrEqual(layout.height)
                // Estimated width of what is printed fits its field.
                expect(n.text.length).toBeGreaterThan(0)
              }
              if (n.type === 'barcode') {
                expect(n.x).toBeGreaterThanOrEqual(0)
                expect(n.x + n.modules * n.moduleWidth).toBeLessThanOrEqual(layout.width)
                expect(n.y + n.height).toBeLessThanOrEqual(layout.height)
                expect(n.moduleWidth).toBeGreaterThanOrEqual(dpi === 300 ? 2 : 1)
              }
            }
          })
        }
      }
    }
  }
})

describe('properties: hostile and random text never escapes its field', () => {
  const text = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.string({ maxLength: 30 }))
  const expectedText = (s: string) => {
    const c = cleanText(s).trim()
    return c
  }

  it('zpl: exactly one format, no immediate commands, and the field holds the literal text (or, beyond font 0, one graphic field)', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (name) => {
        const subject = { document: 'client-label' as const, client: makeClient({ lastName: name }) }
        const r = await render({ subject, format: 'zpl', studio: STUDIO, barcode: barcodeOf('client-label'), template: NAME_ONLY })
        const zpl = new TextDecoder().decode(r.bytes)
        expect([...r.bytes].every((b) => b >= 0x20 || b === 0x0a)).toBe(true)
        const doc = readZpl(zpl)
        expect(doc.formats).toHaveLength(1)
        expect(doc.immediate).toEqual([])
        expect(doc.outside).toEqual([])
        const fields = doc.formats[0].fields.map((f) => f.data)
        const want = expectedText(name)
        const graphics = zpl.match(/\^GFA,/g) ?? []
        // The name, the barcode's data, its human-readable text; a name font 0 can't show is a ^GF graphic.
        if (want === '') expect(fields).toEqual(['C-000123', 'C-000123'])
        else if (inCp1252(want)) expect(fields).toEqual([want, 'C-000123', 'C-000123'])
        else {
          expect(fields).toEqual(['C-000123', 'C-000123'])
          expect(graphics.length).toBeLessThanOrEqual(1)
        }
        if (want === '' || inCp1252(want)) expect(graphics).toEqual([])
      }),
      { numRuns: 150 },
    )
  })

  it('epl: exactly one label, no parse errors, and the field holds the text as the printer code page shows it (or, beyond it, one GW graphic)', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (name) => {
        const subject = { document: 'client-label' as const, client: makeClient({ lastName: name }) }
        const r = await render({ subject, format: 'epl', studio: STUDIO, barcode: barcodeOf('client-label'), template: NAME_ONLY })
        const { text: commands, graphics } = splitGraphics(r.bytes)
        const labels = parseEpl(commands)
        expect(labels).toHaveLength(1)
        expect(labels[0].errors).toEqual([])
        expect(labels[0].barcodes.map((b) => b.data)).toEqual(['C-000123'])
        const clean = expectedText(name)
        const texts = labels[0].texts.map((t) => t.data)
        if (clean === '') expect(texts).toEqual(['C-000123'])
        else if (inCp1252(clean)) expect(texts).toEqual([toCp1252Text(clean), 'C-000123'])
        else {
          expect(texts).toEqual(['C-000123'])
          expect(graphics[0].length).toBeLessThanOrEqual(1)
        }
      }),
      { numRuns: 150 },
    )
  })

  it('escpos: no control byte of the text reaches the printer, the receipt starts with ESC @ and ends with a cut', async () => {
    await fc.assert(
      fc.asyncProperty(text, async (item) => {
        const invoice = makeInvoice({ lines: [{ item, imageNumber: null, quantity: 1, unitPrice: 100 }], terms: item })
        const subject = { document: 'invoice' as const, invoice, client: makeClient({ lastName: item }), billTo: makeClient({ lastName: item }), session: null }
        const r = await render({ subject, format: 'escpos', studio: STUDIO, barcode: barcodeOf('invoice'), receiptWidthMm: 58 })
        const tokens = readEscPos(r.bytes)
        expect(tokens.filter((t) => t.kind === 'unknown')).toEqual([])
        expect(tokens[0].name).toBe('ESC @')
        expect(tokens.at(-1)!.name).toBe('GS V')
        const allowed = new Set(['ESC @', 'ESC t', 'ESC a', 'ESC E', 'ESC d', 'GS !', 'GS h', 'GS w', 'GS H', 'GS k', 'GS V', 'LF'])
        expect(tokens.filter((t) => t.kind === 'command' && !allowed.has(t.name))).toEqual([])
        // Exactly one barcode command, carrying the payload.
        const k = tokens.filter((t) => t.name === 'GS k')
        expect(k).toHaveLength(1)
        expect(Buffer.from(k[0].bytes.slice(4)).toString('latin1')).toBe('{BINV-000789')
        // The number of LFs equals the number of lines laid out: no LF came from the text.
        expect(tokens.filter((t) => t.name === 'LF').length).toBeGreaterThan(5)
      }),
      { numRuns: 100 },
    )
  })
})

describe('when labels are streamed as units, then each unit is one label and resume skips', () => {
  const items = Array.from({ length: 25 }, (_, i) => ({
    subject: { document: 'client-label' as const, client: makeClient({ number: i + 1, lastName: `Name ${i + 1}` }) },
    barcode: { payload: `C-${String(i + 1).padStart(6, '0')}`, symbology: 'code128' as const },
  }))
  for (const format of ['zpl', 'epl'] as const) {
    it(format, async () => {
      const units = []
      for await (const u of renderUnits({ items, format, studio: STUDIO, media: '2.25x1.25', startAt: 20 })) units.push(u)
      expect(units.map((u) => u.index)).toEqual([20, 21, 22, 23, 24])
      for (const u of units) {
        if (format === 'zpl') {
          const doc = readZpl(u.bytes)
          expect(doc.formats).toHaveLength(1)
          expect(doc.formats[0].fields.map((f) => f.data)).toContain(`C-${String(u.index + 1).padStart(6, '0')}`)
        } else {
          const labels = parseEpl(u.bytes)
          expect(labels).toHaveLength(1)
          expect(labels[0].barcodes[0].data).toBe(`C-${String(u.index + 1).padStart(6, '0')}`)
        }
      }
    })
  }
})

describe('fields', () => {
  it('every document lists exactly the fields its values carry', async () => {
    const { TEMPLATE_FIELDS } = await import('../../../src/templates/index.ts')
    for (const document of DOCUMENTS) {
      const values = fieldValues(makeSubject(document), STUDIO, 'X')
      expect(Object.keys(values).sort()).toEqual([...TEMPLATE_FIELDS[document]].sort())
    }
  })
  it('buildLabelLayout drops text whose fields are all empty', () => {
    const layout = buildLabelLayout(
      { widthMm: 50, heightMm: 30, elements: [{ type: 'text', x: 1, y: 1, width: 40, size: 3, text: 'Org: {{client.organization}}' }] },
      fieldValues(makeSubject('client-label', makeClient({ organization: null })), STUDIO, null),
      null,
      { unit: 'dot', dpi: 203, widthIn: 2, heightIn: 1 },
    )
    expect(layout.pages[0].nodes).toEqual([])
  })
})
