import { sql, type Kysely, type Selectable } from 'kysely'
import type { Database } from './schema.ts'
import type { StationMode, TargetKind } from '../domain/scan-routing.ts'
import { ConflictError, StationNotFoundError } from '../domain/errors.ts'
import { isUniqueViolation } from './sql-errors.ts'
import { iso } from './json.ts'
import { dbNowMs } from './db-clock.ts'

export interface Station {
  name: string
  mode: StationMode
  /** `next`: each order to its next status; `chosen`: to `advanceTo` (scans refused while it is null). */
  target: TargetKind
  advanceTo: string | null
  /** Scans may move orders backwards or out of their final status here. */
  allowBackward: boolean
  /** The current batch: its number at this station, when it began and its last scan (the database's clock). */
  batch: { id: number; startedAt: string; lastScanAt: string | null }
  /** When the current batch began (a mode or target change, New batch or an idle time starts a new one). */
  batchStartedAt: string
  openRecord: { type: string; id: number; openedAt: string } | null
  /** The server id (STUDIO_SERVER_ID) serving the station; null: not set (see `servedBy`). */
  location: string | null
  createdAt: string
  updatedAt: string
}

export interface ScannerRow {
  name: string
  station: string
  uri: string
  /** The server id (STUDIO_SERVER_ID) that opens the scanner; null: not set (see `servedBy`). */
  location: string | null
  createdAt: string
}

/**
 * Whether the server `serverId` serves a station or scanner of this location. NULL (rows from
 * before migration 0005, "the server that serves them is not set") counts as every server's own,
 * for backwards compatibility on a single-server install.
 */
export function servedBy(location: string | null, serverId: string): boolean {
  return location === null || location === serverId
}

function scannerFromRow(r: Selectable<Database['scanners']>): ScannerRow {
  return { name: r.name, station: r.station, uri: r.uri, location: r.location ?? null, createdAt: iso(r.created_at) }
}

function stationFromRow(row: Selectable<Database['stations']>): Station {
  return {
    name: row.name,
    mode: row.mode as StationMode,
    target: row.target_kind === 'chosen' ? 'chosen' : 'next',
    advanceTo: row.advance_to,
    allowBackward: Number(row.allow_backward) === 1,
    batch: { id: Number(row.batch_id), startedAt: iso(row.batch_started_at), lastScanAt: row.batch_last_scan_at === null ? null : iso(row.batch_last_scan_at) },
    batchStartedAt: iso(row.batch_started_at),
    openRecord: row.open_type === null || row.open_id === null ? null : { type: row.open_type, id: Number(row.open_id), openedAt: iso(row.opened_at ?? 0) },
    location: row.location ?? null,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  }
}

/** Stations and their scanners. */
export class StationStore {
  constructor(private readonly db: Kysely<Database>, private readonly clock: () => Date = () => new Date()) {}

  async create(input: { name: string; mode: StationMode; advanceTo: string | null; location: string | null }): Promise<Station> {
    const now = this.clock().getTime()
    try {
      await this.db
        .insertInto('stations')
        .values({
          name: input.name,
          mode: input.mode,
          target_kind: input.advanceTo ? 'chosen' : 'next',
          advance_to: input.advanceTo,
          location: input.location,
          batch_started_at: dbNowMs(this.db),
          open_type: null,
          open_id: null,
          opened_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute()
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('STATION_EXISTS', `A station named "${input.name}" exists already.`, { station: input.name })
      throw err
    }
    return this.get(input.name)
  }

  /** Creates the station unless one of that name exists (demo seeding, two servers at once). */
  async ensure(input: { name: string; mode: StationMode; advanceTo: string | null; location: string | null }): Promise<Station> {
    const found = await this.find(input.name)
    if (found) return found
    try {
      return await this.create(input)
    } catch (err) {
      if (err instanceof ConflictError) return this.get(input.name)
      throw err
    }
  }

  async find(name: string): Promise<Station | undefined> {
    const row = await this.db.selectFrom('stations').selectAll().where('name', '=', name).executeTakeFirst()
    return row && stationFromRow(row)
  }

  async get(name: string): Promise<Station> {
    const found = await this.find(name)
    if (!found) throw new StationNotFoundError(name)
    return found
  }

  async list(): Promise<Station[]> {
    const rows = await this.db.selectFrom('stations').selectAll().orderBy('name').execute()
    return rows.map(stationFromRow)
  }

  /**
   * Changes mode, target and whether backward moves are allowed. A change of mode or target starts
   * a new batch. `advanceTo` set means a chosen status; null means the next status unless `target`
   * says `chosen` (a chosen status not picked yet).
   */
  async update(name: string, patch: { mode?: StationMode; target?: TargetKind; advanceTo?: string | null; allowBackward?: boolean }): Promise<Station> {
    const now = this.clock().getTime()
    const set: { updated_at: number; mode?: string; target_kind?: string; advance_to?: string | null; allow_backward?: number } = { updated_at: now }
    if (patch.mode !== undefined) set.mode = patch.mode
    if (patch.advanceTo !== undefined) {
      set.advance_to = patch.advanceTo
      set.target_kind = patch.advanceTo === null ? (patch.target ?? 'next') : 'chosen'
    } else if (patch.target !== undefined) {
      set.target_kind = patch.target
      set.advance_to = null
    }
    if (patch.allowBackward !== undefined) set.allow_backward = patch.allowBackward ? 1 : 0
    const newBatch = patch.mode !== undefined || patch.target !== undefined || patch.advanceTo !== undefined
    const result = await this.db
      .updateTable('stations')
      .set(set)
      .$if(newBatch, (q) => q.set((eb) => ({ batch_id: eb('batch_id', '+', 1), batch_started_at: dbNowMs(this.db), batch_last_scan_at: null })))
      .where('name', '=', name)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new StationNotFoundError(name)
    return this.get(name)
  }

  /** Starts a new batch at the station (New batch, its card). */
  async newBatch(name: string): Promise<Station> {
    const result = await this.db
      .updateTable('stations')
      .set((eb) => ({ batch_id: eb('batch_id', '+', 1), batch_started_at: dbNowMs(this.db), batch_last_scan_at: null }))
      .where('name', '=', name)
      .executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) throw new StationNotFoundError(name)
    return this.get(name)
  }

  /**
   * Notes a scan in the station's batch, ending the batch first when it has been idle longer than
   * `idleMs`: one statement, so of two servers seeing the idle batch at once one starts the next.
   * Both times are the database's clock, so servers with different clocks agree. The last-scan
   * time is written only when it is more than TOUCH_MS old (most scans write nothing here): a batch
   * ends after its idle time to within that. (The new last-scan time is assigned last: MariaDB
   * evaluates assignments left to right, SQLite from the old row.) `current`: the station as read
   * just before; returned as it is when nothing changed.
   */
  async touchBatch(current: Station, idleMs: number): Promise<Station> {
    const now = dbNowMs(this.db)
    const idle = sql<boolean>`batch_last_scan_at IS NOT NULL AND batch_last_scan_at < ${now} - ${idleMs}`
    const result = await this.db
      .updateTable('stations')
      .set({
        batch_id: sql<number>`CASE WHEN ${idle} THEN batch_id + 1 ELSE batch_id END`,
        batch_started_at: sql<number>`CASE WHEN ${idle} THEN ${now} ELSE batch_started_at END`,
        batch_last_scan_at: now,
      })
      .where('name', '=', current.name)
      .where((eb) => eb.or([eb('batch_last_scan_at', 'is', null), eb('batch_last_scan_at', '<', sql<number>`${now} - ${Math.min(StationStore.TOUCH_MS, idleMs)}`)]))
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 0 ? current : this.get(current.name)
  }

  /** How stale a batch's last-scan time may get before a scan writes it again. */
  static readonly TOUCH_MS = 30_000

  /** Opens a record at the station, replacing the one open (stations have no editing: nothing unsaved is lost). */
  async open(name: string, record: { type: string; id: number }): Promise<boolean> {
    const now = this.clock().getTime()
    const result = await this.db.updateTable('stations').set({ open_type: record.type, open_id: record.id, opened_at: now }).where('name', '=', name).executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  /** Closes the open record; false when none was open. */
  async close(name: string): Promise<boolean> {
    const result = await this.db
      .updateTable('stations')
      .set({ open_type: null, open_id: null, opened_at: null })
      .where('name', '=', name)
      .where('open_type', 'is not', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  async delete(name: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('scanners').where('station', '=', name).execute()
      const result = await trx.deleteFrom('stations').where('name', '=', name).executeTakeFirst()
      return Number(result.numDeletedRows) === 1
    })
  }

  // ------------------------------------------------------------ scanners
  async addScanner(input: { name: string; station: string; uri: string; location: string | null }): Promise<ScannerRow> {
    const now = this.clock().getTime()
    try {
      await this.db.insertInto('scanners').values({ name: input.name, station: input.station, uri: input.uri, location: input.location, created_at: now }).execute()
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('SCANNER_EXISTS', `A scanner named "${input.name}" exists already.`, { scanner: input.name })
      throw err
    }
    return { ...input, createdAt: iso(now) }
  }

  async scanners(station?: string): Promise<ScannerRow[]> {
    let q = this.db.selectFrom('scanners').selectAll()
    if (station !== undefined) q = q.where('station', '=', station)
    const rows = await q.orderBy('name').execute()
    return rows.map(scannerFromRow)
  }

  async findScanner(name: string): Promise<ScannerRow | undefined> {
    const r = await this.db.selectFrom('scanners').selectAll().where('name', '=', name).executeTakeFirst()
    return r && scannerFromRow(r)
  }

  /** Gives a scanner to another location (the demo takes its sim scanners to the server running it). */
  async setScannerLocation(name: string, location: string | null): Promise<boolean> {
    const result = await this.db.updateTable('scanners').set({ location }).where('name', '=', name).executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  async deleteScanner(name: string): Promise<boolean> {
    const result = await this.db.deleteFrom('scanners').where('name', '=', name).executeTakeFirst()
    return Number(result.numDeletedRows) === 1
  }
}
