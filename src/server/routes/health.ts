import { Router } from 'express'
import { sql } from 'kysely'
import type { Stores } from '../../app/stores.ts'
import { migrationStatus } from '../../store/migrate.ts'
import { problemOf, sendProblem } from '../problem.ts'

/** How long readiness waits for the database before it calls it unreachable. */
export const READY_TIMEOUT_MS = 2_000

/**
 * Liveness (`/api/health`: the process answers) and readiness (`/api/health/ready`: the database
 * answers and every migration this code knows has run). Neither needs a token.
 */
export function healthRoutes(stores: Stores, version: string): Router {
  const r = Router()
  r.get('/api/health', (_req, res) => {
    res.json({ status: 'ok', database: stores.database.dialect, version })
  })
  r.get('/api/health/ready', async (_req, res) => {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS)
    })
    try {
      const status = await Promise.race([
        (async () => {
          await sql`select 1`.execute(stores.database.db)
          return migrationStatus(stores.database.db as never)
        })(),
        timeout,
      ])
      if (status.pending.length > 0) {
        sendProblem(res, problemOf('MIGRATIONS_PENDING', `The database lacks ${status.pending.length} migration(s); restart the server or run: studio-print migrate.`, { pending: status.pending }))
        return
      }
      res.json({ status: 'ready', database: stores.database.dialect, version, migrations: status.applied.length })
    } catch (err) {
      sendProblem(res, problemOf('DATABASE_UNREACHABLE', `The database does not answer: ${(err as Error).message}`))
    } finally {
      clearTimeout(timer)
    }
  })
  return r
}
