/**
 * What a person reads on a printout: money with its currency, the discount as a discount, names
 * instead of stored keys, labels that are not cut, names that wrap at spaces and hyphens only.
 */
import { describe, expect, it } from 'vitest'
import { parseInput, studioInput } from '../../../src/domain/inputs.ts'
import { buildDocumentLayout, buildReceiptLayout, labelLayout } from '../../../src/templates/index.ts'
import { BUILTIN_DOCUMENTS } from '../../../src/templates/builtin/documents.ts'
import { money } from '../../../src/templates/fields.ts'
import { documentMeasure, eplMeasure } from '../../../src/templates/font-metrics.ts'
import { wrapText } from '../../../src/templates/text-metrics.ts'
import type { Layout } from '../../../src/templates/layout.ts'
import { STUDIO, barcodeOf, makeClient, makeInvoice, makeSubject } from './fixtures.ts'

const texts = (layout: Layout) => layout.pages.flatMap((p) => p.nodes.flatMap((n) => (n.type === 'text' ? [n.text] : [])))
const STUDIO_INPUT = { name: 'S', addressLines: [], phone: '', email: null, paper: 'letter', photographerFees: false }

describe('when amounts are printed, then they carry the studio currency', () => {
  it('formats cents with Intl.NumberFormat in the studio currency (USD by default)', () => {
    expect(money(123456)).toBe('$1,234.56')
    expect(money(-500)).toBe('-$5.00')
    expect(money(123456, 'EUR')).toBe('€1,234.56')
    expect(money(123456, 'CAD')).toBe('CA$1,234.56')
    expect(money(123456, 'JPY')).toBe('¥1,235')
  })
  it('accepts ISO 4217 codes in any case and refuses anything else with VALIDATION_FAILED', () => {
    expect(parseInput(studioInput, { ...STUDIO_INPUT, currency: 'eur' }).currency).toBe('EUR')
    expect(parseInput(studioInput, STUDIO_INPUT).currency).toBeUndefined()
    for (const currency of ['EURO', 'XYZ', '', 'US$', 12, null]) {
      expect(() => parseInput(studioInput, { ...STUDIO_INPUT, currency }), String(currency)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }))
    }
  })
  it('an invoice shows every amount in the currency, the discount positive as "Less discount", the type by its name', () => {
    const layout = buildDocumentLayout(BUILTIN_DOCUMENTS.invoice, makeSubject('invoice'), { studio: { ...STUDIO, currency: 'EUR' }, barcode: null })
    const t = texts(layout)
    expect(t).toEqual(expect.arrayContaining(['Initial order', 'Less discount', '€5.00', '€68.00', '€25.00', 'Card']))
    expect(t).not.toContain('initial-order')
    expect(t.filter((x) => x.includes('-€') || x.includes('−'))).toEqual([])
    expect(t.some((x) => /^\d[\d,]*\.\d\d$/.test(x))).toBe(false) // no amount without its currency
  })
  it('an invoice without a discount has no discount row; a negative one is a surcharge', () => {
    const none = texts(buildDocumentLayout(BUILTIN_DOCUMENTS.invoice, { ...makeSubject('invoice'), invoice: makeInvoice({ discount: 0 }) } as never, { studio: STUDIO, barcode: null }))
    expect(none.filter((x) => /discount|surcharge/i.test(x))).toEqual([])
    const surcharge = texts(buildDocumentLayout(BUILTIN_DOCUMENTS.invoice, { ...makeSubject('invoice'), invoice: makeInvoice({ discount: -250 }) } as never, { studio: STUDIO, barcode: null }))
    expect(surcharge).toEqual(expect.arrayContaining(['Surcharge', '$2.50']))
  })
  it('the receipt shows the discount labelled, positive, with the currency, and the invoice type by name', () => {
    const subject = makeSubject('invoice')
    if (subject.document !== 'invoice') throw new Error('fixture')
    const lines = texts(buildReceiptLayout(subject, { studio: STUDIO, barcode: null, widthMm: 80 }))
    expect(lines.find((l) => l.startsWith('Less discount'))).toMatch(/^Less discount +\$5\.00$/)
    expect(lines.some((l) => l.startsWith('Initial order'))).toBe(true)
    expect(lines.join('\n')).not.toContain('initial-order')
  })
  it('client profiles show statuses, labels and methods by name, not as keys', () => {
    const t = texts(buildDocumentLayout(BUILTIN_DOCUMENTS['client-profile'], makeSubject('client-profile'), { studio: STUDIO, barcode: null }))
    expect(t).toEqual(expect.arrayContaining(['Active', 'Home', 'Mobile', 'Senior', 'Booked', 'Initial order']))
    expect(t).not.toContain('initial-order')
  })
})

describe('when a work order is laid out, then its labels and names are whole', () => {
  it('"Production order no." is printed whole, not cut with an ellipsis (estimate and real font)', () => {
    for (const measure of [undefined, documentMeasure()]) {
      const t = texts(buildDocumentLayout(BUILTIN_DOCUMENTS['work-order'], makeSubject('work-order'), { studio: STUDIO, barcode: barcodeOf('work-order'), measure }))
      expect(t).toContain('Production order no.')
      expect(t.filter((x) => x.endsWith('…'))).toEqual([])
    }
  })
  it('wraps at spaces and after hyphens, never inside "Müller-Lüdenscheidt" when the line has room for its parts', () => {
    const name = 'Müller-Lüdenscheidt, Jürgen'
    const measure = (t: string) => [...t].length // one unit a character
    expect(wrapText(name, 14, 1, 3, false, measure)).toEqual(['Müller-', 'Lüdenscheidt,', 'Jürgen'])
    expect(wrapText(name, 20, 1, 2, false, measure)).toEqual(['Müller-Lüdenscheidt,', 'Jürgen'])
    expect(wrapText('a very-long-name here', 11, 1, 3, false, measure)).toEqual(['a very-', 'long-name', 'here'])
    // Only a piece wider than the whole line breaks inside.
    expect(wrapText('Lüdenscheidt', 5, 1, 3, false, measure)).toEqual(['Lüden', 'schei', 'dt'])
    // Left-over text ends in an ellipsis on the last line.
    expect(wrapText(name, 14, 1, 2, false, measure)).toEqual(['Müller-', 'Lüdenscheidt,…'])
  })
  it.each(['client-label', 'order-label'] as const)('the %s of Müller-Lüdenscheidt breaks the name only at a space or hyphen, measured with each printer\'s font', (document) => {
    const client = makeClient({ lastName: 'Müller-Lüdenscheidt', firstName: 'Jürgen' })
    const subject = makeSubject(document, client)
    for (const [format, unit, media] of [['png', 'dot', '4x6'], ['pdf', 'pt', '4x6'], ['zpl', 'dot', '4x6'], ['epl', 'dot', '4x6'], ['png', 'dot', '2.25x1.25'], ['epl', 'dot', '2.25x1.25']] as const) {
      const layout = labelLayout({ subject, studio: STUDIO, barcode: barcodeOf(document), media, dpi: 203, unit, format })
      const t = texts(layout)
      const nameLines = t.filter((x) => /Müller|Lüden|Jürgen|heidt/.test(x))
      expect(nameLines.length, `${format} ${media}`).toBeGreaterThan(0)
      expect(nameLines.some((x) => /Lüdensc$|^heidt/.test(x)), `${format} ${media}: ${nameLines.join(' / ')}`).toBe(false)
      for (const line of nameLines) expect(line, `${format} ${media}`).toMatch(/(^|[\s·-])(Müller-|Müller-Lüdenscheidt|Lüdenscheidt)|Jürgen|…$/)
    }
  })
  it.each(['client-label', 'order-label'] as const)('on a 4x6 %s the whole name is printed, hyphen kept, in the lines it may take', (document) => {
    const client = makeClient({ lastName: 'Müller-Lüdenscheidt', firstName: 'Jürgen' })
    for (const format of ['png', 'zpl', 'epl'] as const) {
      const layout = labelLayout({ subject: makeSubject(document, client), studio: STUDIO, barcode: null, media: '4x6', dpi: 203, unit: 'dot', format })
      const lines = texts(layout).filter((x) => /Müller|Jürgen|Lüden/.test(x))
      expect(lines.join(' ').replace('- ', '-'), format).toBe('Müller-Lüdenscheidt, Jürgen')
    }
  })
  it('EPL measures exactly the fixed cells its compiler prints', () => {
    expect(eplMeasure(203)('Müller', 24, false)).toBe(6 * 14)
  })
})
