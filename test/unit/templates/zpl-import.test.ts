/**
 * Templates as label designers export them: code pages re-encoded and ^FH added on import, with
 * the changes listed. The evidence that a conversion keeps the label (zpl-renderer-js draws the
 * filled template exactly as the original export with the values typed in) is in
 * test/integration/templates/zpl-import-drawn.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { DESIGNER_LABELS } from '../../fixtures/templates/designer-labels.ts'
import { validateTemplate } from '../../../src/templates/index.ts'
import { importZplTemplate } from '../../../src/templates/zpl-import.ts'

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

  it('an _ in fixed text of a field that gets ^FH still prints as _, and a placeholder name is left alone', () => {
    const { body, conversions } = importZplTemplate('^XA\n^FO1,1^FDREF_{{client.number}}_X^FS\n^XZ')
    expect(body).toBe('^XA\n^FO1,1^FH^FDREF_5F{{client.number}}_5FX^FS\n^XZ')
    expect(conversions).toEqual([{ line: 2, command: '^FD', change: '^FH added before the field data holding {{client.number}}, so record text is escaped (its _ written as _5F)' }])
  })
})
