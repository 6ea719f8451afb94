import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { formatPayload, parsePayload } from '../../../src/domain/barcode-payload.ts'
import { RECORD_TYPES } from '../../../src/domain/records.ts'

describe('barcode payloads', () => {
  it('when a record number is formatted, then it carries its type prefix and six digits', () => {
    expect(formatPayload('client', 123)).toBe('C-000123')
    expect(formatPayload('session', 7)).toBe('S-000007')
    expect(formatPayload('invoice', 1234567)).toBe('INV-1234567')
    expect(formatPayload('production-order', 42)).toBe('PO-000042')
  })

  it('when a number is not a positive integer, then formatting refuses it', () => {
    expect(() => formatPayload('client', 0)).toThrow(RangeError)
    expect(() => formatPayload('client', 1.5)).toThrow(RangeError)
  })

  it.each([
    ['C-000123', 'client', 123, null],
    ['c000123', 'client', 123, null],
    ['  inv-42 \r\n', 'invoice', 42, null],
    [']C0PO-000042', 'production-order', 42, ']C0'],
    [']A0S-000009', 'session', 9, ']A0'],
    [']Q1 po42', 'production-order', 42, ']Q1'],
    ['Inv000001', 'invoice', 1, null],
  ] as const)('when "%s" is scanned, then it reads as %s %d', (raw, type, number, aim) => {
    expect(parsePayload(raw)).toEqual({ type, number, symbologyId: aim })
  })

  it('when the text is read with aim off (a scanner already decided), then a leading identifier is data: ]A0C-1 and ]ABC-1 are refused, never C-1', () => {
    expect(() => parsePayload(']A0C-000001', { aim: 'off' })).toThrow(/not a Studio Print barcode/)
    expect(() => parsePayload(']ABC-1', { aim: 'off' })).toThrow(/not a Studio Print barcode/)
    expect(() => parsePayload(']ABC-1')).toThrow(/not a Studio Print barcode/)
    expect(parsePayload('C-000001', { aim: 'off', aimId: ']A0' })).toEqual({ type: 'client', number: 1, symbologyId: ']A0' })
  })

  it.each(['', 'X-000123', 'C-', 'C-0', 'PO--12', 'C-12a', 'INVV-1', '123', 'C-1234567890123456', 'C-\u0000123'])(
    'when "%s" is scanned, then it is BARCODE_INVALID',
    (raw) => {
      expect(() => parsePayload(raw)).toThrow(expect.objectContaining({ code: 'BARCODE_INVALID' }))
    },
  )

  it('when a scan is longer than 256 characters, then it is refused before parsing', () => {
    expect(() => parsePayload('C-' + '1'.repeat(300))).toThrow(expect.objectContaining({ code: 'BARCODE_INVALID' }))
  })

  it('when any payload is formatted then parsed in any case, then the record comes back', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RECORD_TYPES), fc.integer({ min: 1, max: 999_999_999 }), fc.boolean(), (type, number, lower) => {
        const text = formatPayload(type, number)
        const parsed = parsePayload(lower ? text.toLowerCase() : text)
        expect(parsed.type).toBe(type)
        expect(parsed.number).toBe(number)
      }),
    )
  })

  it('when a payload is formatted, then it is Code 39-safe (uppercase, digits and -)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RECORD_TYPES), fc.integer({ min: 1, max: 999_999_999 }), (type, number) => {
        expect(formatPayload(type, number)).toMatch(/^[A-Z0-9-]+$/)
      }),
    )
  })
})
