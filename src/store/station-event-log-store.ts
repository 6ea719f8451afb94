import { MysqlAdapter, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema.ts'

/** How long a row of the station event log is kept: rows are snapshots, read only by streams open when they were written. */
export const STATION_EVENT_LOG_KEEP_MS = 24 * 3_600_000
const PRUNE_EVERY_MS = 3_600_000

/**
 * The station event log (migration 0014): scanner state and station changes, one row each, so
 * that a station stream on any server sees those made on another (the scan log does this for
 * scans). Like the scan log, a station's rows commit in id order.
 */
export class StationEventLogStore {
  private prunedAt = 0

  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes one event (its data already JSON) and returns its id; now and then deletes rows older than a day. */
  async append(station: string, kind: string, data: string): Promise<number> {
    const at = this.now()
    const insert = async (db: Kysely<Database>) => {
      const inserted = await db.insertInto('station_event_log').values({ station, kind, data, at }).executeTakeFirstOrThrow()
      return Number(inserted.insertId)
    }
    let id: number
    // As in ScanLogStore.append: on MySQL two servers' inserts could commit out of id order, so
    // each first locks the station's row (no row, e.g. a deleted station: nothing to lock).
    if (!(this.db.getExecutor().adapter instanceof MysqlAdapter)) id = await insert(this.db)
    else {
      id = await this.db.transaction().execute(async (t: Transaction<Database>) => {
        await t.selectFrom('stations').select('id').where('name', '=', station).forUpdate().execute()
        return insert(t)
      })
    }
    if (at - this.prunedAt >= PRUNE_EVERY_MS) {
      this.prunedAt = at
      await this.db.deleteFrom('station_event_log').where('at', '<', at - STATION_EVENT_LOG_KEEP_MS).execute()
    }
    return id
  }

  /** The station's events after `afterId`, oldest first, at most `limit`. */
  async since(station: string, afterId: number, limit: number): Promise<Array<{ id: number; kind: string; data: string }>> {
    const rows = await this.db.selectFrom('station_event_log').select(['id', 'kind', 'data']).where('station', '=', station).where('id', '>', afterId).orderBy('id').limit(limit).execute()
    return rows.map((r) => ({ id: Number(r.id), kind: r.kind, data: r.data }))
  }

  /** The station's newest events of `kind`, newest first, at most `limit`, with when each was written. */
  async latest(station: string, kind: string, limit: number): Promise<Array<{ id: number; data: string; at: number }>> {
    const rows = await this.db.selectFrom('station_event_log').select(['id', 'data', 'at']).where('station', '=', station).where('kind', '=', kind).orderBy('id', 'desc').limit(limit).execute()
    return rows.map((r) => ({ id: Number(r.id), data: r.data, at: Number(r.at) }))
  }

  /** The station's highest event id (0 when it has none). */
  async lastId(station: string): Promise<number> {
    const row = await this.db.selectFrom('station_event_log').select((eb) => eb.fn.max('id').as('max')).where('station', '=', station).executeTakeFirst()
    return row?.max == null ? 0 : Number(row.max)
  }
}
