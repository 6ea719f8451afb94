import type { Transaction } from 'kysely'
import type { Stores } from './stores.ts'
import type { Database } from '../store/schema.ts'
import type { Actor } from '../store/records-store.ts'
import type { ProductionOrder } from '../domain/records.ts'
import { ConcurrentChangeError } from '../domain/errors.ts'
import { decideAdvance, dueDate, trackFor, type AdvanceFlag, type AdvanceOptions, type ProductionStatus } from '../domain/status-track.ts'

export interface AdvanceResult {
  order: ProductionOrder
  from: ProductionStatus
  to: ProductionStatus
  flags: AdvanceFlag[]
}

/**
 * Advances an order to its next status, or to `to`. A compare-and-set on the order's version:
 * when someone else got there first nothing is written and CONCURRENT_CHANGE is thrown — never
 * a second advance. `alsoWrite` (the scan-log row of a scan) commits with the advance or not at all.
 */
export async function advanceStatus(
  stores: Stores,
  order: ProductionOrder,
  to: string | undefined,
  actor: Actor,
  source: 'scan' | 'person',
  alsoWrite?: (trx: Transaction<Database>, result: AdvanceResult) => Promise<void>,
  options: AdvanceOptions = {},
): Promise<AdvanceResult> {
  const tracks = await stores.settings.tracks()
  const decision = decideAdvance(trackFor(tracks, order.orderType), order.status, to, source, options)
  const now = stores.clock()
  const statusDueDate = dueDate(now, decision.durationDays)
  // The compare-and-set matches exactly this version, so the new row is known without a re-read.
  const advanced: ProductionOrder = { ...order, status: decision.to.key, statusDueDate, version: order.version + 1, updatedAt: now.toISOString() }
  const result: AdvanceResult = { order: advanced, from: decision.from, to: decision.to, flags: decision.flags }
  const applied = await stores.orders.applyAdvance(order, decision.to.key, statusDueDate, actor, now, alsoWrite && ((trx) => alsoWrite(trx, result)))
  if (!applied) throw new ConcurrentChangeError((await stores.orders.find(order.id)) ?? order)
  return result
}
