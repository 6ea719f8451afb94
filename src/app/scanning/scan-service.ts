import type { Logger } from 'pino'
import type { Stores } from '../stores.ts'
import type { ProductionOrder, RecordType } from '../../domain/records.ts'
import { fullName } from '../../domain/records.ts'
import { AppError, ConflictError, ValidationError } from '../../domain/errors.ts'
import { AdvanceRefusedError, dueDate, findStatus, trackFor, type StatusTrack } from '../../domain/status-track.ts'
import { routeScan, severityOf, STATION_MODES, type ScanCode, type StationMode } from '../../domain/scan-routing.ts'
import { scanCardsFor, type ScanCard, type ScanCardEntry } from '../../domain/scan-cards.ts'
import { decodeScan, printable } from '../../drivers/scanners/scan-decoder.ts'
import { ScanDebouncer, DEFAULT_DEBOUNCE_MS } from '../../drivers/scanners/scan-debounce.ts'
import { StationStore, type Station } from '../../store/station-store.ts'
import { ScanLogStore, type ScanLogEntry } from '../../store/scan-log-store.ts'
import { advanceStatus, ConcurrentChangeError } from '../advance-status.ts'
import { lookupBarcode } from '../lookup.ts'
import { orderView, viewOf, type AnyRecordView } from '../record-views.ts'
import type { ScanResult } from './scan-result.ts'
import type { StationEvents } from './station-events.ts'

/** How long after an advance the station may undo it. */
export const UNDO_WINDOW_MS = 5 * 60_000

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
  /** Epoch ms the scan was read (debounce); now by default. */
  at?: number
}

export interface ScanServiceOptions {
  stores: Stores
  events: StationEvents
  log: Logger
  debounceMs?: number
  undoWindowMs?: number
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
  private readonly undoWindowMs: number
  private readonly queues = new Map<string, Promise<unknown>>()

  constructor(options: ScanServiceOptions) {
    this.stores = options.stores
    this.events = options.events
    this.log = options.log
    const db = options.stores.database.db
    this.stations = new StationStore(db, options.stores.clock)
    this.scanLog = new ScanLogStore(db)
    this.debouncer = new ScanDebouncer(options.debounceMs ?? DEFAULT_DEBOUNCE_MS, { now: () => this.now() })
    this.undoWindowMs = options.undoWindowMs ?? UNDO_WINDOW_MS
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

  async updateStation(name: string, patch: { mode?: StationMode; advanceTo?: string | null }): Promise<Station> {
    if (patch.advanceTo !== undefined) await this.checkTarget(patch.advanceTo)
    const station = await this.serial(name, () => this.stations.update(name, patch))
    this.debouncer.clear(name)
    this.events.publish(name, { kind: 'station', station })
    return station
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
    return scanCardsFor(tracks.flatMap((t) => t.statuses.filter((s) => s.kind !== 'initial')))
  }

  // ------------------------------------------------------------ scans
  /** Handles one scan; throws STATION_NOT_FOUND for an unknown station, else always returns a result. */
  scan(input: ScanInput): Promise<ScanResult> {
    return this.serial(input.station, () => this.handle(input))
  }

  private async handle(input: ScanInput): Promise<ScanResult> {
    const station = await this.stations.get(input.station)
    const at = input.at ?? this.now()
    let data = input.data
    let symbology = input.symbology ?? null
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
      const decoded = decodeScan(data)
      if (!decoded.ok) return this.finish(input, entry, { outcome: 'error', code: 'BARCODE_INVALID', message: decoded.error.message })
      data = decoded.data
      symbology = decoded.symbology
      entry.data = data
    }
    const symbologyPart: Extra = symbology ? { symbology } : {}
    if (this.debouncer.check(station.name, data, at).duplicate) {
      return this.finish(input, entry, { outcome: 'warning', code: 'DUPLICATE_SCAN', message: `${data} was read twice within ${this.debouncer.windowMs / 1000} s; the second read was ignored.`, ...symbologyPart })
    }
    const route = routeScan({ name: station.name, mode: station.mode, advanceTo: station.advanceTo, openRecord: station.openRecord }, data)
    switch (route.action) {
      case 'card':
        return this.applyCard(input, entry, station, route.card)
      case 'refuse':
        return this.refuse(input, entry, route.code, route.message, symbologyPart)
      case 'open':
        return this.open(input, entry, station, data, symbologyPart)
      case 'advance':
        return this.advance(input, entry, station, route.payload.number, route.to, symbologyPart)
    }
  }

  private refuse(input: ScanInput, entry: ScanLogEntry, code: ScanCode, message: string, extra: Extra = {}): Promise<ScanResult> {
    return this.finish(input, entry, { ...extra, outcome: severityOf(code), code, message })
  }

  private async open(input: ScanInput, entry: ScanLogEntry, station: Station, data: string, extra: Extra): Promise<ScanResult> {
    let found: { type: RecordType; record: AnyRecordView }
    try {
      found = await lookupBarcode(this.stores, data)
    } catch (err) {
      if (err instanceof AppError && (err.code === 'RECORD_NOT_FOUND' || err.code === 'BARCODE_INVALID')) return this.refuse(input, entry, err.code, err.message, extra)
      throw err
    }
    const about = await this.describe(found.type, found.record)
    entry.recordType = found.type
    entry.recordId = found.record.id
    if (!(await this.stations.open(station.name, { type: found.type, id: found.record.id }))) {
      return this.refuse(input, entry, 'RECORD_ALREADY_OPEN', `A record is open at ${station.name}; close it before scanning the next one.`, { ...extra, ...about })
    }
    entry.outcome = 'opened'
    return this.finish(input, entry, { ...extra, outcome: 'opened', ...about })
  }

  private async advance(input: ScanInput, entry: ScanLogEntry, station: Station, productionOrderNumber: number, to: string | undefined, extra: Extra): Promise<ScanResult> {
    const order = await this.stores.orders.findByProductionOrderNumber(productionOrderNumber)
    if (!order) return this.refuse(input, entry, 'RECORD_NOT_FOUND', `No production order has the number ${productionOrderNumber}.`, extra)
    entry.recordType = 'production-order'
    entry.recordId = order.id
    entry.orderId = order.id
    const tracks = await this.stores.settings.tracks()
    if (await this.scanLog.advancedInBatch(station.name, order.id, Date.parse(station.batchStartedAt))) {
      return this.refuse(input, entry, 'DUPLICATE_SCAN', `This order was already scanned in this batch at ${station.name}; it was not moved again.`, { ...extra, ...(await this.describeOrder(order, tracks)) })
    }
    try {
      const client = await this.clientOf(order.clientId)
      let logged: { scanId: number; body: Omit<ScanResult, 'scanId'> } | null = null
      // The scan-log row commits with the advance: duplicate-in-batch (read from the log) can never
      // miss an advance that happened, whatever fails after it or whichever server scans next.
      await advanceStatus(this.stores, order, to, { by: input.by, station: station.name }, 'scan', async (trx, advanced) => {
        entry.fromStatus = advanced.from.key
        entry.toStatus = advanced.to.key
        entry.orderVersion = advanced.order.version
        const body = this.resultBody(input, entry, {
          ...extra,
          outcome: 'advanced',
          from: advanced.from.key,
          fromName: advanced.from.name,
          to: advanced.to.key,
          toName: advanced.to.name,
          flags: advanced.flags,
          ...this.orderPart(advanced.order, tracks, client),
        })
        logged = { scanId: await this.scanLog.append(entry, body, trx), body }
      })
      const done = logged as { scanId: number; body: Omit<ScanResult, 'scanId'> } | null
      if (!done) throw new Error('advance committed without its scan-log row')
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
          if (err instanceof ConflictError) return this.finish(input, entry, { outcome: 'error', code: err.code, message: err.message })
          throw err
        }
    }
  }

  // ------------------------------------------------------------ undo
  /** Undoes the station's last advance (within the undo window) by HTTP; 409 when it can't. */
  undo(stationName: string, by: string): Promise<ScanResult> {
    return this.serial(stationName, async () => {
      const station = await this.stations.get(stationName)
      const entry: ScanLogEntry = { station: station.name, scanner: null, source: 'http', data: 'STATION-UNDO', outcome: 'undone', code: null, recordType: null, recordId: null, orderId: null, fromStatus: null, toStatus: null, orderVersion: null, at: this.now() }
      return this.undoNow(station, { station: station.name, data: 'STATION-UNDO', source: 'http', by }, entry)
    })
  }

  private async undoNow(station: Station, input: ScanInput, entry: ScanLogEntry): Promise<ScanResult> {
    const now = this.now()
    const last = await this.scanLog.lastAdvance(station.name, now - this.undoWindowMs)
    if (!last) throw new ConflictError('NOTHING_TO_UNDO', `${station.name} has no status change of the last ${Math.round(this.undoWindowMs / 60_000)} minutes to undo.`, { station: station.name })
    const order = await this.stores.orders.find(last.orderId)
    if (!order || order.status !== last.toStatus || order.version !== last.orderVersion) {
      throw new ConflictError('UNDO_REFUSED', `The order has changed since ${station.name} moved it (it is now "${order?.status ?? 'gone'}"); nothing was undone.`, { orderId: last.orderId, status: order?.status })
    }
    const tracks = await this.stores.settings.tracks()
    const track = trackFor(tracks, order.orderType)
    const back = findStatus(track, last.fromStatus)
    const applied = await this.stores.orders.applyAdvance(order, last.fromStatus, dueDate(new Date(now), back?.durationDays ?? 0), { by: input.by, station: station.name }, new Date(now))
    if (!applied) throw new ConflictError('UNDO_REFUSED', 'Another station or person changed this order at the same moment; nothing was undone.', { orderId: order.id })
    await this.scanLog.markUndone(last.scanId, now)
    const reverted: ProductionOrder = { ...order, status: last.fromStatus, version: order.version + 1 }
    entry.outcome = 'undone'
    entry.recordType = 'production-order'
    entry.recordId = order.id
    entry.fromStatus = last.toStatus
    entry.toStatus = last.fromStatus
    const fromStatus = findStatus(track, last.toStatus)
    return this.finish(input, entry, {
      outcome: 'undone',
      code: 'ADVANCE_UNDONE',
      message: `Undone: back to ${back?.name ?? last.fromStatus}.`,
      from: last.toStatus,
      fromName: fromStatus?.name ?? last.toStatus,
      to: last.fromStatus,
      toName: back?.name ?? last.fromStatus,
      ...(await this.describeOrder((await this.stores.orders.find(order.id)) ?? reverted, tracks)),
    })
  }

  // ------------------------------------------------------------ results
  private async finish(input: ScanInput, entry: ScanLogEntry, part: Partial_): Promise<ScanResult> {
    const body = this.resultBody(input, entry, part)
    return this.announce(await this.scanLog.append(entry, body), body)
  }

  private resultBody(input: ScanInput, entry: ScanLogEntry, part: Partial_): Omit<ScanResult, 'scanId'> {
    entry.outcome = part.outcome
    entry.code = part.code ?? null
    return { station: entry.station, scanner: entry.scanner, source: input.source, data: entry.data, ...part, at: new Date(entry.at).toISOString() }
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
