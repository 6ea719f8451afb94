import { Router } from 'express'
import { allow } from '../auth.ts'
import { bodyOf, idParam } from './params.ts'
import { parseInput } from '../../domain/inputs.ts'
import { ValidationError } from '../../domain/errors.ts'
import { newWebhookSecret, webhookCreate, webhookPatch } from '../../app/webhooks/webhook-rules.ts'
import type { WebhookStore } from '../../app/webhooks/webhook-store.ts'

/** Admin: webhook endpoints and their delivery log. */
export function webhookRoutes(store: WebhookStore): Router {
  const r = Router()
  r.use('/webhooks', allow())
  r.post('/webhooks', async (req, res) => {
    const input = parseInput(webhookCreate, bodyOf(req))
    const secret = input.secret ?? newWebhookSecret()
    const endpoint = await store.create({ url: input.url, events: input.events, secret, description: input.description ?? null })
    res.status(201).location(`/api/webhooks/${endpoint.id}`).json({ ...endpoint, secret })
  })
  r.get('/webhooks', async (_req, res) => {
    res.json({ items: await store.list() })
  })
  r.get('/webhooks/:id', async (req, res) => {
    res.json(await store.get(idParam(req)))
  })
  r.patch('/webhooks/:id', async (req, res) => {
    res.json(await store.update(idParam(req), parseInput(webhookPatch, bodyOf(req))))
  })
  r.delete('/webhooks/:id', async (req, res) => {
    await store.delete(idParam(req))
    res.status(204).end()
  })
  r.get('/webhooks/:id/deliveries', async (req, res) => {
    const id = idParam(req)
    const limit = req.query.limit === undefined ? 50 : Number(req.query.limit)
    const before = req.query.before === undefined ? null : Number(req.query.before)
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ValidationError('limit must be a whole number from 1 to 500.', { limit: req.query.limit }, 'QUERY_INVALID')
    if (before !== null && (!Number.isSafeInteger(before) || before < 1)) throw new ValidationError('before must be a delivery id.', { before: req.query.before }, 'QUERY_INVALID')
    const items = await store.deliveries(id, limit, before)
    res.json({ items, nextBefore: items.length === limit ? items[items.length - 1].id : null })
  })
  return r
}
