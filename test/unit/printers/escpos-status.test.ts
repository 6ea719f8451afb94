import { describe, expect, it } from 'vitest'
import { escPosToPrinterStatus, isStatusByte, parseDleEot } from '../../../src/drivers/printers/escpos-status.ts'

describe('DLE EOT status parsing', () => {
  it('when every byte is 0x12, then the printer is idle', () => {
    expect(escPosToPrinterStatus(parseDleEot({ printer: 0x12, offline: 0x12, error: 0x12, paper: 0x12 }))).toEqual({
      state: 'idle',
      reasons: [],
      source: 'DLE EOT',
    })
  })

  it('when the cover is open (n=1 0x1A, n=2 0x16), then cover-open-error', () => {
    const s = parseDleEot({ printer: 0x1a, offline: 0x16 })
    expect(s).toMatchObject({ offline: true, coverOpen: true, paperEnd: false })
    expect(escPosToPrinterStatus(s)).toMatchObject({ state: 'stopped', reasons: ['cover-open-error'] })
  })

  it('when paper ended (n=2 0x32, n=4 0x7E), then media-empty-error and media-needed-error', () => {
    const s = parseDleEot({ printer: 0x1a, offline: 0x32, paper: 0x7e })
    expect(escPosToPrinterStatus(s).reasons).toEqual(['media-empty-error', 'media-needed-error'])
  })

  it('when only near-end (n=4 0x1E), then media-low-warning and still idle', () => {
    expect(escPosToPrinterStatus(parseDleEot({ printer: 0x12, offline: 0x12, paper: 0x1e }))).toMatchObject({
      state: 'idle',
      reasons: ['media-low-warning'],
    })
  })

  it('when an auto-cutter error (n=2 0x52, n=3 0x1A), then other-error with the cause', () => {
    const st = escPosToPrinterStatus(parseDleEot({ printer: 0x1a, offline: 0x52, error: 0x1a }))
    expect(st).toMatchObject({ state: 'stopped', reasons: ['other-error'], details: ['auto-cutter error'] })
  })

  it('when a byte is not a status byte, then it is rejected', () => {
    expect(isStatusByte(0x12)).toBe(true)
    expect(isStatusByte(0x00)).toBe(false)
    expect(isStatusByte(0x93)).toBe(false)
    expect(() => parseDleEot({ printer: 0x41 })).toThrow(RangeError)
  })
})
