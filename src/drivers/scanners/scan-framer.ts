import { Transform, type TransformCallback } from 'node:stream'
import { systemTimers, type Timers } from './scanner.ts'

const CR = 0x0d
const LF = 0x0a
const TAB = 0x09

/** Why a frame ended. `end` frames were cut by the stream ending (unplug mid-scan), `idle`
 * frames by an idle gap without a terminator, `broken` frames by a failed transfer: all three
 * are incomplete. */
export type FrameEnd = 'terminator' | 'suffix' | 'timeout' | 'end' | 'idle' | 'broken'

export interface RawFrame {
  /** The frame's bytes, prefix and suffix removed; at most `maxFrameBytes` of them. */
  bytes: Buffer
  /** How many bytes the frame really had (more than `bytes.length` when truncated). */
  length: number
  truncated: boolean
  endedBy: FrameEnd
  /** Overrides the scanner's AIM setting for this frame (HID-POS: the identifier has its own
   * field, so it is in front exactly when the scanner sent one). */
  aim?: 'on' | 'off'
}

export interface FramingOptions {
  /** A suffix configured on the scanner (`#`, ETX …) that ends a frame and is removed. CR, LF,
   * CRLF and Tab always end a frame as well. */
  suffix?: string | Uint8Array
  /** A prefix configured on the scanner, removed from the start of a frame when present. */
  prefix?: string | Uint8Array
  /** For scanners that send no terminator: a frame ends after this many ms without a byte. */
  interByteTimeoutMs?: number
  /** For scanners that always send a terminator (USB keyboards): bytes left this many ms
   * without one are a partial line, dropped and reported as an `idle` frame. Ignored when
   * `interByteTimeoutMs` is set. */
  idleDropMs?: number
  /** Bytes kept per frame; longer frames are reported truncated (default 1024). */
  maxFrameBytes?: number
  timers?: Timers
}

function toBytes(value: string | Uint8Array | undefined): Buffer | null {
  if (value === undefined) return null
  const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value)
  return bytes.length > 0 ? bytes : null
}

/**
 * Bytes in, `RawFrame` objects out. A frame ends on CR, LF, CRLF (any run of CR/LF: the LF of a
 * CRLF never leaks into the next scan), Tab, the configured suffix, or the inter-byte timeout.
 * Empty frames are skipped. Chunks may split a frame (or a multi-byte suffix) anywhere.
 */
export class ScanFramer extends Transform {
  private readonly suffix: Buffer | null
  private readonly prefix: Buffer | null
  private readonly timeoutMs: number
  private readonly idleDropMs: number
  private readonly timers: Timers
  private readonly frame: Buffer
  private stored = 0
  private total = 0
  private readonly tail: number[] = []
  private timer: unknown = null

  constructor(options: FramingOptions = {}) {
    super({ readableObjectMode: true })
    this.suffix = toBytes(options.suffix)
    this.prefix = toBytes(options.prefix)
    this.timeoutMs = options.interByteTimeoutMs ?? 0
    this.idleDropMs = this.timeoutMs > 0 ? 0 : (options.idleDropMs ?? 0)
    this.timers = options.timers ?? systemTimers
    this.frame = Buffer.alloc(Math.max(1, options.maxFrameBytes ?? 1024))
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.clearTimer()
    const suffix = this.suffix
    for (const b of chunk) {
      if (suffix) {
        this.tail.push(b)
        if (this.tail.length > suffix.length) this.tail.shift()
        if (this.total + 1 >= suffix.length && this.tail.every((x, i) => x === suffix[i])) {
          // The suffix's earlier bytes were stored as data: take them back.
          const before = this.total - (suffix.length - 1)
          this.stored = Math.min(this.stored, before)
          this.total = before
          this.emitFrame('suffix')
          continue
        }
      }
      if (b === CR || b === LF || b === TAB) {
        this.emitFrame('terminator')
        continue
      }
      if (this.stored < this.frame.length) this.frame[this.stored++] = b
      this.total++
    }
    const wait = this.timeoutMs || this.idleDropMs
    if (this.total > 0 && wait > 0) {
      this.timer = this.timers.setTimeout(() => {
        this.timer = null
        this.emitFrame(this.timeoutMs > 0 ? 'timeout' : 'idle')
      }, wait)
    }
    callback()
  }

  /** Ends the frame under way as `broken` (a transfer of it failed): reported, never joined to the next. */
  cut(): void {
    this.clearTimer()
    this.emitFrame('broken')
  }

  override _flush(callback: TransformCallback): void {
    this.clearTimer()
    this.emitFrame('end')
    callback()
  }

  override _destroy(error: Error | null, callback: (error: Error | null) => void): void {
    this.clearTimer()
    callback(error)
  }

  private clearTimer(): void {
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer)
      this.timer = null
    }
  }

  private emitFrame(endedBy: FrameEnd): void {
    const total = this.total
    const stored = this.stored
    this.total = 0
    this.stored = 0
    this.tail.length = 0
    if (total === 0) return
    let bytes = Buffer.from(this.frame.subarray(0, stored))
    let length = total
    const prefix = this.prefix
    if (prefix && bytes.length >= prefix.length && bytes.subarray(0, prefix.length).equals(prefix)) {
      bytes = bytes.subarray(prefix.length)
      length -= prefix.length
    }
    const frame: RawFrame = { bytes, length, truncated: length > bytes.length, endedBy }
    this.push(frame)
  }
}
