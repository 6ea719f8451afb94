import { MysqlAdapter, type Kysely, type Transaction } from 'kysely'
import type { Database } from './schema.ts'

/** One row of the scan log: every scan, with its outcome and the result pushed to the station. */
export interface ScanLogEntry {
  station: string
  scanner: string | null
  source: 'scanner' | 'http' | 'card'
  data: string
  outcome: string
  code: string | null
  recordType: string | null
  recordId: number | null
  orderId: number | null
  fromStatus: string | null
  toStatus: string | null
  orderVersion: number | null
  at: number
  /** The station's batch at the scan (null: not known, e.g. a scan refused before it was read). */
  batchId?: number | null
}

export interface LastAdvance {
  scanId: number
  orderId: number
  fromStatus: string
  toStatus: string
  orderVersion: number
  at: number
}

export class ScanLogStore {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Writes the row (one insert) and returns its id, the scan id. `result` is stored without the
   * id; reads put it back in front. `trx`: inside that transaction (an advance and its row commit together).
   */
  async append(entry: ScanLogEntry, result: object, trx?: Transaction<Database>): Promise<number> {
    // A station's rows must commit in id order, so that a stream that has read id N never sees a
    // lower id appear later (StationEvents.stream tails the log by id). SQLite has one writer at a
    // time, so it does already; on MySQL two servers' transactions could commit out of order, so
    // each insert first locks the station's row until it commits.
    if (!(this.db.getExecutor().adapter instanceof MysqlAdapter)) return this.insert(trx ?? this.db, entry, result)
    const locked = async (t: Transaction<Database>) => {
      await t.selectFrom('stations').select('id').where('name', '=', entry.station).forUpdate().execute()
      return this.insert(t, entry, result)
    }
    return trx ? locked(trx) : this.db.transaction().execute(locked)
  }

  private async insert(db: Kysely<Database>, entry: ScanLogEntry, result: object): Promise<number> {
    const inserted = await db
      .insertInto('scan_log')
      .values({
        station: entry.station,
        scanner: entry.scanner,
        source: entry.source,
        data: entry.data,
        outcome: entry.outcome,
        code: entry.code,
        record_type: entry.recordType,
        record_id: entry.recordId,
        order_id: entry.orderId,
        from_status: entry.fromStatus,
        to_status: entry.toStatus,
        order_version: entry.orderVersion,
        undone_at: null,
        result: JSON.stringify(result),
        at: entry.at,
        batch_id: entry.batchId ?? null,
      })
      .executeTakeFirstOrThrow()
    return Number(inserted.insertId)
  }

  /** The station's results after `afterId` (oldest first), for Last-Event-ID replay. */
  async since<R>(station: string, afterId: number, limit: number): Promise<Array<{ scanId: number; result: R }>> {
    const rows = await this.db.selectFrom('scan_log').select(['id', 'result']).where('station', '=', station).where('id', '>', afterId).orderBy('id').limit(limit).execute()
    return rows.map((r) => ({ scanId: Number(r.id), result: { scanId: Number(r.id), ...(JSON.parse(r.result) as object) } as R }))
  }

  /** The station's most recent results, newest first. */
  async recent<R>(station: string, limit: number): Promise<R[]> {
    const rows = await this.db.selectFrom('scan_log').select(['id', 'result']).where('station', '=', station).orderBy('id', 'desc').limit(limit).execute()
    return rows.map((r) => ({ scanId: Number(r.id), ...(JSON.parse(r.result) as object) }) as R)
  }

  /** Whether the station advanced this order in this batch (and the advance was not undone). Batch ids, never clocks. */
  async advancedInBatch(station: string, orderId: number, batchId: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('scan_log')
      .select('id')
      .where('station', '=', station)
      .where('batch_id', '=', batchId)
      .where('order_id', '=', orderId)
      .where('outcome', '=', 'advanced')
      .where('undone_at', 'is', null)
      .limit(1)
      .executeTakeFirst()
    return row !== undefined
  }

  /**
   * The station's last advance in this batch, if nothing was undone since: the newest advance or
   * undo row decides (an undo row on top means the last advance is undone already, so a second
   * undo has nothing to undo — it never walks back to the advance before).
   */
  async lastUndoable(station: string, batchId: number): Promise<LastAdvance | undefined> {
    const row = await this.db
      .selectFrom('scan_log')
      .select(['id', 'outcome', 'order_id', 'from_status', 'to_status', 'order_version', 'undone_at', 'at'])
      .where('station', '=', station)
      .where('batch_id', '=', batchId)
      .where('outcome', 'in', ['advanced', 'undone'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
    if (!row || row.outcome !== 'advanced' || row.undone_at !== null) return undefined
    if (row.order_id === null || row.from_status === null || row.to_status === null || row.order_version === null) return undefined
    return { scanId: Number(row.id), orderId: Number(row.order_id), fromStatus: row.from_status, toStatus: row.to_status, orderVersion: Number(row.order_version), at: Number(row.at) }
  }

  /** Marks an advance undone; false when it was undone already (compare-and-set). `trx`: with the undo itself. */
  async markUndone(scanId: number, at: number, trx?: Transaction<Database>): Promise<boolean> {
    const result = await (trx ?? this.db).updateTable('scan_log').set({ undone_at: at }).where('id', '=', scanId).where('undone_at', 'is', null).executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  /** Whether the batch has no scan yet but the cards that started it. */
  async batchIsEmpty(station: string, batchId: number): Promise<boolean> {
    const row = await this.db.selectFrom('scan_log').select('id').where('station', '=', station).where('batch_id', '=', batchId).where('outcome', '!=', 'batch-started').limit(1).executeTakeFirst()
    return row === undefined
  }

  async lastId(station: string): Promise<number> {
    const row = await this.db.selectFrom('scan_log').select((eb) => eb.fn.max('id').as('max')).where('station', '=', station).executeTakeFirst()
    return row?.max == null ? 0 : Number(row.max)
  }
}
