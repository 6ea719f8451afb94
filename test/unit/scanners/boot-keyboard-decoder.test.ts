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
