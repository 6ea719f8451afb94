/**
 * The PDF compiler parses its font once per process and shares it between documents (pdf-compiler.ts).
 * Shared glyph objects must not leak one document's state into the next: every document's text
 * still extracts literally (pdftotext), whatever was rendered before it, ligatures and accents included.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { render, renderSheet } from '../../../src/templates/index.ts'
import { commandPeer } from '../../support/peers.ts'
import { STUDIO, barcodeOf, makeClient, makeSubject } from '../../unit/templates/fixtures.ts'

const run = promisify(execFile)
const HAS_POPPLER = commandPeer('pdftotext', 'poppler-utils')
const dir = mkdtempSync(join(tmpdir(), 'pdf-font-reuse-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let n = 0
async function pdfText(pdf: Uint8Array): Promise<string> {
  const file = join(dir, `${n++}.pdf`)
  writeFileSync(file, pdf)
  return (await run('pdftotext', ['-layout', file, '-'])).stdout
}

describe.skipIf(!HAS_POPPLER)('when PDFs are rendered one after another with the shared font, then each extracts literally', () => {
  it('accents, their base letters, ligatures and non-Latin scripts survive in every document of a sequence', async () => {
    // First of all (this file's process has rendered nothing yet), a sheet label whose only u, E
    // and U are inside ü, É, Ü: subsetting them pulls in the base glyphs without code points.
    const accented = makeClient({ lastName: 'Müller-Éluard', firstName: 'Ülkü', phones: [] })
    const sheet: Uint8Array[] = []
    for await (const c of renderSheet({ items: [{ subject: { document: 'client-label', client: accented }, barcode: null }], studio: STUDIO })) sheet.push(c)
    expect(await pdfText(new Uint8Array(Buffer.concat(sheet)))).toContain('Müller-Éluard')
    const first = await render({ subject: makeSubject('client-profile', accented), format: 'pdf', studio: STUDIO, barcode: null })
    expect(await pdfText(first.bytes)).toContain('Müller-Éluard')
    for (let round = 0; round < 2; round++) {
      const plain = makeClient({ lastName: 'Eupe Upsilon', firstName: 'Ulrike Ελένη Дмитрий' })
      const text = await pdfText((await render({ subject: makeSubject('client-profile', plain), format: 'pdf', studio: STUDIO, barcode: barcodeOf('client-profile') })).bytes)
      expect(text).toContain('Studio Print Demo Studio')
      expect(text).toContain('Eupe Upsilon')
      expect(text).toContain('Ελένη')
      expect(text).toContain('Дмитрий')
      const po = await pdfText((await render({ subject: makeSubject('purchase-order'), format: 'pdf', studio: STUDIO, barcode: barcodeOf('purchase-order') })).bytes)
      expect(po).toContain('Lustre finish, no crop.') // the fi ligature extracts as "fi"
    }
  })
  it('concurrent renders share the font without mixing their subsets', async () => {
    const names = ['Åsa Øberg', 'Ζωή Κωνσταντίνου', 'Лев Толстой', 'Zoë Müller', 'Ōta Ŝaŭlo']
    const docs = await Promise.all(names.map((lastName) => render({ subject: makeSubject('client-profile', makeClient({ lastName, firstName: '' })), format: 'pdf', studio: STUDIO, barcode: null })))
    for (const [i, doc] of docs.entries()) expect(await pdfText(doc.bytes)).toContain(names[i])
  })
})
