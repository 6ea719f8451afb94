import { LAYOUTS, type KeyboardLayout, type KeyboardLayoutName } from './keyboard-layouts.ts'

/** Modifier bits of byte 0 of a boot-keyboard report. */
export const MOD_LEFT_CTRL = 0x01
export const MOD_LEFT_SHIFT = 0x02
export const MOD_LEFT_ALT = 0x04
export const MOD_RIGHT_CTRL = 0x10
export const MOD_RIGHT_SHIFT = 0x20
export const MOD_RIGHT_ALT = 0x40 // AltGr on European layouts

const ERROR_ROLL_OVER = 0x01
/** Stands for a key position the layout does not know: the scan is refused, not altered. */
const UNKNOWN_KEY = '\ufffd'

export interface BootKeyboardDecoderOptions {
  layout?: KeyboardLayoutName | KeyboardLayout
  /** Set when the device prefixes each report with a report ID byte (9-byte reports). */
  reportId?: number
}

/**
 * 8-byte HID boot-keyboard reports → the characters the scanner meant, read with the layout the
 * scanner is set to. Report: [modifiers, reserved, key1 … key6]. A key counts when it *appears*
 * (it was not in the previous report); scanners send press then an all-zero release, so the
 * same character twice needs a release in between. Shift (0x02/0x20) selects the shifted
 * character, AltGr (0x40) the third, Ctrl + a letter or `@[\]^_` the control character (Ctrl+]
 * is GS, how keyboard scanners that keep FNC1 send it). Enter gives CR and Tab gives Tab, for
 * the framer to end the scan on. Dead keys (DE `^`) wait for the next key: dead + space types
 * the accent alone, dead + another key types both (no composition).
 */
export class BootKeyboardDecoder {
  readonly layout: KeyboardLayout
  private readonly reportId: number | undefined
  private previous = new Set<number>()
  private pendingDead = ''

  constructor(options: BootKeyboardDecoderOptions = {}) {
    const layout = options.layout ?? 'us'
    this.layout = typeof layout === 'string' ? LAYOUTS[layout] : layout
    this.reportId = options.reportId
  }

  /** Text typed by this report ('' for a release or a held key). */
  push(report: Uint8Array): string {
    let bytes = report
    if (this.reportId !== undefined) {
      if (bytes[0] !== this.reportId) return ''
      bytes = bytes.subarray(1)
    }
    if (bytes.length < 3) return ''
    const modifiers = bytes[0]
    const keys = [...bytes.subarray(2, 8)].filter((k) => k !== 0)
    if (keys.some((k) => k === ERROR_ROLL_OVER)) return '' // phantom state: keep the previous keys
    let out = ''
    for (const key of keys) {
      if (this.previous.has(key)) continue
      out += this.type(key, modifiers)
    }
    this.previous = new Set(keys)
    return out
  }

  /** Forget held keys and a pending dead key (after a reconnect). */
  reset(): void {
    this.previous.clear()
    this.pendingDead = ''
  }

  private type(key: number, modifiers: number): string {
    const chars = this.layout.keys.get(key)
    if (!chars) return this.flushDead() + UNKNOWN_KEY
    const shift = (modifiers & (MOD_LEFT_SHIFT | MOD_RIGHT_SHIFT)) !== 0
    const altGr = (modifiers & MOD_RIGHT_ALT) !== 0
    const ctrl = (modifiers & (MOD_LEFT_CTRL | MOD_RIGHT_CTRL)) !== 0
    if (ctrl && !altGr) {
      const base = chars[0].toUpperCase()
      const code = base.charCodeAt(0)
      if (base.length === 1 && code >= 0x40 && code <= 0x5f) return this.flushDead() + String.fromCharCode(code & 0x1f)
      return this.flushDead() + UNKNOWN_KEY
    }
    const char = altGr ? chars[2] : shift ? chars[1] : chars[0]
    if (char === undefined || char === '') return this.flushDead() + UNKNOWN_KEY
    if (this.pendingDead) {
      const dead = this.pendingDead
      this.pendingDead = ''
      return char === ' ' ? dead : dead + char
    }
    if (this.layout.dead.has(char)) {
      this.pendingDead = char
      return ''
    }
    return char
  }

  private flushDead(): string {
    const dead = this.pendingDead
    this.pendingDead = ''
    return dead
  }
}
