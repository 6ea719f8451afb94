import { Router, raw } from 'express'
import type { Stores } from '../../app/stores.ts'
import { allow } from '../auth.ts'
import { NotFoundError } from '../../domain/errors.ts'
import { renderInPool } from '../../app/render/render-pool.ts'

/**
 * The studio logo on every document: PUT a PNG (refused whole with 400 LOGO_INVALID naming why,
 * else stored as a normalized copy: 8-bit RGB or RGBA, at most 512 px a side), GET it back, DELETE it.
 */
export function studioLogoRoutes(stores: Stores): Router {
  const r = Router()
  r.put('/preferences/studio/logo', allow(), raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)
    // Decoded and verified whole in a render worker; what is stored is its normalized copy.
    const logo = await renderInPool({ kind: 'logo', png: new Uint8Array(body) })
    const current = await stores.settings.studio()
    await stores.settings.setStudio({ ...current, logoPng: logo.png })
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
