/**
 * `^FH` written on a line of its own in a studio ZPL template: printers skip CR and LF, so the
 * escape character is still `_`. Checked with the test ZPL reader and with zpl-renderer-js, which
 * must draw it exactly as the same template with `^FH` and `^FD` on one line.
 */
import { describe, expect, it } from 'vitest'
import { previewZpl, render, validateTemplate, type LabelTemplate } from '../../../src/templates/index.ts'
import { STUDIO, makeClient } from '../../unit/templates/fixtures.ts'
import { readZpl } from '../../unit/templates/zpl-reader.ts'

async function zplOf(template: LabelTemplate, lastName: string): Promise<string> {
  const r = await render({ subject: { document: 'client-label', client: makeClient({ lastName }) }, format: 'zpl', studio: STUDIO, barcode: null, template })
  return new TextDecoder().decode(r.bytes)
}

describe('when ^FH is followed by a line break in a studio ZPL template', () => {
  const body = (fh: string) => `^XA\n^FO20,20^A0N,40,40${fh}^FD{{client.name}}^FS\n^XZ`
  it('the escape character is still _ (printers skip CR and LF), so the field holds the name', async () => {
    for (const fh of ['^FH\n', '^FH\r\n']) {
      const template = validateTemplate({ document: 'client-label', kind: 'zpl', body: body(fh) })
      const zpl = await zplOf(template, 'Zoë^XZ_')
      expect(readZpl(zpl).formats[0].fields[0].data).toBe('Zoë^XZ_, Zoë')
      const reference = await zplOf(validateTemplate({ document: 'client-label', kind: 'zpl', body: body('^FH') }), 'Zoë^XZ_')
      const size = { dpmm: 8 as const, widthIn: 4, heightIn: 2 }
      expect(Buffer.from(await previewZpl(zpl, size)).equals(Buffer.from(await previewZpl(reference, size)))).toBe(true)
    }
  })
})
