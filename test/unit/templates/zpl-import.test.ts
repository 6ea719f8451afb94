/**
 * Templates as label designers export them: code pages re-encoded and ^FH added on import, with
 * the changes listed. The evidence that a conversion keeps the label: zpl-renderer-js draws the
 * filled template exactly as it draws the original export with the same (plain ASCII) values
 * typed in, in the original's own code page.
 */
import { describe, expect, it } from 'vitest'
import { DESIGNER_LABELS } from '../../fixtures/templates/designer-labels.ts'
import { fieldValues, previewZpl, validateTemplate } from '../../../src/templates/index.ts'
import { renderRawZpl } from '../../../src/templates/custom-templates.ts'
import { importZplTemplate } from '../../../src/templates/zpl-import.ts'
import { STUDIO, makeClient, makeSubject } from './fixtures.ts'

const CLIENT = makeClient({ lastName: 'Smith', firstName: 'Ann', organization: 'Lincoln High', addresses: [] })
const accepted = (body: string, document: string) => {
  try {
    validateTemplate({ document, kind: 'zpl', body })
    return true
  } catch {
    return false
  }
}

describe('when designer and carrier labels are imported as templates', () => {
  it('seven of the fifteen are refused as exported, and all fifteen once imported', () => {
    expect(DESIGNER_LABELS).toHaveLength(15)
    expect(DESIGNER_LABELS.filter((l) => !accepted(l.body, l.document)).map((l) => l.name)).toEqual(DESIGNER_LABELS.filter((l) => l.converts.length > 0).map((l) => l.name))
    expect(DESIGNER_LABELS.filter((l) => l.converts.length > 0)).toHaveLength(7)
    for (const label of DESIGNER_LABELS) expect([label.name, accepted(importZplTemplate(label.body).body, label.document)]).toEqual([label.name, true])
  })

  it.each(DESIGNER_LABELS.map((l) => [l.name, l] as const))('%s: the conversions are listed, each with its line', (_name, label) => {
    const { conversions } = importZplTemplate(label.body)
    const kinds = [...new Set(conversions.map((c) => (c.command.startsWith('^CI') ? 'code page' : '^FH')))].sort()
    expect(kinds).toEqual([...label.converts].sort())
    const lines = label.body.split('\n')
    for (const c of conversions) expect(lines[c.line - 1].toUpperCase()).toContain(c.command.toUpperCase().slice(0, 3))
  })

  it.each(DESIGNER_LABELS.map((l) => [l.name, l] as const))('%s: drawn like the original export with the values typed in', async (_name, label) => {
    const values = fieldValues(makeSubject(label.document, CLIENT), STUDIO, 'C-000123')
    const filled = renderRawZpl(importZplTemplate(label.body).body, values, true)
    const typed = (label.asBytes ?? label.body).replace(/\{\{\s*([A-Za-z][\w.]*)\s*\}\}/g, (_m, name: string) => {
      const value = values[name] ?? ''
      expect([name, /^[ -~]*$/.test(value) && !/[_^~\\]/.test(value)]).toEqual([name, true]) // plain ASCII: the same typed into any code page
      return value
    })
    const size = { dpmm: 8 as const, widthIn: 4, heightIn: 6 }
    expect(Buffer.from(await previewZpl(filled, size)).equals(Buffer.from(await previewZpl(typed, size)))).toBe(true)
  })

  it('an _ in fixed text of a field that gets ^FH still prints as _, and a placeholder name is left alone', () => {
    const { body, conversions } = importZplTemplate('^XA\n^FO1,1^FDREF_{{client.number}}_X^FS\n^XZ')
    expect(body).toBe('^XA\n^FO1,1^FH^FDREF_5F{{client.number}}_5FX^FS\n^XZ')
    expect(conversions).toEqual([{ line: 2, command: '^FD', change: '^FH added before the field data holding {{client.number}}, so record text is escaped (its _ written as _5F)' }])
  })
})
