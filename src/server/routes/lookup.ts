import { Router } from 'express'
import type { Stores } from '../../app/stores.ts'
import { allow } from '../auth.ts'
import { lookupBarcode } from '../../app/lookup.ts'
import { ValidationError } from '../../domain/errors.ts'
import { lookupSummary } from '../../app/record-summary.ts'

export function lookupRoutes(stores: Stores): Router {
  const r = Router()
  r.get('/lookup', allow('client', 'station'), async (req, res) => {
    const barcode = req.query.barcode
    if (typeof barcode !== 'string' || barcode.trim() === '') throw new ValidationError('Pass ?barcode=TEXT.', {}, 'BARCODE_INVALID')
    const found = await lookupBarcode(stores, barcode)
    // A station reads what its screen shows; whole records are for client and admin tokens.
    res.json(req.principal?.role === 'station' ? lookupSummary(found) : found)
  })
  return r
}
