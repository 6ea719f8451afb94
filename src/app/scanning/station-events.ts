import { EventEmitter } from 'node:events'
import type { ScanResult, ScannerStateView } from './scan-result.ts'
import type { Station } from '../../store/station-store.ts'

/** What a station's subscribers hear: scan results (with ids), and scanner / station changes. */
export type StationEvent =
  | { kind: 'scan'; result: ScanResult }
  | { kind: 'scanner'; scanner: string; state: ScannerStateView }
  | { kind: 'station'; station: Station | null }

export type StationListener = (event: StationEvent) => void

/** The slice of the scan log a stream tails (`ScanLogStore` has it). */
export interface ScanLogTail {
  /** The station's results after `afterId`, oldest first, at most `limit`. */
  since<R>(station: string, afterId: number, limit: number): Promise<Array<{ scanId: number; result: R }>>
  /** The station's highest scan id (0 when it has none). */
  lastId(station: string): Promise<number>
}

/** The slice of the station event log a stream tails (`StationEventLogStore` has it). */
export interface StationEventLog {
  /** Writes one scanner or station event (data as the stream writes it, JSON); returns its id. */
  append(station: string, kind: string, data: string): Promise<number>
  /** The station's events after `afterId`, oldest first, at most `limit`. */
  since(station: string, afterId: number, limit: number): Promise<Array<{ id: number; kind: string; data: string }>>
  /** The station's highest event id (0 when it has none). */
  lastId(station: string): Promise<number>
  /** The station's newest events of `kind`, newest first, at most `limit`, with when each was written. */
  latest(station: string, kind: string, limit: number): Promise<Array<{ id: number; data: string; at: number }>>
}

export interface StationEventsOptions {
  /** The scan log: streams read scans from it, so that they see every server's scans. */
  tail?: ScanLogTail
  /**
   * The station event log: scanner and station events are written to it and streams read them
   * from it, so that they see every server's. Without it they reach this process's streams only.
   */
  eventLog?: StationEventLog
  /** How often an idle stream looks at the log for scans another server took (default 500 ms). */
  pollMs?: number
  /** Rows read per query (default 1000). */
  pageSize?: number
  /** Told when a read of the log fails (the stream tries again at the next poll), or a write of the event log fails. */
  onError?: (err: unknown, station: string) => void
}

/** Frames of `text/event-stream`, written by a stream in order. */
export type StreamWriter = (frame: string) => void

export const DEFAULT_EVENTS_POLL_MS = 500

/**
 * A station's events. `subscribe` is the in-process fan-out (scanner state, station changes, and
 * the scans this process handled). `stream` is what a screen follows: scans come from the scan
 * log — whichever server took them — in id order, resumable at any id; a local scan wakes the
 * stream at once, another server's is found by the next poll (an indexed read of the station's
 * highest id). Scan ids of one station commit in id order (the log's writes are serialized per
 * station), so a stream that has passed an id never sees a lower one appear later.
 */
export class StationEvents {
  private readonly emitter = new EventEmitter()
  private readonly pollMs: number
  private readonly pageSize: number
  /** Per station, the last event-log write: a station's events are written in the order they were published. */
  private readonly writes = new Map<string, Promise<void>>()

  constructor(private readonly options: StationEventsOptions = {}) {
    this.emitter.setMaxListeners(0)
    this.pollMs = options.pollMs ?? DEFAULT_EVENTS_POLL_MS
    this.pageSize = options.pageSize ?? 1000
  }

  /**
   * The state each scanner of `station` last reported through the event log (any server's), with
   * when (`reportedAt`, ISO); scanners with no report within the log's keep time are absent.
   */
  async reportedScannerStates(station: string): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>()
    const log = this.options.eventLog
    if (!log) return out
    for (const row of await log.latest(station, 'scanner', 200)) {
      const event = JSON.parse(row.data) as { scanner?: unknown } & Record<string, unknown>
      if (typeof event.scanner !== 'string' || out.has(event.scanner)) continue
      const { scanner, ...state } = event
      out.set(scanner, { ...state, reportedAt: new Date(row.at).toISOString() })
    }
    return out
  }

  /**
   * Tells the station's subscribers at once; a scanner or station event is also written to the
   * event log (when there is one), in publish order per station, and streams — this server's and
   * every other's — write it from there. Never throws: a failed write goes to `onError`.
   */
  publish(station: string, event: StationEvent): void {
    const log = this.options.eventLog
    if (log && event.kind !== 'scan') {
      const { kind, data } = frameOf(station, event)
      const previous = this.writes.get(station) ?? Promise.resolve()
      const written: Promise<void> = previous
        .then(() => log.append(station, kind, data))
        .then(
          () => void this.emitter.emit(WRITTEN, station),
          (err: unknown) => this.options.onError?.(err, station),
        )
      this.writes.set(station, written)
      void written.then(() => {
        if (this.writes.get(station) === written) this.writes.delete(station)
      })
    }
    this.emitter.emit(station, event)
  }

  /** Resolves when every event published so far is in the event log. */
  async flush(): Promise<void> {
    while (this.writes.size) await Promise.all([...this.writes.values()])
  }

  /** Listens to one station; returns the unsubscribe function. */
  subscribe(station: string, listener: StationListener): () => void {
    this.emitter.on(station, listener)
    return () => this.emitter.off(station, listener)
  }

  listenerCount(station: string): number {
    return this.emitter.listenerCount(station)
  }

  /**
   * Follows a station for a screen, writing SSE frames: each scan as `id: N` + its result, from
   * just after `lastEventId` (or from now when null); scanner and station changes as
   * `event: scanner` / `event: station`. A `lastEventId` above the station's highest stored id
   * (the log was restored or is a new database), at the start or later, is answered with
   * `event: resync` carrying `id:` the current highest id: the page reloads its state, and a
   * browser that reconnects resumes from there.
   *
   * Resolves once the starting point is fixed ("now" is the station's highest id when this is
   * called, read before the caller answers the request, and written first as a bare `id:` line),
   * with the function that starts writing and returns the stop function.
   */
  async stream(station: string, lastEventId: number | null, present: (result: ScanResult) => unknown = (r) => r): Promise<(write: StreamWriter) => () => void> {
    const tail = this.options.tail
    if (!tail) throw new Error('StationEvents.stream needs the scan log (options.tail)')
    // Scanner and station events are state, not history: a stream carries those from its start
    // on (the page reads the current state when it connects), never earlier ones.
    const eventStart = this.options.eventLog ? await this.options.eventLog.lastId(station) : 0
    if (lastEventId !== null) return (write) => this.follow(tail, station, lastEventId, eventStart, write, present)
    const start = await tail.lastId(station)
    return (write) => {
      // An `id:` line alone sets the browser's Last-Event-ID without an event: a reconnect before
      // the first scan then resumes from here instead of from a later "now".
      write(`id: ${start}\n\n`)
      return this.follow(tail, station, start, eventStart, write, present)
    }
  }

  private follow(tail: ScanLogTail, station: string, start: number, eventStart: number, write: StreamWriter, present: (result: ScanResult) => unknown): () => void {
    const eventLog = this.options.eventLog
    let stopped = false
    let cursor = start
    let eventCursor = eventStart
    let dirty = true
    let wake: (() => void) | null = null
    let timer: ReturnType<typeof setTimeout> | null = null
    const rouse = () => {
      dirty = true
      wake?.()
    }
    const unsubscribe = this.subscribe(station, (event) => {
      if (stopped) return
      if (event.kind === 'scan') rouse()
      else if (!eventLog) {
        const frame = frameOf(station, event)
        write(`event: ${frame.kind}\ndata: ${frame.data}\n\n`)
      }
    })
    // With an event log, this server's scanner and station events are read back from it once written.
    const written = (name: string) => name === station && rouse()
    if (eventLog) this.emitter.on(WRITTEN, written)
    const idle = () =>
      new Promise<void>((resolve) => {
        wake = resolve
        timer = setTimeout(resolve, this.pollMs)
      }).finally(() => {
        wake = null
        if (timer !== null) clearTimeout(timer)
        timer = null
      })
    const catchUp = async (): Promise<void> => {
      const highest = await tail.lastId(station)
      if (highest < cursor) {
        write(`event: resync\nid: ${highest}\ndata: ${JSON.stringify({ station, lastEventId: cursor, currentId: highest })}\n\n`)
        cursor = highest
        return
      }
      while (!stopped && highest > cursor) {
        const rows = await tail.since<ScanResult>(station, cursor, this.pageSize)
        for (const row of rows) {
          if (stopped) return
          cursor = row.scanId
          write(`id: ${row.scanId}\ndata: ${JSON.stringify(present(row.result))}\n\n`)
        }
        if (rows.length < this.pageSize) break
      }
      if (eventLog) await catchUpEvents(eventLog)
    }
    const catchUpEvents = async (log: StationEventLog): Promise<void> => {
      const highest = await log.lastId(station)
      // Rows gone (pruned, restored): carry on from what is there; these events carry no ids.
      if (highest < eventCursor) eventCursor = highest
      while (!stopped && highest > eventCursor) {
        const rows = await log.since(station, eventCursor, this.pageSize)
        for (const row of rows) {
          if (stopped) return
          eventCursor = row.id
          write(`event: ${row.kind}\ndata: ${row.data}\n\n`)
        }
        if (rows.length < this.pageSize) return
      }
    }
    void (async () => {
      while (!stopped) {
        dirty = false
        try {
          await catchUp()
        } catch (err) {
          this.options.onError?.(err, station)
          dirty = false
        }
        if (!stopped && !dirty) await idle()
      }
    })()
    return () => {
      stopped = true
      unsubscribe()
      this.emitter.off(WRITTEN, written)
      wake?.()
    }
  }
}

/** The emitter event that says a station's event was written to the event log (its argument: the station). */
const WRITTEN = Symbol('written')

/** A scanner or station event as a stream writes it: `event: KIND` and its data (JSON). */
function frameOf(station: string, event: Exclude<StationEvent, { kind: 'scan' }>): { kind: 'scanner' | 'station'; data: string } {
  if (event.kind === 'scanner') return { kind: 'scanner', data: JSON.stringify({ scanner: event.scanner, ...event.state }) }
  return { kind: 'station', data: JSON.stringify(event.station ?? { name: station, deleted: true }) }
}
