/**
 * Keyboard layouts a keyboard-emulation scanner may be set to. HID key codes are key
 * *positions* (HID Usage Tables, page 0x07); the layout says which character each position
 * types. The scanner picks key codes for the layout it is configured for, so the host must read
 * them with the same layout: a DE scanner read as US turns `Z` into `Y` and `-` into `/`.
 */
export const KEYBOARD_LAYOUTS = ['us', 'uk', 'de'] as const
export type KeyboardLayoutName = (typeof KEYBOARD_LAYOUTS)[number]

export function isKeyboardLayoutName(value: string): value is KeyboardLayoutName {
  return (KEYBOARD_LAYOUTS as readonly string[]).includes(value)
}

/** [unshifted, shifted, AltGr] characters of one key position. */
export type KeyChars = readonly [string, string, string?]

export interface KeyboardLayout {
  readonly name: KeyboardLayoutName
  /** Key code → characters. The first entry for a character is the key a scanner presses. */
  readonly keys: ReadonlyMap<number, KeyChars>
  /** Dead keys (DE `^`, `´`, `` ` ``): they type nothing until the next key; dead + space = the accent. */
  readonly dead: ReadonlySet<string>
}

export const KEY_ENTER = 0x28
export const KEY_TAB = 0x2b
export const KEY_SPACE = 0x2c
export const KEY_KEYPAD_ENTER = 0x58
export const KEY_CAPS_LOCK = 0x39
export const KEY_SCROLL_LOCK = 0x47
export const KEY_NUM_LOCK = 0x53
/** Lock keys change the keyboard's state; they type nothing. */
export const LOCK_KEYS: ReadonlySet<number> = new Set([KEY_CAPS_LOCK, KEY_SCROLL_LOCK, KEY_NUM_LOCK])

/** Keypad 1…9, 0 (usages 0x59–0x62) → their digit: what Alt codes are typed with. */
export const KEYPAD_DIGITS: ReadonlyMap<number, number> = new Map([...'1234567890'].map((d, i) => [0x59 + i, Number(d)]))

/**
 * Ctrl + a key that is not a letter: the control character comes from the key's *position*, as
 * Windows' layouts define it, not from the character the key types — so a scanner set to any
 * layout can send ESC, FS, GS (FNC1), RS and US. Positions are US names: `[` (0x2F) ESC, `\`
 * (0x31, and the non-US keys 0x32 and 0x64) FS, `]` (0x30) GS, `6` (0x23) RS, `-` (0x2D) US,
 * `2` (0x1F) NUL. On the German layout these are Ü, #, +, 6, ß and 2.
 */
export const CTRL_BY_POSITION: ReadonlyMap<number, string> = new Map([
  [0x2f, '\u001b'],
  [0x31, '\u001c'],
  [0x32, '\u001c'],
  [0x64, '\u001c'],
  [0x30, '\u001d'],
  [0x23, '\u001e'],
  [0x2d, '\u001f'],
  [0x1f, '\u0000'],
])

/** Key positions every layout shares: control keys and the keypad. Esc and Backspace map to
 * their control characters so that a scan containing them is rejected, not silently altered. */
const COMMON: Array<[number, KeyChars]> = [
  [KEY_ENTER, ['\r', '\r']],
  [0x29, ['\u001b', '\u001b']], // Esc
  [0x2a, ['\u0008', '\u0008']], // Backspace
  [KEY_TAB, ['\t', '\t']],
  [KEY_SPACE, [' ', ' ']],
  [0x54, ['/', '/']],
  [0x55, ['*', '*']],
  [0x56, ['-', '-']],
  [0x57, ['+', '+']],
  [KEY_KEYPAD_ENTER, ['\r', '\r']],
  [0x59, ['1', '1']],
  [0x5a, ['2', '2']],
  [0x5b, ['3', '3']],
  [0x5c, ['4', '4']],
  [0x5d, ['5', '5']],
  [0x5e, ['6', '6']],
  [0x5f, ['7', '7']],
  [0x60, ['8', '8']],
  [0x61, ['9', '9']],
  [0x62, ['0', '0']],
  [0x63, ['.', '.']],
]

function letters(swapYZ: boolean): Array<[number, KeyChars]> {
  const out: Array<[number, KeyChars]> = []
  for (let i = 0; i < 26; i++) {
    let c = String.fromCharCode(0x61 + i)
    if (swapYZ && c === 'y') c = 'z'
    else if (swapYZ && c === 'z') c = 'y'
    out.push([0x04 + i, [c, c.toUpperCase()]])
  }
  return out
}

function digits(shifted: string): Array<[number, KeyChars]> {
  return [...'1234567890'].map((d, i) => [0x1e + i, [d, shifted[i]]] as [number, KeyChars])
}

function layout(name: KeyboardLayoutName, entries: Array<[number, KeyChars]>, altGr: Array<[number, string]> = [], dead = ''): KeyboardLayout {
  const keys = new Map<number, KeyChars>()
  for (const [code, chars] of entries) keys.set(code, chars)
  for (const [code, char] of altGr) {
    const [normal, shifted] = keys.get(code) ?? ['', '']
    keys.set(code, [normal, shifted, char])
  }
  return { name, keys, dead: new Set(dead) }
}

export const US_LAYOUT = layout('us', [
  ...letters(false),
  ...digits('!@#$%^&*()'),
  [0x2d, ['-', '_']],
  [0x2e, ['=', '+']],
  [0x2f, ['[', '{']],
  [0x30, [']', '}']],
  [0x31, ['\\', '|']],
  [0x33, [';', ':']],
  [0x34, ["'", '"']],
  [0x35, ['`', '~']],
  [0x36, [',', '<']],
  [0x37, ['.', '>']],
  [0x38, ['/', '?']],
  [0x32, ['\\', '|']], // Non-US # key: US hosts treat it as backslash
  [0x64, ['\\', '|']], // Non-US \ key
  ...COMMON,
])

export const UK_LAYOUT = layout(
  'uk',
  [
    ...letters(false),
    ...digits('!"£$%^&*()'),
    [0x2d, ['-', '_']],
    [0x2e, ['=', '+']],
    [0x2f, ['[', '{']],
    [0x30, [']', '}']],
    [0x32, ['#', '~']], // Non-US # key, left of Enter
    [0x33, [';', ':']],
    [0x34, ["'", '@']],
    [0x35, ['`', '¬']],
    [0x36, [',', '<']],
    [0x37, ['.', '>']],
    [0x38, ['/', '?']],
    [0x64, ['\\', '|']], // Non-US \ key, left of Z
    [0x31, ['#', '~']], // some UK keyboards report the # key as 0x31
    ...COMMON,
  ],
  [[0x21, '€']],
)

export const DE_LAYOUT = layout(
  'de',
  [
    ...letters(true),
    ...digits('!"§$%&/()='),
    [0x2d, ['ß', '?']],
    [0x2e, ['´', '`']],
    [0x2f, ['ü', 'Ü']],
    [0x30, ['+', '*']],
    [0x32, ['#', "'"]],
    [0x33, ['ö', 'Ö']],
    [0x34, ['ä', 'Ä']],
    [0x35, ['^', '°']],
    [0x36, [',', ';']],
    [0x37, ['.', ':']],
    [0x38, ['-', '_']],
    [0x64, ['<', '>']],
    [0x31, ['#', "'"]],
    ...COMMON,
  ],
  [
    [0x14, '@'], // AltGr+Q
    [0x08, '€'], // AltGr+E
    [0x10, 'µ'], // AltGr+M
    [0x1f, '²'],
    [0x20, '³'],
    [0x24, '{'],
    [0x25, '['],
    [0x26, ']'],
    [0x27, '}'],
    [0x2d, '\\'], // AltGr+ß
    [0x30, '~'], // AltGr++
    [0x64, '|'], // AltGr+<
  ],
  '^´`',
)

export const LAYOUTS: Readonly<Record<KeyboardLayoutName, KeyboardLayout>> = { us: US_LAYOUT, uk: UK_LAYOUT, de: DE_LAYOUT }
