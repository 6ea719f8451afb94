import type { EventEmitter } from 'node:events'

/**
 * What every scanner driver (serial, USB keyboard, USB HID-POS, sim) shares: one seam for the
 * kind of hardware "thing that reads barcodes". A driver emits decoded scans and rejected frames,
 * keeps its own connection alive (reconnecting with backoff after an unplug), and reports state.
 */

/** A good scan: the data without AIM identifier, trimmed, GS (0x1D) kept. */
export interface ScanEvent {
  scanner: string
  /** The station the scanner was added for, when the hub was told. */
  station?: string
  data: string
  /** Symbology name read from the AIM identifier (`]C1` → 'GS1-128'), or null when none was sent. */
  symbology: string | null
  /** The AIM identifier as sent (`]C1`), or null. */
  aimId: string | null
  /** Epoch milliseconds (injected clock) when the frame completed. */
  at: number
}

/** A frame that was read but refused (too long, control bytes, bad encoding …): never dropped silently. */
export interface RejectedScanEvent {
  scanner: string
  station?: string
  error: { code: string; message: string; reason?: string }
  /** The frame as printable text: control bytes as \xNN, cut at 512 characters. */
  raw: string
  /** Length of the frame in bytes (serial) or characters (USB keyboard). */
  rawLength: number
  at: number
}

export interface ScannerState {
  connected: boolean
  /** Epoch ms of the last good scan, or null. */
  lastScanAt: number | null
  /** The last connection or read error (not rejected frames: those are events), or null. */
  lastError: { code: string; message: string; at: number } | null
  /** How many times the driver connected again after losing the device. */
  reconnects: number
}

export interface ScannerEvents {
  scan: [ScanEvent]
  rejected: [RejectedScanEvent]
  state: [ScannerState]
}

/** One scanner. `open()` resolves after the first connection attempt, connected or not: a scanner
 * that is not plugged in yet keeps being retried in the background (see `state().lastError`). */
export interface Scanner extends EventEmitter<ScannerEvents> {
  readonly name: string
  readonly uri: string
  open(): Promise<void>
  /** Stops reconnecting and releases the device. Idempotent. */
  close(): Promise<void>
  state(): ScannerState
}

/** Timer functions, injected so that tests drive time by hand (no fake timers around stream I/O). */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

export interface Clock {
  now(): number
}

export const systemTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

export const systemClock: Clock = { now: () => Date.now() }

/** Reconnect backoff: initialMs, doubled after each failed attempt, capped at maxMs. */
export interface Backoff {
  initialMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 200, maxMs: 5_000 }

export function nextDelay(backoff: Backoff, attempt: number): number {
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 20))
}
