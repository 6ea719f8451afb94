import { EventEmitter } from 'node:events'
import type { ScanResult, ScannerStateView } from './scan-result.ts'
import type { Station } from '../../store/station-store.ts'

/** What a station's subscribers hear: scan results (with ids), and scanner / station changes. */
export type StationEvent =
  | { kind: 'scan'; result: ScanResult }
  | { kind: 'scanner'; scanner: string; state: ScannerStateView }
  | { kind: 'station'; station: Station | null }

export type StationListener = (event: StationEvent) => void

/** In-process fan-out of a station's events (SSE streams, web pages, tests). */
export class StationEvents {
  private readonly emitter = new EventEmitter()

  constructor() {
    this.emitter.setMaxListeners(0)
  }

  publish(station: string, event: StationEvent): void {
    this.emitter.emit(station, event)
  }

  /** Listens to one station; returns the unsubscribe function. */
  subscribe(station: string, listener: StationListener): () => void {
    this.emitter.on(station, listener)
    return () => this.emitter.off(station, listener)
  }

  listenerCount(station: string): number {
    return this.emitter.listenerCount(station)
  }
}
