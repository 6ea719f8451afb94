/**
 * Templates as label designers export them, imported (code pages re-encoded, ^FH added): the
 * evidence that a conversion keeps the label. zpl-renderer-js draws the filled template exactly as
 * it draws the original export with the same (plain ASCII) values typed in, in the original's own
 * code page. (What the import changes and lists is checked in test/unit/templates/zpl-import.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import { DESIGNER_LABELS } from '../../fixtures/templates/designer-labels.ts'
import { fieldValues, previewZpl } from '../../../src/templates/index.ts'
import { renderRawZpl } from '../../../src/templates/custom-templates.ts'
import { importZplTemplate } from '../../../src/templates/zpl-import.ts'
import { STUDIO, makeClient, makeSubject } from '../../unit/templates/fixtures.ts'

const CLIENT = makeClient({ lastName: 'Smith', firstName: 'Ann', organization: 'Lincoln High', addresses: [] })

describe('when designer and carrier labels are imported as templates', () => {
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
})
