import { Router } from 'express'
import { z } from 'zod'
import type { Stores } from '../../app/stores.ts'
import { allow } from '../auth.ts'
import { parseInput } from '../../domain/inputs.ts'
import { ValidationError } from '../../domain/errors.ts'
import { ProductionHub } from '../../app/production/production-hub.ts'
import { orderView } from '../../app/record-views.ts'
import { bodyOf, idParam } from './params.ts'
import { actorOf } from './actor.ts'

export const statusChange = z.strictObject({
  to: z.string().min(1).max(40),
  reason: z.string().trim().min(1, 'Say why the status is changed by hand.').max(500),
  /** The order's version as the person saw it: a stale screen or a second click changes nothing. */
  version: z.number().int().min(0).optional(),
})
const STATUS_KEY = /^[a-z0-9][a-z0-9-]{0,39}$/

/** The Production hub's API: counts per status, orders by lateness, status changes by hand with a reason. */
export function productionRoutes(stores: Stores): Router {
  const hub = new ProductionHub(stores)
  const r = Router()
  r.get('/production/summary', allow('client'), async (_req, res) => {
    res.json(await hub.summary())
  })
  r.get('/production/orders', allow('client'), async (req, res) => {
    const { status, track, late, limit } = req.query
    const bad = (name: string, value: unknown) => new ValidationError(`${name} is not valid.`, { [name]: value }, 'QUERY_INVALID')
    if (status !== undefined && (typeof status !== 'string' || !STATUS_KEY.test(status))) throw bad('status', status)
    if (track !== undefined && (typeof track !== 'string' || !STATUS_KEY.test(track))) throw bad('track', track)
    if (late !== undefined && late !== '1' && late !== 'true' && late !== '0' && late !== 'false') throw bad('late', late)
    const n = limit === undefined ? 200 : Number(limit)
    if (typeof limit !== 'undefined' && (typeof limit !== 'string' || !/^\d{1,3}$/.test(limit) || n < 1 || n > 500)) throw bad('limit', limit)
    res.json(await hub.orders({ ...(status ? { status: status as string } : {}), ...(track ? { track: track as string } : {}), lateOnly: late === '1' || late === 'true', limit: n }))
  })
  r.post('/production-orders/:id/status', allow('client'), async (req, res) => {
    const id = idParam(req)
    const input = parseInput(statusChange, bodyOf(req))
    const result = await hub.changeStatus(id, input, actorOf(req))
    res.json({ order: orderView(result.order), from: result.from.key, to: result.to.key, flags: result.flags })
  })
  return r
}
