import { Router, raw } from 'express'
import type { Stores } from '../../app/stores.ts'
import { allow } from '../auth.ts'
import { idParam } from './params.ts'
import { assertDocument, renderDocument } from '../../app/render-document.ts'
import { PREVIEW_DPMM } from '../../templates/index.ts'
import { checkPreviewSize } from '../../templates/zpl-preview-limits.ts'
import { renderInPool } from '../../app/render/render-pool.ts'
import { ValidationError } from '../../domain/errors.ts'
import { LABEL_LANGUAGES, type LabelLanguage } from '../../domain/printer-language.ts'

const MEDIA_QUERY = /^[a-z0-9.-]{1,20}$/
/** ?for=: a label printer's language (zpl|epl). */
const LABEL_LANGUAGE_QUERY = new RegExp(`^(${LABEL_LANGUAGES.join('|')})$`)

/** Rendered printouts, and a Labelary-style preview of any ZPL. */
export function documentRoutes(stores: Stores): Router {
  const r = Router()
  r.get('/documents/:document/:recordId', allow('client'), async (req, res) => {
    const document = assertDocument(String(req.params.document))
    const recordId = idParam(req, 'recordId')
    const format = typeof req.query.format === 'string' ? req.query.format : 'pdf'
    const media = optionalQuery(req.query.media, MEDIA_QUERY, 'media')
    const dpi = optionalQuery(req.query.dpi, /^(203|300)$/, 'dpi')
    const width = optionalQuery(req.query.width, /^(58|80)$/, 'width')
    const start = optionalQuery(req.query.start, /^([1-9]|[12]\d|30)$/, 'start')
    const layoutAs = optionalQuery(req.query.for, LABEL_LANGUAGE_QUERY, 'for') as LabelLanguage | undefined
    const result = await renderDocument(stores, document, recordId, format, {
      media,
      dpi: dpi ? (Number(dpi) as 203 | 300) : undefined,
      receiptWidthMm: width ? (Number(width) as 58 | 80) : undefined,
      startPosition: start ? Number(start) : undefined,
      layoutAs,
    })
    res.setHeader('content-type', result.contentType)
    res.setHeader('x-units', String(result.units))
    if (format === 'pdf') res.setHeader('content-disposition', `inline; filename="${document}-${recordId}.pdf"`)
    res.send(Buffer.from(result.bytes.buffer, result.bytes.byteOffset, result.bytes.byteLength))
  })

  r.post('/preview', allow('client'), raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const dpmm = Number(req.query.dpmm ?? 8)
    const widthIn = Number(req.query.width ?? 4)
    const heightIn = Number(req.query.height ?? 6)
    if (!(PREVIEW_DPMM as readonly number[]).includes(dpmm)) throw new ValidationError(`dpmm must be one of ${PREVIEW_DPMM.join(', ')}`, { dpmm }, 'QUERY_INVALID')
    if (!(widthIn > 0 && widthIn <= 15 && heightIn > 0 && heightIn <= 15)) throw new ValidationError('width and height are inches, 0 to 15', { widthIn, heightIn }, 'QUERY_INVALID')
    const index = optionalQuery(req.query.index, /^\d{1,4}$/, 'index')
    const pdf = req.accepts(['image/png', 'application/pdf']) === 'application/pdf'
    const body: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    const size = { dpmm: dpmm as 6 | 8 | 12 | 24, widthIn, heightIn }
    checkPreviewSize(size)
    // Decoding (the bytes as sent, in the code pages their ^CI select), counting labels and
    // fields, checking graphic fields and drawing all happen in a render worker, with its limits:
    // a 1 MB body costs this thread nothing but its copy to the worker.
    const result = await renderInPool({ kind: 'preview-zpl', body: new Uint8Array(body.buffer, body.byteOffset, body.byteLength), size, index: index === undefined ? undefined : Number(index), pdf })
    res.setHeader('x-total-count', String(result.total))
    res.type(pdf ? 'application/pdf' : 'image/png').send(Buffer.from(result.bytes))
  })
  return r
}

function optionalQuery(value: unknown, pattern: RegExp, name: string): string | undefined {
  if (value === undefined || value === '') return undefined
  if (typeof value !== 'string' || !pattern.test(value)) throw new ValidationError(`${name} is not valid`, { [name]: value }, 'QUERY_INVALID')
  return value
}
