import { describe, expect, it } from 'vitest'
import {
  extendedStatusToPrinterStatus,
  hostStatusToPrinterStatus,
  isCompleteExtendedStatus,
  isCompleteHostStatus,
  parseExtendedStatus,
  parseHostStatus,
} from '../../../src/drivers/printers/zpl-status.ts'

const frame = (s: string) => `\x02${s}\x03\r\n`
const hs = (line1: string, line2: string, line3 = '1234,0') => frame(line1) + frame(line2) + frame(line3)
const bytes = (s: string) => Buffer.from(s, 'latin1')

// A ZD420 answering ~HS when idle (values from a real unit's capture layout).
const IDLE = hs('030,0,0,1218,000,0,0,0,000,0,0,0', '001,0,0,0,1,2,6,0,00000000,1,000')

describe('~HS parsing', () => {
  it('when the printer is idle, then state is idle with no reasons', () => {
    const s = parseHostStatus(bytes(IDLE))!
    expect(s).toMatchObject({ paperOut: false, paused: false, headUp: false, ribbonOut: false, labelLengthDots: 1218, formatsInBuffer: 0 })
    expect(hostStatusToPrinterStatus(s)).toEqual({ state: 'idle', reasons: [], source: '~HS' })
  })

  it('when paper is out, then media-empty-error and media-needed-error make it stopped', () => {
    const s = parseHostStatus(bytes(hs('030,1,0,1218,000,0,0,0,000,0,0,0', '001,0,0,0,1,2,6,0,00000000,1,000')))!
    expect(hostStatusToPrinterStatus(s)).toMatchObject({ state: 'stopped', reasons: ['media-empty-error', 'media-needed-error'] })
  })

  it('when paused with formats buffered, then the reason is paused (no suffix = error) and state stopped', () => {
    const s = parseHostStatus(bytes(hs('030,0,1,1218,003,0,0,0,000,0,0,0', '001,0,0,0,1,2,6,0,00000007,1,000')))!
    expect(s.formatsInBuffer).toBe(3)
    expect(s.labelsRemaining).toBe(7)
    expect(hostStatusToPrinterStatus(s)).toMatchObject({ state: 'stopped', reasons: ['paused'] })
  })

  it('when the head is up and the ribbon out, then cover-open-error and marker-supply-empty-error', () => {
    const s = parseHostStatus(bytes(hs('030,0,0,1218,000,0,0,0,000,0,0,0', '001,0,1,1,1,2,6,0,00000000,1,000')))!
    expect(hostStatusToPrinterStatus(s).reasons).toEqual(['cover-open-error', 'marker-supply-empty-error'])
  })

  it('when the head is cold and the buffer full, then only warnings/reports: state processing while formats wait', () => {
    const s = parseHostStatus(bytes(hs('030,0,0,1218,001,1,0,0,000,0,1,0', '001,0,0,0,1,2,6,0,00000001,1,000')))!
    const st = hostStatusToPrinterStatus(s)
    expect(st.state).toBe('processing')
    expect(st.reasons).toEqual(['other-warning', 'spool-area-full-report'])
  })

  it('when the head is over temperature, then other-error with a detail', () => {
    const s = parseHostStatus(bytes(hs('030,0,0,1218,000,0,0,0,000,0,0,1', '001,0,0,0,1,2,6,0,00000000,1,000')))!
    expect(hostStatusToPrinterStatus(s)).toMatchObject({ state: 'stopped', reasons: ['other-error'], details: ['head over temperature'] })
  })

  it('when the answer arrives in chunks, then completeness waits for the third frame', () => {
    const all = bytes(IDLE)
    expect(isCompleteHostStatus(all.subarray(0, 30))).toBe(false)
    expect(isCompleteHostStatus(all.subarray(0, all.length - 10))).toBe(false)
    expect(isCompleteHostStatus(all)).toBe(true)
  })

  it('when garbage or a short answer comes, then parsing gives undefined', () => {
    expect(parseHostStatus(bytes('hello'))).toBeUndefined()
    expect(parseHostStatus(bytes(frame('030,0,0') + frame('1') + frame('2')))).toBeUndefined()
  })
})

// ~HQES as printed by Link-OS firmware (spacing as on the wire).
const hqes = (errors: string, warnings: string, ef = errors.endsWith('00000000') ? '0' : '1') =>
  `\x02\r\n  PRINTER STATUS                            \r\n   ERRORS:         ${ef} 00000000 ${errors}      \r\n   WARNINGS:       0 00000000 ${warnings}      \r\n\x03\r\n`

describe('~HQES parsing', () => {
  it('when no errors, then idle', () => {
    const q = parseExtendedStatus(bytes(hqes('00000000', '00000000')))!
    expect(extendedStatusToPrinterStatus(q)).toEqual({ state: 'idle', reasons: [], source: '~HQES' })
  })

  it('when media out and head open (0x5), then media-empty-error, media-needed-error, cover-open-error', () => {
    const q = parseExtendedStatus(bytes(hqes('00000005', '00000000')))!
    expect(extendedStatusToPrinterStatus(q)).toMatchObject({
      state: 'stopped',
      reasons: ['media-empty-error', 'media-needed-error', 'cover-open-error'],
    })
  })

  it('when ribbon out, then marker-supply-empty-error', () => {
    const q = parseExtendedStatus(bytes(hqes('00000002', '00000000')))!
    expect(extendedStatusToPrinterStatus(q).reasons).toEqual(['marker-supply-empty-error'])
  })

  it('when head over temperature and cutter fault (0x18), then other-error with both details', () => {
    const q = parseExtendedStatus(bytes(hqes('00000018', '00000000')))!
    expect(extendedStatusToPrinterStatus(q)).toMatchObject({ reasons: ['other-error'], details: ['cutter fault', 'head over temperature'] })
  })

  it('when paused (0x10000), then paused', () => {
    const q = parseExtendedStatus(bytes(hqes('00010000', '00000000')))!
    expect(extendedStatusToPrinterStatus(q)).toMatchObject({ state: 'stopped', reasons: ['paused'] })
  })

  it('when only the paper-near-end warning, then media-low-warning and still idle', () => {
    const q = parseExtendedStatus(bytes(hqes('00000000', '00000008')))!
    expect(extendedStatusToPrinterStatus(q)).toMatchObject({ state: 'idle', reasons: ['media-low-warning'] })
  })

  it('when the answer is cut before the closing ETX, then it is not complete yet', () => {
    const all = bytes(hqes('00000001', '00000000'))
    expect(isCompleteExtendedStatus(all.subarray(0, all.length - 4))).toBe(false)
    expect(isCompleteExtendedStatus(all)).toBe(true)
  })

  it('when a late ~HS answer precedes it, then the ~HQES part is still found', () => {
    const q = parseExtendedStatus(bytes(IDLE + hqes('00000001', '00000000')))!
    expect(q.errors).toBe(1n)
  })
})
