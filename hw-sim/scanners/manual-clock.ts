import type { Clock, Timers } from '../../src/drivers/scanners/scanner.ts'

/**
 * A clock and timers driven by hand: `advance(ms)` moves time and runs the timers that fall due,
 * in order. Injected into framers, debouncers and scanners instead of faking global timers
 * around stream I/O.
 */
export class ManualClock implements Clock, Timers {
  private time: number
  private nextId = 1
  private readonly pending = new Map<number, { at: number; fn: () => void }>()

  constructor(start = 1_700_000_000_000) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++
    this.pending.set(id, { at: this.time + Math.max(0, ms), fn })
    return id
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number)
  }

  /** Timers waiting to fire. */
  get timerCount(): number {
    return this.pending.size
  }

  advance(ms: number): void {
    const until = this.time + ms
    for (;;) {
      let next: [number, { at: number; fn: () => void }] | undefined
      for (const entry of this.pending) if (entry[1].at <= until && (!next || entry[1].at < next[1].at)) next = entry
      if (!next) break
      this.pending.delete(next[0])
      this.time = next[1].at
      next[1].fn()
    }
    this.time = until
  }
}
