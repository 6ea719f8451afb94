/**
 * Record text inside ZPL field blocks (`^FB`, which centred and right-aligned text uses). In a
 * field block the printer reads `\&` as a line break, `\(` as a soft hyphen and `\\` as one
 * backslash (ZPL II guide, ^FB) — after `^FH` escapes are undone — so record text there must have
 * every backslash doubled. Checked with the test ZPL reader, which applies those rules.
 * (zpl-renderer-js is no judge here: it breaks the line at any `\&`, even after `\\`, which the
 * guide reads as a backslash and then `&`.) `^FH` followed by a line break, checked with
 * zpl-renderer-js too, is in test/integration/templates/zpl-fh-line-break.test.ts.
 */
import { describe, expect, it } from 'vitest'
import { render, validateTemplate, type LabelTemplate } from '../../../src/templates/index.ts'
import { STUDIO, makeClient } from './fixtures.ts'
import { readZpl } from './zpl-reader.ts'

/** A field block's data as the printer lays it out: its lines. */
function blockLines(data: string): string[] {
  const lines = ['']
  for (let i = 0; i < data.length; i++) {
    if (data[i] === '\\' && i + 1 < data.length) {
      const next = data[++i]
      if (next === '&') lines.push('')
      else if (next === '\\') lines[lines.length - 1] += '\\'
      else if (next !== '(') lines[lines.length - 1] += `\\${next}`
    } else lines[lines.length - 1] += data[i]
  }
  return lines
}

const NAMES = ['Smith\\&Jones', 'C:\\Photos\\', 'A\\(B', 'x\\\\&y', 'plain']

const layout = (align: 'center' | 'right'): LabelTemplate =>
  validateTemplate({ document: 'client-label', kind: 'layout', body: { widthMm: 101.6, heightMm: 50, elements: [{ type: 'text', x: 2, y: 2, width: 97, size: 6, text: '{{client.lastName}}', align }] } })

async function zplOf(template: LabelTemplate, lastName: string): Promise<string> {
  const r = await render({ subject: { document: 'client-label', client: makeClient({ lastName }) }, format: 'zpl', studio: STUDIO, barcode: null, template })
  return new TextDecoder().decode(r.bytes)
}

describe('when record text lands in a ZPL field block (centred or right-aligned text)', () => {
  for (const align of ['center', 'right'] as const) {
    it.each(NAMES)(`${align}: %j is one line holding exactly the text`, async (name) => {
      const doc = readZpl(await zplOf(layout(align), name))
      const [field] = doc.formats[0].fields
      expect(field.commands.some((c) => c.startsWith('FB'))).toBe(true)
      expect(blockLines(field.data)).toEqual([name])
    })
  }

  it('a studio ZPL template: a placeholder in a ^FB field gets the same doubling', async () => {
    const template = validateTemplate({ document: 'client-label', kind: 'zpl', body: '^XA^CI28\n^FO20,20^A0N,40,40^FB700,2,0,C^FH\\^FD{{client.lastName}}^FS\n^FO20,120^A0N,40,40^FH^FD{{client.lastName}}^FS\n^XZ' })
    for (const name of NAMES) {
      const [block, plain] = readZpl(await zplOf(template, name)).formats[0].fields
      expect(blockLines(block.data)).toEqual([name])
      expect(plain.data).toBe(name)
    }
  })
})
