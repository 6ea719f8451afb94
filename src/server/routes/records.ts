import { Router } from 'express'
import type { Stores } from '../../app/stores.ts'
import { allow } from '../auth.ts'
import { bodyOf, clientIdQuery, idParam, pageParams, searchQuery } from './params.ts'
import {
  clientCreate,
  clientPatch,
  invoiceCreate,
  invoicePatch,
  orderCreate,
  orderPatch,
  parseInput,
  sessionCreate,
  sessionPatch,
  advanceInput,
} from '../../domain/inputs.ts'
import { clientView, invoiceView, orderView, sessionView } from '../../app/record-views.ts'
import { advanceStatus } from '../../app/advance-status.ts'
import { trackFor } from '../../domain/status-track.ts'
import { actorOf } from './actor.ts'

/** CRUD for the four kinds of record, and the status advance of production orders. */
export function recordRoutes(stores: Stores): Router {
  const r = Router()
  r.use(['/clients', '/sessions', '/invoices', '/production-orders'], allow('client'))

  r.post('/clients', async (req, res) => {
    res.status(201).json(clientView(await stores.clients.create(parseInput(clientCreate, bodyOf(req)))))
  })
  r.get('/clients', async (req, res) => {
    const { limit, after } = pageParams(req)
    const page = await stores.clients.list(limit, after, { q: searchQuery(req) })
    res.json({ ...page, items: page.items.map(clientView) })
  })
  r.get('/clients/:id', async (req, res) => {
    res.json(clientView(await stores.clients.get(idParam(req))))
  })
  r.patch('/clients/:id', async (req, res) => {
    const id = idParam(req)
    const patch = parseInput(clientPatch, bodyOf(req))
    res.json(clientView(await stores.clients.patch(id, patch)))
  })

  r.post('/sessions', async (req, res) => {
    res.status(201).json(sessionView(await stores.sessions.create(parseInput(sessionCreate, bodyOf(req)))))
  })
  r.get('/sessions', async (req, res) => {
    const { limit, after } = pageParams(req)
    const page = await stores.sessions.list(limit, after, { clientId: clientIdQuery(req) })
    res.json({ ...page, items: page.items.map(sessionView) })
  })
  r.get('/sessions/:id', async (req, res) => {
    res.json(sessionView(await stores.sessions.get(idParam(req))))
  })
  r.patch('/sessions/:id', async (req, res) => {
    const id = idParam(req)
    const patch = parseInput(sessionPatch, bodyOf(req))
    res.json(sessionView(await stores.sessions.patch(id, patch)))
  })

  r.post('/invoices', async (req, res) => {
    res.status(201).json(invoiceView(await stores.invoices.create(parseInput(invoiceCreate, bodyOf(req)))))
  })
  r.get('/invoices', async (req, res) => {
    const { limit, after } = pageParams(req)
    const page = await stores.invoices.list(limit, after, { clientId: clientIdQuery(req) })
    res.json({ ...page, items: page.items.map(invoiceView) })
  })
  r.get('/invoices/:id', async (req, res) => {
    res.json(invoiceView(await stores.invoices.get(idParam(req))))
  })
  r.patch('/invoices/:id', async (req, res) => {
    const id = idParam(req)
    const patch = parseInput(invoicePatch, bodyOf(req))
    res.json(invoiceView(await stores.invoices.patch(id, patch)))
  })

  r.post('/production-orders', async (req, res) => {
    const input = parseInput(orderCreate, bodyOf(req))
    const track = trackFor(await stores.settings.tracks(), input.orderType)
    res.status(201).json(orderView(await stores.orders.create(input, track, actorOf(req))))
  })
  r.get('/production-orders', async (req, res) => {
    const { limit, after } = pageParams(req)
    const status = typeof req.query.status === 'string' ? req.query.status : undefined
    const page = await stores.orders.list(limit, after, { status, clientId: clientIdQuery(req) })
    res.json({ ...page, items: page.items.map(orderView) })
  })
  r.get('/production-orders/:id', async (req, res) => {
    res.json(orderView(await stores.orders.get(idParam(req))))
  })
  r.get('/production-orders/:id/history', async (req, res) => {
    const id = idParam(req)
    await stores.orders.get(id)
    res.json({ items: await stores.orders.history(id) })
  })
  r.patch('/production-orders/:id', async (req, res) => {
    const id = idParam(req)
    const patch = parseInput(orderPatch, bodyOf(req))
    res.json(orderView(await stores.orders.patch(id, patch)))
  })
  r.post('/production-orders/:id/advance', async (req, res) => {
    const id = idParam(req)
    const { to } = parseInput(advanceInput, req.body ?? {})
    const order = await stores.orders.get(id)
    const result = await advanceStatus(stores, order, to, actorOf(req), 'person')
    res.json({ order: orderView(result.order), from: result.from.key, to: result.to.key, flags: result.flags })
  })
  return r
}
