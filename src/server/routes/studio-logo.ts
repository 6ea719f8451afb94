import { Router, raw } from 'express'
import PDFDocument from 'pdfkit'
import type { Stores } from '../../app/stores.ts'
import { allow } from '../auth.ts'
import { NotFoundError, ValidationError } from '../../domain/errors.ts'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
const MAX_SIDE = 4000

/** Checks a logo upload: a PNG whose header is sane and that the PDF renderer can embed. */
export function checkLogo(bytes: Buffer): Buffer {
  if (bytes.length < 33 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE) || bytes.toString('latin1', 12, 16) !== 'IHDR') {
    throw new ValidationError('The logo must be a PNG image.', {}, 'LOGO_INVALID')
  }
  const width = bytes.readUInt32BE(16)
  const height = bytes.readUInt32BE(20)
  if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) {
    throw new ValidationError(`The logo must be between 1 and ${MAX_SIDE} pixels on each side; it is ${width}×${height}.`, { width, height }, 'LOGO_INVALID')
  }
  try {
    // The documents embed it with pdfkit: a PNG it can't read must fail here, not at print time.
    const doc = new PDFDocument({ autoFirstPage: true })
    doc.image(bytes, 0, 0, { width: 10 })
    doc.end()
  } catch (err) {
    throw new ValidationError(`The logo PNG can't be read: ${(err as Error).message}`, {}, 'LOGO_INVALID')
  }
  return bytes
}

/** The studio logo on every document: PUT a PNG, GET it back, DELETE it. */
export function studioLogoRoutes(stores: Stores): Router {
  const r = Router()
  r.put('/preferences/studio/logo', allow(), raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    const logo = checkLogo(body)
    const current = await stores.settings.studio()
    await stores.settings.setStudio({ ...current, logoPng: Uint8Array.from(logo) })
    res.status(204).end()
  })
  r.get('/preferences/studio/logo', allow('client', 'station'), async (_req, res) => {
    const { logoPng } = await stores.settings.studio()
    if (!logoPng) throw new NotFoundError('The studio logo', {}, 'LOGO_NOT_FOUND')
    res.type('image/png').send(Buffer.from(logoPng))
  })
  r.delete('/preferences/studio/logo', allow(), async (_req, res) => {
    const current = await stores.settings.studio()
    await stores.settings.setStudio({ ...current, logoPng: null })
    res.status(204).end()
  })
  return r
}
