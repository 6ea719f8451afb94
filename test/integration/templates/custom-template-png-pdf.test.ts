/**
 * A studio's own ZPL or EPL template also makes PNG and PDF: drawn by the renderer of its own
 * language (zpl-renderer-js, the EPL rasterizer), the barcode read back by an independent decoder.
 * (Validation and escaping are checked in test/unit/templates/custom-templates.test.ts.)
 */
import { describe, expect, it } from 'vitest'
import type { AppError } from '../../../src/domain/errors.ts'
import { previewZpl, render, type LabelTemplate } from '../../../src/templates/index.ts'
import { decodePng } from '../../support/barcodes.ts'
import { STUDIO, barcodeOf, makeClient } from '../../unit/templates/fixtures.ts'

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Uint8Array): [number, number] {
  const b = Buffer.from(png)
  return [b.readUInt32BE(16), b.readUInt32BE(20)]
}

const DESIGNER_ZPL = '^XA\n^FO20,20^A0N,30,30^FH\\^FDName: {{client.name}}^FS\n^FO20,80^BY2^BCN,80,Y,N,N^FH\\^FD{{barcode.text}}^FS\n^XZ'
const HOSTILE = makeClient({ lastName: '^XZ^XA~JR', firstName: 'Zoë "\\' })

describe('when a raw template is rendered as PNG or PDF, then its own language\'s renderer draws it', () => {
  it('a raw ZPL template also makes PNG and PDF, drawn by the ZPL renderer; EPL is refused, naming what it makes', async () => {
    const template: LabelTemplate = { document: 'client-label', kind: 'zpl', body: DESIGNER_ZPL }
    const subject = { document: 'client-label' as const, client: HOSTILE }
    const zpl = new TextDecoder().decode((await render({ subject, format: 'zpl', studio: STUDIO, barcode: barcodeOf('client-label'), template })).bytes)
    const png = await render({ subject, format: 'png', studio: STUDIO, barcode: barcodeOf('client-label'), template })
    expect(png.contentType).toBe('image/png')
    expect(Buffer.from(png.bytes).equals(Buffer.from(await previewZpl(zpl, { dpmm: 8, widthIn: 4, heightIn: 6 })))).toBe(true)
    expect(await decodePng(png.bytes)).toEqual(['C-000123'])
    const small = await render({ subject, format: 'png', studio: STUDIO, barcode: barcodeOf('client-label'), template, media: '2.25x1.25', dpi: 300 })
    expect(pngSize(small.bytes)).toEqual([675, 375])
    const pdf = await render({ subject, format: 'pdf', studio: STUDIO, barcode: barcodeOf('client-label'), template })
    expect(pdf.contentType).toBe('application/pdf')
    expect(Buffer.from(pdf.bytes).subarray(0, 5).toString()).toBe('%PDF-')
    const refused = await render({ subject, format: 'epl', studio: STUDIO, barcode: null, template }).catch((e: AppError) => e)
    expect(refused).toMatchObject({ code: 'FORMAT_NOT_SUPPORTED', details: { format: 'epl', supported: ['zpl', 'png', 'pdf'], template: 'zpl' } })
    expect((refused as AppError).message).toBe("The client-label's template is the studio's own ZPL, which can't be turned into EPL; it prints as zpl, png, pdf.")
  })
  it('a raw EPL template also makes PNG and PDF, drawn by the EPL renderer; ZPL is refused, naming what it makes', async () => {
    const template: LabelTemplate = { document: 'client-label', kind: 'epl', body: 'N\nq400\nR20,0\nA10,10,0,3,1,1,N,"{{client.name}}"\nB10,60,0,1,2,4,60,N,"{{barcode.text}}"\nP1\n' }
    const subject = { document: 'client-label' as const, client: HOSTILE }
    const png = await render({ subject, format: 'png', studio: STUDIO, barcode: barcodeOf('client-label'), template, media: '2.25x1.25' })
    expect(pngSize(png.bytes)).toEqual([400, 254]) // q400: the width the EPL sets
    expect(await decodePng(png.bytes)).toEqual(['C-000123'])
    const pdf = await render({ subject, format: 'pdf', studio: STUDIO, barcode: barcodeOf('client-label'), template })
    expect(Buffer.from(pdf.bytes).subarray(0, 5).toString()).toBe('%PDF-')
    await expect(render({ subject, format: 'zpl', studio: STUDIO, barcode: null, template })).rejects.toMatchObject({ code: 'FORMAT_NOT_SUPPORTED', details: { supported: ['epl', 'png', 'pdf'] } })
  })
})
