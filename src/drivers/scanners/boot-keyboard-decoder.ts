import { CTRL_BY_POSITION, KEY_CAPS_LOCK, KEYPAD_DIGITS, LAYOUTS, LOCK_KEYS, type KeyboardLayout, type KeyboardLayoutName } from './keyboard-layouts.ts'

/** Modifier bits of byte 0 of a boot-keyboard report. */
export const MOD_LEFT_CTRL = 0x01
export const MOD_LEFT_SHIFT = 0x02
export const MOD_LEFT_ALT = 0x04
export const MOD_RIGHT_CTRL = 0x10
export const MOD_RIGHT_SHIFT = 0x20
export const MOD_RIGHT_ALT = 0x40 // AltGr on European layouts

const CTRL = MOD_LEFT_CTRL | MOD_RIGHT_CTRL
const SHIFT = MOD_LEFT_SHIFT | MOD_RIGHT_SHIFT
const ERROR_ROLL_OVER = 0x01
/** Stands for a key position the layout does not know: the scan is refused, not altered. */
export const UNKNOWN_KEY = '\ufffd'

/** Windows-1252 bytes 0x80–0x9F (the rest is Latin-1); undefined positions stay C1 controls, which the decoder refuses. */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'

export interface BootKeyboardDecoderOptions {
  layout?: KeyboardLayoutName | KeyboardLayout
  /** Set when the device prefixes each report with a report ID byte (9-byte reports). */
  reportId?: number
}

/**
 * 8-byte HID boot-keyboard reports → the characters the scanner meant, read with the layout the
 * scanner is set to, as a host's keyboard driver would. Report: [modifiers, reserved, key1 … key6].
 *
 * - A key counts when it *appears* (it was not in the previous report); keys are typed in the
 *   order they were pressed, report after report (the array's order within a report means
 *   nothing). The same character twice needs a release in between.
 * - Shift selects the shifted character, AltGr (right Alt, or Ctrl + left Alt as on Windows) the
 *   third. Caps Lock, Num Lock and Scroll Lock type nothing; each press of Caps Lock toggles it,
 *   and while it is on letters are inverted (Shift gives lower case) as on a real keyboard.
 * - Ctrl + a letter gives its control character (Ctrl+A = 0x01); Ctrl + another key the control
 *   character of its position (the table CTRL_BY_POSITION): Ctrl + the key at US `]`, which is `+` on DE,
 *   is GS, how wedge scanners keep FNC1 whatever their layout.
 * - Left Alt held while keypad digits are typed is an Alt code, typed when Alt is released:
 *   `Alt+0nnn` is Windows-1252 byte nnn, `Alt+nnn` (no leading 0) ASCII nnn; a code above 127
 *   without the leading 0 (code page 437) or above 255, and left Alt with any other key, give
 *   U+FFFD so that the scan is refused — never altered.
 * - Enter gives CR and Tab gives Tab, for the framer to end the scan on. Dead keys (DE `^`) wait
 *   for the next key: dead + space types the accent alone, dead + another key types both.
 * - A key the layout does not know gives U+FFFD.
 */
export class BootKeyboardDecoder {
  readonly layout: KeyboardLayout
  private readonly reportId: number | undefined
  private held: number[] = []
  private pendingDead = ''
  private capsLock = false
  /** Keypad digits typed while left Alt is held; null when no Alt code is under way. */
  private altCode: string | null = null

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
    const keys = [...new Set(bytes.subarray(2, 8))].filter((k) => k !== 0)
    if (keys.includes(ERROR_ROLL_OVER)) return '' // phantom state: keep the previous keys
    const altCodeHeld = (modifiers & MOD_LEFT_ALT) !== 0 && (modifiers & CTRL) === 0 && (modifiers & MOD_RIGHT_ALT) === 0
    let out = ''
    if (!altCodeHeld && this.altCode !== null) out += this.finishAltCode()
    // Held keys keep their place; new ones go after them in press order.
    const pressed = keys.filter((k) => !this.held.includes(k))
    this.held = [...this.held.filter((k) => keys.includes(k)), ...pressed]
    for (const key of pressed) {
      if (LOCK_KEYS.has(key)) {
        if (key === KEY_CAPS_LOCK) this.capsLock = !this.capsLock
        continue
      }
      if (altCodeHeld) {
        const digit = KEYPAD_DIGITS.get(key)
        if (digit === undefined) out += this.flushDead() + UNKNOWN_KEY
        else this.altCode = (this.altCode ?? '') + String(digit)
        continue
      }
      out += this.type(key, modifiers)
    }
    if (altCodeHeld && this.altCode === null) this.altCode = ''
    return out
  }

  /** Forget held keys, a pending dead key or Alt code, and Caps Lock (after a reconnect). */
  reset(): void {
    this.held = []
    this.pendingDead = ''
    this.altCode = null
    this.capsLock = false
  }

  /** Forget what a cut-off scan left pending (a dead key, an Alt code); lock state stays. */
  dropPending(): void {
    this.pendingDead = ''
    this.altCode = null
  }

  private finishAltCode(): string {
    const digits = this.altCode ?? ''
    this.altCode = null
    if (digits === '') return ''
    const value = Number(digits)
    let char = UNKNOWN_KEY
    if (digits.startsWith('0') && value <= 0xff) char = value >= 0x80 && value <= 0x9f ? CP1252_HIGH[value - 0x80] : String.fromCharCode(value)
    else if (!digits.startsWith('0') && value <= 0x7f) char = String.fromCharCode(value)
    return this.flushDead() + char
  }

  private type(key: number, modifiers: number): string {
    const chars = this.layout.keys.get(key)
    if (!chars) return this.flushDead() + UNKNOWN_KEY
    const ctrl = (modifiers & CTRL) !== 0
    const altGr = (modifiers & MOD_RIGHT_ALT) !== 0 || (ctrl && (modifiers & MOD_LEFT_ALT) !== 0)
    const letter = chars[0].length === 1 && chars[0] !== chars[1] && chars[1] === chars[0].toUpperCase()
    if (ctrl && !altGr) {
      const base = chars[0].toUpperCase()
      if (letter && base >= 'A' && base <= 'Z') return this.flushDead() + String.fromCharCode(base.charCodeAt(0) & 0x1f)
      return this.flushDead() + (CTRL_BY_POSITION.get(key) ?? UNKNOWN_KEY)
    }
    let shift = (modifiers & SHIFT) !== 0
    if (this.capsLock && letter) shift = !shift
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
