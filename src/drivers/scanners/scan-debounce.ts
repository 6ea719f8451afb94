import { systemClock, type Clock } from './scanner.ts'

export const DEFAULT_DEBOUNCE_MS = 1500

export interface DebounceDecision {
  duplicate: boolean
  /** When the same (station, data) was last accepted, for a duplicate. */
  firstAt?: number
}

/**
 * Drops the same (station, data) read again within `windowMs` of the last *accepted* read of it
 * (a presentation scanner re-reading a code held under it). Pure: time comes from the injected
 * clock or the scan's own `at`. The route layer answers a duplicate with `DUPLICATE_SCAN`.
 * Entries older than the window are pruned as it goes, so memory stays bounded by the number
 * of distinct codes read within one window.
 */
export class ScanDebouncer {
  private readonly seen = new Map<string, number>()
  private lastPrune = -Infinity

  constructor(
    readonly windowMs: number = DEFAULT_DEBOUNCE_MS,
    private readonly clock: Clock = systemClock,
  ) {}

  check(station: string, data: string, at: number = this.clock.now()): DebounceDecision {
    this.prune(at)
    const key = `${station}\u0000${data}`
    const last = this.seen.get(key)
    if (last !== undefined && at - last < this.windowMs && at >= last) return { duplicate: true, firstAt: last }
    this.seen.set(key, at)
    return { duplicate: false }
  }

  /** Forget a station's reads (e.g. when its mode changes). */
  clear(station?: string): void {
    if (station === undefined) return this.seen.clear()
    for (const key of this.seen.keys()) if (key.startsWith(`${station}\u0000`)) this.seen.delete(key)
  }

  get size(): number {
    return this.seen.size
  }

  private prune(now: number): void {
    if (now - this.lastPrune < this.windowMs) return
    this.lastPrune = now
    for (const [key, at] of this.seen) if (now - at >= this.windowMs) this.seen.delete(key)
  }
}
