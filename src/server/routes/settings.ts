import { Router } from 'express'
import type { Stores } from '../../app/stores.ts'
import { allow } from '../auth.ts'
import { barcodingInput, parseInput, studioInput, tracksInput } from '../../domain/inputs.ts'
import { validateTrack, type StatusTrack } from '../../domain/status-track.ts'
import { ConflictError, ValidationError } from '../../domain/errors.ts'
import { bodyOf } from './params.ts'

/** Barcoding preferences, the studio header, and the production status tracks. */
export function settingsRoutes(stores: Stores): Router {
  const r = Router()
  r.get('/preferences/barcoding', allow('client', 'station'), async (_req, res) => {
    res.json(await stores.settings.barcoding())
  })
  r.put('/preferences/barcoding', allow(), async (req, res) => {
    const input = parseInput(barcodingInput, bodyOf(req))
    const current = await stores.settings.barcoding()
    res.json(await stores.settings.setBarcoding({ ...input, symbology: input.symbology ?? current.symbology }))
  })
  r.get('/preferences/studio', allow('client', 'station'), async (_req, res) => {
    const { logoPng, logoSha256: _hash, ...studio } = await stores.settings.studio()
    res.json({ ...studio, hasLogo: logoPng !== null })
  })
  r.put('/preferences/studio', allow(), async (req, res) => {
    const input = parseInput(studioInput, bodyOf(req))
    const current = await stores.settings.studio()
    const { logoPng, logoSha256: _hash, ...studio } = await stores.settings.setStudio({
      ...input,
      timeZone: input.timeZone ?? current.timeZone,
      timeZoneSet: input.timeZone !== undefined || current.timeZoneSet,
      currency: input.currency ?? current.currency,
      logoPng: current.logoPng,
    })
    res.json({ ...studio, hasLogo: logoPng !== null })
  })

  r.get('/production-statuses', allow('client', 'station'), async (_req, res) => {
    res.json(await stores.settings.tracks())
  })
  r.put('/production-statuses', allow(), async (req, res) => {
    const input = parseInput(tracksInput, bodyOf(req)) as StatusTrack[]
    const types = input.map((t) => t.orderType)
    if (new Set(types).size !== types.length) throw new ValidationError('Each order type may have one track.', { orderTypes: types }, 'STATUS_TRACK_INVALID')
    if (!types.includes('default')) throw new ValidationError('The "default" track must stay: it serves order types without their own.', {}, 'STATUS_TRACK_INVALID')
    input.forEach(validateTrack)
    await refuseOrphans(stores, input)
    res.json(await stores.settings.setTracks(input))
  })
  return r
}

/** A status still held by an order can't vanish from its track: the order would be stranded. */
async function refuseOrphans(stores: Stores, tracks: StatusTrack[]): Promise<void> {
  const inUse = await stores.database.db.selectFrom('production_orders').select(['order_type', 'status']).distinct().execute()
  const stranded = inUse.filter(({ order_type, status }) => {
    const track = tracks.find((t) => t.orderType === order_type) ?? tracks.find((t) => t.orderType === 'default')
    return !track?.statuses.some((s) => s.key === status)
  })
  if (stranded.length) {
    throw new ConflictError('STATUS_IN_USE', 'Orders are still in statuses this change removes; move them first.', {
      stranded: stranded.map((s) => ({ orderType: s.order_type, status: s.status })),
    })
  }
}
