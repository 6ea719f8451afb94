import type { Logger } from 'pino'
import type { Transaction } from 'kysely'
import type { Database } from '../../store/schema.ts'
import type { Stores } from '../stores.ts'
import type { ProductionOrder, RecordType } from '../../domain/records.ts'
import { fullName } from '../../domain/records.ts'
import { AppError, ConflictError, ValidationError, ConcurrentChangeError } from '../../domain/errors.ts'
import { AdvanceRefusedError, dueDate, findStatus, trackFor, type StatusTrack } from '../../domain/status-track.ts'
import { routeScan, severityOf, STATION_MODES, type ScanCode, type StationMode, type TargetKind } from '../../domain/scan-routing.ts'
import { checkScanningPreferences, DEFAULT_SCANNING, type ScanningPreferences } from '../../domain/scan-batch.ts'
import { scanCardsFor, type ScanCard, type ScanCardEntry } from '../../domain/scan-cards.ts'
import { decodeScan, printable } from '../../drivers/scanners/scan-decoder.ts'
import { ScanDebouncer, DEFAULT_DEBOUNCE_MS } from '../../drivers/scanners/scan-debounce.ts'
import { StationStore, type Station } from '../../store/station-store.ts'
import { ScanLogStore, type ScanLogEntry } from '../../store/scan-log-store.ts'
import { advanceStatus } from '../advance-status.ts'
import { lookupPayload } from '../lookup.ts'
import type { ParsedPayload } from '../../domain/barcode-payload.ts'
import type { AimMode } from '../../domain/aim-identifiers.ts'
import { orderView, viewOf, type AnyRecordView } from '../record-views.ts'
import type { ScanResult } from './scan-result.ts'
import type { StationEvents } from './station-events.ts'

export interface ScanInput {
  station: string
  /** Decoded data (hub scans), or raw text to decode (HTTP). */
  data: string
  source: 'scanner' | 'http'
  scanner?: string | null
  /** Who, for history rows. */
  by: string
  /** A frame the scanner already refused (bytes garbled, too long …): routed as BARCODE_INVALID. */
  rejected?: { code: string; message: string }
  symbology?: string | null
  /**
   * The scanner's decision on an AIM identifier (hub scans): the one it read and removed, or
   * null when it sent none (or is set `aim=off`). Routing never reads one off the data again.
   */
  aimId?: string | null
  /** How raw HTTP text is decoded: whether it may start with an AIM identifier (default 'auto'). */
  aim?: AimMode
  /** Epoch ms the scan was read (debounce); now by default. */
  at?: number
}

export interface ScanServiceOptions {
  stores: Stores
  events: StationEvents
  log: Logger
  debounceMs?: number
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/

export function checkName(what: 'station' | 'scanner', name: unknown): string {
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new ValidationError(`A ${what} name is 1 to 80 letters, digits, ".", "_" or "-", starting with a letter or digit.`, { [what]: name }, 'VALIDATION_FAILED')
  }
  return name
}

type Partial_ = Omit<ScanResult, 'scanId' | 'station' | 'scanner' | 'source' | 'data' | 'at'>
type Extra = Omit<Partial_, 'outcome'>

/**
 * Every scan at every station, from a scanner or HTTP: decode → debounce → route (pure, in
 * domain/scan-routing) → open / advance / card → scan log → event. Scans of one station are
 * handled one at a time, in order, so that event ids rise in the order results are pushed and
 * the open-record and duplicate-in-batch checks see the previous scan's effect.
 */
export class ScanService {
  readonly stations: StationStore
  readonly scanLog: ScanLogStore
  private readonly stores: Stores
  private readonly events: StationEvents
  private readonly log: Logger
  private readonly debouncer: ScanDebouncer
  private readonly queues = new Map<string, Promise<unknown>>()
  static readonly PREFERENCES_TTL_MS = 2_000
  private preferences: { value: ScanningPreferences; until: number } | null = null

  constructor(options: ScanServiceOptions) {
    this.stores = options.stores
    this.events = options.events
    this.log = options.log
    const db = options.stores.database.db
    this.stations = new StationStore(db, options.stores.clock)
    this.scanLog = new ScanLogStore(db)
    this.debouncer = new ScanDebouncer(options.debounceMs ?? DEFAULT_DEBOUNCE_MS, { now: () => this.now() })
  }

  private now(): number {
    return this.stores.clock().getTime()
  }

  /** Runs `fn` after every earlier task of the station. */
  private serial<T>(station: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(station) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const settled = run.catch(() => undefined)
    this.queues.set(station, settled)
    void settled.then(() => {
      if (this.queues.get(station) === settled) this.queues.delete(station)
    })
    return run
  }

  /** Resolves when every queued scan has been handled. */
  async idle(): Promise<void> {
    while (this.queues.size) await Promise.all([...this.queues.values()])
  }

  // ------------------------------------------------------------ stations
  /** `location`: the server id serving the station (the route defaults it to this server's); null: not set. */
  async createStation(input: { name: string; mode: StationMode; advanceTo?: string | null; location?: string | null }): Promise<Station> {
    checkName('station', input.name)
    const advanceTo = await this.checkTarget(input.advanceTo ?? null)
    return this.stations.create({ name: input.name, mode: input.mode, advanceTo, location: input.location ?? null })
  }

  async updateStation(name: string, patch: { mode?: StationMode; target?: TargetKind; advanceTo?: string | null; allowBackward?: boolean }): Promise<Station> {
    if (patch.advanceTo !== undefined) await this.checkTarget(patch.advanceTo)
    const station = await this.serial(name, () => this.stations.update(name, patch))
    this.debouncer.clear(name)
    this.events.publish(name, { kind: 'station', station })
    return station
  }

  /** Starts a new batch at the station (the New batch button), unless the current one is still empty (a double click starts one). */
  async newBatch(name: string): Promise<Station> {
    const station = await this.serial(name, async () => {
      const current = await this.stations.get(name)
      return (await this.scanLog.batchIsEmpty(name, current.batch.id)) ? current : this.stations.newBatch(name)
    })
    this.debouncer.clear(name)
    this.events.publish(name, { kind: 'station', station })
    return station
  }

  /** Read on every scan: kept for PREFERENCES_TTL_MS (another server's change shows within it), dropped at once when written here. */
  async scanningPreferences(): Promise<ScanningPreferences> {
    const now = Date.now()
    if (this.preferences && this.preferences.until > now) return this.preferences.value
    const value = { ...DEFAULT_SCANNING, ...(await this.stores.settings.read<Partial<ScanningPreferences>>('scanning')) }
    this.preferences = { value, until: now + ScanService.PREFERENCES_TTL_MS }
    return value
  }

  async setScanningPreferences(input: ScanningPreferences): Promise<ScanningPreferences> {
    await this.stores.settings.write('scanning', checkScanningPreferences(input))
    this.preferences = null
    return this.scanningPreferences()
  }

  async closeRecord(name: string): Promise<Station> {
    return this.serial(name, async () => {
      await this.stations.get(name)
      await this.stations.close(name)
      const station = await this.stations.get(name)
      this.events.publish(name, { kind: 'station', station })
      return station
    })
  }

  /** A target status must be in at least one order type's track. */
  private async checkTarget(advanceTo: string | null): Promise<string | null> {
    if (advanceTo === null) return null
    const tracks = await this.stores.settings.tracks()
    if (!tracks.some((t) => findStatus(t, advanceTo))) {
      throw new AppError('STATUS_NOT_IN_TRACK', 'invalid', `"${advanceTo}" is not a status of any track.`, { advanceTo, statuses: [...new Set(tracks.flatMap((t) => t.statuses.map((s) => s.key)))] })
    }
    return advanceTo
  }

  async modeCards(name: string): Promise<ScanCardEntry[]> {
    await this.stations.get(name)
    const tracks = await this.stores.settings.tracks()
    return scanCardsFor(tracks.flatMap((t) => t.statuses))
  }

  // ------------------------------------------------------------ scans
  /** Handles one scan; throws STATION_NOT_FOUND for an unknown station, else always returns a result. */
  scan(input: ScanInput): Promise<ScanResult> {
    return this.serial(input.station, () => this.handle(input))
  }

  private async handle(input: ScanInput): Promise<ScanResult> {
    let station = await this.stations.get(input.station)
    const at = input.at ?? this.now()
    let data = input.data
    let symbology = input.symbology ?? null
    let aimId = input.aimId ?? null
    const entry: ScanLogEntry = {
      station: station.name,
      scanner: input.scanner ?? null,
      source: input.source,
      data: printable(data, 300),
      outcome: 'error',
      code: null,
      recordType: null,
      recordId: null,
      orderId: null,
      fromStatus: null,
      toStatus: null,
      orderVersion: null,
      at: this.now(),
    }
    if (input.rejected) return this.finish(input, entry, { outcome: 'error', code: 'BARCODE_INVALID', message: input.rejected.message })
    if (input.source === 'http') {
      const decoded = decodeScan(data, { aim: input.aim ?? 'auto' })
      if (!decoded.ok) return this.finish(input, entry, { outcome: 'error', code: 'BARCODE_INVALID', message: decoded.error.message })
      data = decoded.data
      symbology = decoded.symbology
      aimId = decoded.aimId
      entry.data = data
    }
    const symbologyPart: Extra = { ...(symbology ? { symbology } : {}), ...(aimId ? { aimId } : {}) }
    // Every read is activity in the station's batch; a batch idle past the studio's idle time ends first.
    const touched = await this.stations.touchBatch(station, (await this.scanningPreferences()).batchIdleMinutes * 60_000)
    if (touched.batch.id !== station.batch.id) this.events.publish(station.name, { kind: 'station', station: touched })
    station = touched
    entry.batchId = station.batch.id
    if (this.debouncer.check(station.name, data, at).duplicate) {
      return this.finish(input, entry, { outcome: 'warning', code: 'DUPLICATE_SCAN', message: `${data} was read twice within ${this.debouncer.windowMs / 1000} s; the second read was ignored.`, ...symbologyPart })
    }
    // Stations have no editing: the open record never has unsaved changes, so a scan replaces it.
    const route = routeScan({ name: station.name, mode: station.mode, target: station.target, advanceTo: station.advanceTo, allowBackward: station.allowBackward, openRecord: station.openRecord && { ...station.openRecord, unsaved: false } }, data, aimId)
    switch (route.action) {
      case 'card':
        return this.applyCard(input, entry, station, route.card)
      case 'refuse':
        return this.refuse(input, entry, route.code, route.message, symbologyPart)
      case 'open':
        return this.open(input, entry, station, route.payload, data, symbologyPart)
      case 'advance':
        return this.advance(input, entry, station, route.payload.number, route.to, route.allowBackward, symbologyPart)
    }
  }

  private refuse(input: ScanInput, entry: ScanLogEntry, code: ScanCode, message: string, extra: Extra = {}): Promise<ScanResult> {
    return this.finish(input, entry, { ...extra, outcome: severityOf(code), code, message })
  }

  private async open(input: ScanInput, entry: ScanLogEntry, station: Station, payload: ParsedPayload, data: string, extra: Extra): Promise<ScanResult> {
    let found: { type: RecordType; record: AnyRecordView }
    try {
      found = await lookupPayload(this.stores, payload, data)
    } catch (err) {
      if (err instanceof AppError && (err.code === 'RECORD_NOT_FOUND' || err.code === 'BARCODE_INVALID')) return this.refuse(input, entry, err.code, err.message, extra)
      throw err
    }
    const about = await this.describe(found.type, found.record)
    entry.recordType = found.type
    entry.recordId = found.record.id
    await this.stations.open(station.name, { type: found.type, id: found.record.id })
    entry.outcome = 'opened'
    const replaced = station.openRecord && (station.openRecord.type !== found.type || station.openRecord.id !== found.record.id) ? { replaced: { type: station.openRecord.type, id: station.openRecord.id } } : {}
    return this.finish(input, entry, { ...extra, outcome: 'opened', ...replaced, ...about })
  }

  private async advance(input: ScanInput, entry: ScanLogEntry, station: Station, productionOrderNumber: number, to: string | undefined, allowBackward: boolean, extra: Extra): Promise<ScanResult> {
    const order = await this.stores.orders.findByProductionOrderNumber(productionOrderNumber)
    if (!order) return this.refuse(input, entry, 'RECORD_NOT_FOUND', `No production order has the number ${productionOrderNumber}.`, extra)
    entry.recordType = 'production-order'
    entry.recordId = order.id
    entry.orderId = order.id
    const tracks = await this.stores.settings.tracks()
    if (await this.scanLog.advancedInBatch(station.name, order.id, station.batch.id)) {
      return this.refuse(input, entry, 'DUPLICATE_SCAN', `This order was already scanned in this batch at ${station.name}; it was not moved again.`, { ...extra, ...(await this.describeOrder(order, tracks)) })
    }
    try {
      const client = await this.clientOf(order.clientId)
      let logged: { scanId: number; body: Omit<ScanResult, 'scanId'> } | null = null
      let notice: { scanId: number; body: Omit<ScanResult, 'scanId'> } | null = null
      // The scan-log row commits with the advance: duplicate-in-batch (read from the log) can never
      // miss an advance that happened, whatever fails after it or whichever server scans next.
      await advanceStatus(
        this.stores,
        order,
        to,
        { by: input.by, station: station.name },
        'scan',
        async (trx, advanced) => {
          // Another station moved this bag just before, in its current batch: intended (a different
          // station is a different step) and shown on both screens.
          const previous = await this.previousStepElsewhere(trx, order.id, station.name)
          entry.fromStatus = advanced.from.key
          entry.toStatus = advanced.to.key
          entry.orderVersion = advanced.order.version
          const orderPart = this.orderPart(advanced.order, tracks, client)
          const body = this.resultBody(input, entry, {
            ...extra,
            outcome: 'advanced',
            from: advanced.from.key,
            fromName: advanced.from.name,
            to: advanced.to.key,
            toName: advanced.to.name,
            flags: advanced.flags,
            ...(previous ? { alsoMovedAt: previous.station } : {}),
            ...orderPart,
          })
          logged = { scanId: await this.scanLog.append(entry, body, trx), body }
          if (previous) {
            const code = 'MOVED_ON_ELSEWHERE'
            const other: ScanLogEntry = { ...entry, station: previous.station, scanner: null, outcome: 'warning', code, fromStatus: null, toStatus: null, orderVersion: null, batchId: previous.batchId }
            const otherBody: Omit<ScanResult, 'scanId'> = {
              station: previous.station,
              scanner: null,
              source: input.source,
              data: entry.data,
              outcome: 'warning',
              code,
              message: `Moved on at ${station.name}: ${advanced.from.name} → ${advanced.to.name}, just after this station moved it.`,
              movedAt: station.name,
              ...(previous.batchId !== null ? { batch: previous.batchId } : {}),
              ...orderPart,
              at: body.at,
            }
            notice = { scanId: await this.scanLog.append(other, otherBody, trx), body: otherBody }
          }
        },
        { allowBackward },
      )
      const done = logged as { scanId: number; body: Omit<ScanResult, 'scanId'> } | null
      if (!done) throw new Error('advance committed without its scan-log row')
      const moved = notice as { scanId: number; body: Omit<ScanResult, 'scanId'> } | null
      if (moved) this.announce(moved.scanId, moved.body)
      return this.announce(done.scanId, done.body)
    } catch (err) {
      if (err instanceof AdvanceRefusedError) {
        return this.refuse(input, entry, err.refusal, err.message, { ...extra, ...(await this.describeOrder(order, tracks)) })
      }
      if (err instanceof ConcurrentChangeError) {
        // Another station got there first: report where the order is now, never advance again.
        const now = (await this.stores.orders.find(order.id)) ?? order
        return this.refuse(input, entry, 'CONCURRENT_CHANGE', err.message, { ...extra, ...(await this.describeOrder(now, tracks)) })
      }
      throw err
    }
  }

  private async applyCard(input: ScanInput, entry: ScanLogEntry, station: Station, card: ScanCard): Promise<ScanResult> {
    switch (card.kind) {
      case 'mode':
      case 'target': {
        let patch: { mode: StationMode; advanceTo: string | null }
        if (card.kind === 'mode') patch = { mode: card.mode, advanceTo: card.mode === 'advance' ? null : station.advanceTo }
        else {
          try {
            patch = { mode: 'advance', advanceTo: await this.checkTarget(card.status) }
          } catch (err) {
            if (err instanceof AppError && err.code === 'STATUS_NOT_IN_TRACK') return this.refuse(input, entry, 'STATUS_NOT_IN_TRACK', err.message)
            throw err
          }
        }
        const updated = await this.stations.update(station.name, patch)
        this.debouncer.clear(station.name)
        // Keep this card's read in the window so a double-read of it is a duplicate.
        this.debouncer.check(station.name, entry.data, input.at ?? this.now())
        entry.outcome = 'mode-changed'
        const message = updated.mode === 'lookup' ? `${updated.name} now opens records.` : updated.advanceTo ? `${updated.name} now sets orders to "${updated.advanceTo}".` : `${updated.name} now moves each order to its next status.`
        const result = await this.finish(input, entry, { outcome: 'mode-changed', code: 'MODE_CHANGED', message, mode: updated.mode, advanceTo: updated.advanceTo })
        this.events.publish(station.name, { kind: 'station', station: updated })
        return result
      }
      case 'close': {
        await this.stations.close(station.name)
        entry.outcome = 'closed'
        const result = await this.finish(input, entry, { outcome: 'closed', code: 'RECORD_CLOSED', message: `${station.name} is ready for the next record.` })
        this.events.publish(station.name, { kind: 'station', station: await this.stations.get(station.name) })
        return result
      }
      case 'undo':
        try {
          return await this.undoNow(station, input, entry)
        } catch (err) {
          if (err instanceof ConflictError) return this.finish(input, entry, { outcome: severityOf(err.code), code: err.code, message: err.message })
          throw err
        }
      case 'batch': {
        // A batch with nothing in it yet is not replaced: a double click or a card read again starts one batch.
        const fresh = await this.scanLog.batchIsEmpty(station.name, station.batch.id)
        const updated = fresh ? station : await this.stations.newBatch(station.name)
        this.debouncer.clear(station.name)
        this.debouncer.check(station.name, entry.data, input.at ?? this.now())
        entry.batchId = updated.batch.id
        const result = await this.finish(input, entry, { outcome: 'batch-started', code: 'BATCH_STARTED', message: `Batch ${updated.batch.id} started at ${updated.name}.` })
        this.events.publish(station.name, { kind: 'station', station: updated })
        return result
      }
    }
  }

  /**
   * The order's previous status change, when another station made it by a scan in that station's
   * current batch (ids, not clocks): that station's screen is told the bag moved on.
   */
  private async previousStepElsewhere(trx: Transaction<Database>, orderId: number, here: string): Promise<{ station: string; batchId: number | null } | null> {
    const rows = await trx.selectFrom('status_history').select(['station']).where('order_id', '=', orderId).orderBy('id', 'desc').limit(2).execute()
    const previous = rows[1]?.station ?? null
    if (previous === null || previous === here) return null
    const row = await trx
      .selectFrom('scan_log')
      .innerJoin('stations', (j) => j.onRef('stations.name', '=', 'scan_log.station').onRef('stations.batch_id', '=', 'scan_log.batch_id'))
      .select(['scan_log.batch_id as batchId'])
      .where('scan_log.station', '=', previous)
      .where('scan_log.order_id', '=', orderId)
      .where('scan_log.outcome', '=', 'advanced')
      .where('scan_log.undone_at', 'is', null)
      .orderBy('scan_log.id', 'desc')
      .limit(1)
      .executeTakeFirst()
    return row ? { station: previous, batchId: row.batchId === null ? null : Number(row.batchId) } : null
  }

  // ------------------------------------------------------------ undo
  /**
   * Undoes the station's last advance of its current batch, once, by HTTP; 409 NOTHING_TO_UNDO
   * when it is undone already (or there is none), UNDO_REFUSED when the order moved since.
   */
  undo(stationName: string, by: string): Promise<ScanResult> {
    return this.serial(stationName, async () => {
      const station = await this.stations.touchBatch(await this.stations.get(stationName), (await this.scanningPreferences()).batchIdleMinutes * 60_000)
      const entry: ScanLogEntry = { station: station.name, scanner: null, source: 'http', data: 'STATION-UNDO', outcome: 'undone', code: null, recordType: null, recordId: null, orderId: null, fromStatus: null, toStatus: null, orderVersion: null, at: this.now(), batchId: station.batch.id }
      return this.undoNow(station, { station: station.name, data: 'STATION-UNDO', source: 'http', by }, entry)
    })
  }

  private nothingToUndo(station: Station): ConflictError {
    return new ConflictError('NOTHING_TO_UNDO', `Nothing to undo at ${station.name}: the last status change of this batch is undone already, or there is none.`, { station: station.name, batch: station.batch.id })
  }

  /** The revert, the advance marked undone and the undo's own log row commit in one transaction, or none does. */
  private async undoNow(station: Station, input: ScanInput, entry: ScanLogEntry): Promise<ScanResult> {
    const last = await this.scanLog.lastUndoable(station.name, station.batch.id)
    if (!last) throw this.nothingToUndo(station)
    const order = await this.stores.orders.find(last.orderId)
    if (!order || order.status !== last.toStatus || order.version !== last.orderVersion) {
      throw new ConflictError('UNDO_REFUSED', `The order has changed since ${station.name} moved it (it is now "${order?.status ?? 'gone'}"); nothing was undone.`, { orderId: last.orderId, status: order?.status })
    }
    const now = this.stores.clock()
    const tracks = await this.stores.settings.tracks()
    const track = trackFor(tracks, order.orderType)
    const back = findStatus(track, last.fromStatus)
    const fromStatus = findStatus(track, last.toStatus)
    const statusDueDate = dueDate(now, back?.durationDays ?? 0)
    const reverted: ProductionOrder = { ...order, status: last.fromStatus, statusDueDate, version: order.version + 1, updatedAt: now.toISOString() }
    const client = await this.clientOf(order.clientId)
    entry.outcome = 'undone'
    entry.recordType = 'production-order'
    entry.recordId = order.id
    entry.orderId = order.id
    entry.fromStatus = last.toStatus
    entry.toStatus = last.fromStatus
    let logged: { scanId: number; body: Omit<ScanResult, 'scanId'> } | null = null
    const applied = await this.stores.orders.applyAdvance(order, last.fromStatus, statusDueDate, { by: input.by, station: station.name }, now, async (trx) => {
      // Another server undid it first (its order compare-and-set lost to ours is impossible, but a
      // second undo of the same advance must fail here): nothing of this undo is written.
      if (!(await this.scanLog.markUndone(last.scanId, now.getTime(), trx))) throw this.nothingToUndo(station)
      const body = this.resultBody(input, entry, {
        outcome: 'undone',
        code: 'ADVANCE_UNDONE',
        message: `Undone: back to ${back?.name ?? last.fromStatus}.`,
        from: last.toStatus,
        fromName: fromStatus?.name ?? last.toStatus,
        to: last.fromStatus,
        toName: back?.name ?? last.fromStatus,
        ...this.orderPart(reverted, tracks, client),
      })
      logged = { scanId: await this.scanLog.append(entry, body, trx), body }
    })
    const done = logged as { scanId: number; body: Omit<ScanResult, 'scanId'> } | null
    if (!applied || !done) {
      if (!(await this.scanLog.lastUndoable(station.name, station.batch.id))) throw this.nothingToUndo(station)
      throw new ConflictError('UNDO_REFUSED', 'Another station or person changed this order at the same moment; nothing was undone.', { orderId: order.id })
    }
    return this.announce(done.scanId, done.body)
  }

  // ------------------------------------------------------------ results
  private async finish(input: ScanInput, entry: ScanLogEntry, part: Partial_): Promise<ScanResult> {
    const body = this.resultBody(input, entry, part)
    return this.announce(await this.scanLog.append(entry, body), body)
  }

  private resultBody(input: ScanInput, entry: ScanLogEntry, part: Partial_): Omit<ScanResult, 'scanId'> {
    entry.outcome = part.outcome
    entry.code = part.code ?? null
    return { station: entry.station, scanner: entry.scanner, source: input.source, data: entry.data, ...part, ...(entry.batchId != null ? { batch: entry.batchId } : {}), at: new Date(entry.at).toISOString() }
  }

  /** Pushes a logged result to the station's subscribers. */
  private announce(scanId: number, body: Omit<ScanResult, 'scanId'>): ScanResult {
    const result: ScanResult = { scanId, ...body }
    this.events.publish(result.station, { kind: 'scan', result })
    const level = result.outcome === 'error' ? 'info' : 'debug'
    this.log[level]({ scanId, station: result.station, scanner: result.scanner, outcome: result.outcome, code: result.code }, 'scan handled')
    return result
  }

  private async describe(type: RecordType, record: AnyRecordView): Promise<Extra> {
    if (type === 'production-order') return this.describeOrder(record as ProductionOrder, await this.stores.settings.tracks())
    const clientId = type === 'client' ? record.id : (record as { clientId: number }).clientId
    return { type, record, ...(await this.clientOf(clientId)) }
  }

  private async describeOrder(order: ProductionOrder, tracks: StatusTrack[]): Promise<Extra> {
    return this.orderPart(order, tracks, await this.clientOf(order.clientId))
  }

  private orderPart(order: ProductionOrder, tracks: StatusTrack[], client: Extra): Extra {
    const status = findStatus(trackFor(tracks, order.orderType), order.status)
    return { type: 'production-order', record: orderView(order), status: { key: order.status, name: status?.name ?? order.status }, ...client }
  }

  private async clientOf(clientId: number | null): Promise<Extra> {
    if (clientId === null) return {}
    const client = await this.stores.clients.find(clientId)
    return client ? { client: { id: client.id, number: client.number, name: fullName(client) } } : {}
  }
}

export { STATION_MODES, viewOf }
