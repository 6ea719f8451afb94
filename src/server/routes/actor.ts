import type { Request } from 'express'
import type { Actor } from '../../store/records-store.ts'

/** Who does what, for history rows. */
export function actorOf(req: Request, station: string | null = null): Actor {
  return { by: req.principal?.name ?? 'anonymous', station: station ?? req.principal?.station ?? null }
}
