import { Router } from 'express'
import type { Stores } from '../../app/stores.ts'
import { allow } from '../auth.ts'
import { parseInput, tokenCreate } from '../../domain/inputs.ts'
import { bodyOf, idParam } from './params.ts'

export function tokenRoutes(stores: Stores): Router {
  const r = Router()
  r.use('/tokens', allow())
  r.post('/tokens', async (req, res) => {
    const input = parseInput(tokenCreate, bodyOf(req))
    res.status(201).json(await stores.tokens.create(input.role, input.station ?? null, input.label ?? null))
  })
  r.get('/tokens', async (_req, res) => {
    res.json({ items: await stores.tokens.list() })
  })
  r.delete('/tokens/:id', async (req, res) => {
    await stores.tokens.revoke(idParam(req))
    res.status(204).end()
  })
  return r
}
