import { describe, expect, it } from 'vitest'
import { BootKeyboardDecoder } from '../../../src/drivers/scanners/boot-keyboard-decoder.ts'
import { KEYBOARD_LAYOUTS, type KeyboardLayoutName } from '../../../src/drivers/scanners/keyboard-layouts.ts'
import { keyboardReports } from '../../../hw-sim/scanners/usb-scanner-sim.ts'

function read(reports: Uint8Array[], layout: KeyboardLayoutName): string {
  const decoder = new BootKeyboardDecoder({ layout })
  return reports.map((r) => decoder.push(r)).join('')
}

const r = (...bytes: number[]) => Uint8Array.from([...bytes, 0, 0, 0, 0, 0, 0, 0, 0].slice(0, 8))

describe('BootKeyboardDecoder', () => {
  const SAMPLES: Record<KeyboardLayoutName, string> = {
    us: 'PO-000123 Zy_!@#$%^&*()=+[]{};:\'",.<>/?\\|`~',
    uk: 'PO-000123 Zy_!"£$%^&*()=+[]{};:\'@,.<>/?\\|#~¬€',
    de: 'PO-000123 Zy_!"§$%&/()=?ß+*#\'öäüÖÄÜ,.;:-<>@€{[]}\\~|^°´`',
  }
  for (const layout of KEYBOARD_LAYOUTS) {
    it(`when a scanner set to ${layout.toUpperCase()} types every character of the layout, then reading with ${layout.toUpperCase()} gives the same text`, () => {
      expect(read(keyboardReports(SAMPLES[layout], layout), layout)).toBe(SAMPLES[layout] + '\r')
    })
  }

  it('when a DE scanner is read as US, then the text is garbled (Y/Z swapped, - becomes /), and the DE setting fixes it', () => {
    const reports = keyboardReports('PO-000123-ZY', 'de')
    expect(read(reports, 'us')).toBe('PO/000123/YZ\r')
    expect(read(reports, 'de')).toBe('PO-000123-ZY\r')
  })

  it('when a UK scanner is read as US, then " and @ swap and £ becomes #, and the UK setting fixes it', () => {
    const reports = keyboardReports('"@£', 'uk')
    expect(read(reports, 'us')).toBe('@"#\r')
    expect(read(reports, 'uk')).toBe('"@£\r')
  })

  it('when DE key codes 0x2D and 0x38 arrive, then they are ß and -', () => {
    expect(read([r(0, 0, 0x2d), r(), r(0, 0, 0x38), r()], 'de')).toBe('ß-')
  })

  it('when right Shift (0x20) is used, then letters are upper case as with left Shift', () => {
    expect(read(keyboardReports('AbC', 'us', { rightShift: true }), 'us')).toBe('AbC\r')
    expect(read([r(0x20, 0, 0x04), r(), r(0x02, 0, 0x05), r()], 'us')).toBe('AB')
  })

  it('when the same key is reported twice without a release, then it counts once (held key)', () => {
    expect(read([r(0, 0, 0x04), r(0, 0, 0x04), r()], 'us')).toBe('a')
  })

  it('when the same key is pressed twice with a release in between, then it counts twice', () => {
    expect(read([r(0, 0, 0x04), r(), r(0, 0, 0x04), r()], 'us')).toBe('aa')
    expect(read(keyboardReports('PO-000111', 'us'), 'us')).toBe('PO-000111\r')
  })

  it('when a second key appears while the first is held (rollover), then only the new key counts', () => {
    expect(read([r(0, 0, 0x04), r(0, 0, 0x04, 0x05), r(0, 0, 0x05), r()], 'us')).toBe('ab')
  })

  it('when the report is a phantom (error roll-over 0x01), then it is ignored', () => {
    expect(read([r(0, 0, 0x04), r(0, 0, 1, 1, 1, 1, 1, 1), r()], 'us')).toBe('a')
  })

  it('when Enter, keypad Enter and Tab are pressed, then they give CR, CR and Tab for the framer', () => {
    expect(read([r(0, 0, 0x28), r(), r(0, 0, 0x58), r(), r(0, 0, 0x2b), r()], 'us')).toBe('\r\r\t')
  })

  it('when Ctrl+] is sent (how some wedge scanners keep FNC1), then it gives GS', () => {
    expect(read(keyboardReports('01\u001d10', 'us'), 'us')).toBe('01\u001d10\r')
  })

  it('when a key code is unknown, then it yields a replacement character so the scan is refused, not altered', () => {
    expect(read([r(0, 0, 0xa5), r()], 'us')).toBe('\ufffd')
  })

  it('when reports carry a report ID, then it is skipped', () => {
    const decoder = new BootKeyboardDecoder({ layout: 'us', reportId: 1 })
    expect(decoder.push(Uint8Array.of(1, 0, 0, 0x04, 0, 0, 0, 0, 0))).toBe('a')
    expect(decoder.push(Uint8Array.of(2, 0, 0, 0x05, 0, 0, 0, 0, 0))).toBe('')
  })

  it('when a DE dead key (^) is followed by space, then ^ alone is typed', () => {
    expect(read([r(0, 0, 0x35), r(), r(0, 0, 0x2c), r(), r(0, 0, 0x04), r()], 'de')).toBe('^a')
  })
})

describe('BootKeyboardDecoder as a host keyboard driver reads it', () => {
  const CAPS = 0x39
  const NUM = 0x53
  const SCROLL = 0x47
  const ALT = 0x04

  it('when Caps Lock, Num Lock and Scroll Lock are pressed, then they type nothing, and the next scan is not spoiled', () => {
    expect(read([r(0, 0, NUM), r(), r(0, 0, SCROLL), r(), ...keyboardReports('C-000001', 'us')], 'us')).toBe('C-000001\r')
  })

  it('when Caps Lock is on, then letters are inverted as on a real keyboard (Shift gives lower case), digits and signs are not', () => {
    // Caps on; "c" key → C, Shift+"p" → p, "-" stays "-"; Caps off again → plain.
    expect(read([r(0, 0, CAPS), r(), r(0, 0, 0x06), r(), r(0x02, 0, 0x13), r(), r(0, 0, 0x2d), r(), r(0, 0, 0x1e), r(), r(0, 0, CAPS), r(), r(0, 0, 0x06), r()], 'us')).toBe('Cp-1c')
  })

  it('when a scanner set to Caps Lock taps it before and after every scan and sends letters unshifted, then every scan reads right', () => {
    const scan = (text: string) => [r(0, 0, CAPS), r(), ...[...text].map((c) => (c === '-' ? [r(0, 0, 0x2d), r()] : /\d/.test(c) ? [r(0, 0, c === '0' ? 0x27 : 0x1d + Number(c)), r()] : [r(0, 0, c.toLowerCase().charCodeAt(0) - 0x61 + 4), r()])).flat(), r(0, 0, 0x28), r(), r(0, 0, CAPS), r()]
    expect(read([...scan('PO-000123'), ...scan('C-000007')], 'us')).toBe('PO-000123\rC-000007\r')
  })

  it('when a scanner’s Caps Lock repeats (held in every report of the scan), then it toggles once and the scan reads right', () => {
    // Caps Lock stays in the array while the scan is typed: a held key, one press.
    const held = (key: number) => [r(0, 0, CAPS, key), r(0, 0, CAPS)]
    expect(read([r(0, 0, CAPS), ...held(0x06), ...held(0x2d), ...held(0x1e), ...held(0x28), r(), r(0, 0, CAPS), r()], 'us')).toBe('C-1\r')
  })

  it('when left Alt is held while keypad digits are typed, then the Alt code is decoded when Alt is released, never the digits', () => {
    const alt = (...digits: number[]) => [r(ALT), ...digits.flatMap((d) => [r(ALT, 0, d === 0 ? 0x62 : 0x58 + d), r(ALT)]), r()]
    expect(read([r(0, 0, 0x1e), r(), ...alt(0, 0, 2, 9), r(0, 0, 0x1f), r()], 'us')).toBe('1\u001d2')
    expect(read(alt(6, 5), 'us')).toBe('A')
    expect(read(alt(0, 2, 2, 8), 'us')).toBe('ä')
    expect(read(alt(0, 1, 2, 8), 'us')).toBe('€')
  })

  it('when an Alt code can’t be decoded exactly (code page 437, above 255) or left Alt comes with another key, then the scan gets U+FFFD, never an altered text', () => {
    const alt = (...digits: number[]) => [r(ALT), ...digits.flatMap((d) => [r(ALT, 0, d === 0 ? 0x62 : 0x58 + d), r(ALT)]), r()]
    expect(read(alt(1, 3, 2), 'us')).toBe('\ufffd')
    expect(read(alt(0, 3, 0, 0), 'us')).toBe('\ufffd')
    expect(read([r(ALT, 0, 0x04), r()], 'us')).toBe('\ufffd')
  })

  it('when a German-layout scanner sends Ctrl + the key at the US "]" position (+ on DE), then it is GS (FNC1), as a host reads it', () => {
    expect(read([r(0, 0, 0x1e), r(), r(0x01, 0, 0x30), r(), r(0, 0, 0x1f), r()], 'de')).toBe('1\u001d2')
    expect(read(keyboardReports('01\u001d10', 'de'), 'de')).toBe('01\u001d10\r')
  })

  it('when Ctrl + a letter is sent on the German layout, then it follows the layout’s letter (Ctrl+Z on the Z key)', () => {
    expect(read([r(0x01, 0, 0x1c), r()], 'de')).toBe('\u001a')
  })

  it('when keys overlap and a report lists them in key-code order, then they are typed in the order they were pressed', () => {
    // "h" pressed, then "e" while "h" is held: the array says [e, h]; then "l" while "e" is held: [e, l].
    expect(read([r(0, 0, 0x0b), r(0, 0, 0x08, 0x0b), r(0, 0, 0x08, 0x0f), r(0, 0, 0x0f), r()], 'us')).toBe('hel')
  })
})
