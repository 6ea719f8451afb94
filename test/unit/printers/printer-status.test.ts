import { describe, expect, it } from 'vitest'
import { normalizeReasons, reasonBase, reasonSeverity, stateFromReasons } from '../../../src/drivers/printers/printer-status.ts'
import {
  PrinterNotReadyError,
  PrinterUnreachableError,
  PrintInterruptedError,
  DocumentFormatNotSupportedError,
  printErrorDisposition,
} from '../../../src/drivers/printers/printer-errors.ts'

describe('IPP printer-state-reasons', () => {
  it.each([
    ['media-empty-error', 'error'],
    ['toner-low-warning', 'warning'],
    ['offline-report', 'report'],
    ['paused', 'error'],
    ['media-needed', 'error'],
    ['com.vendor-thing-warning', 'warning'],
  ] as const)('when the keyword is %s, then severity is %s (by suffix)', (k, sev) => {
    expect(reasonSeverity(k)).toBe(sev)
  })

  it('when reasons hold only warnings/reports, then idle; an error (or a bare keyword), then stopped', () => {
    expect(stateFromReasons(normalizeReasons(['none']))).toBe('idle')
    expect(stateFromReasons(['media-low-warning', 'offline-report'])).toBe('idle')
    expect(stateFromReasons(['media-low-warning'], true)).toBe('processing')
    expect(stateFromReasons(['media-jam'])).toBe('stopped')
    expect(reasonBase('media-empty-error')).toBe('media-empty')
  })
})

describe('printErrorDisposition', () => {
  const p = { jobId: 'j1', printer: 'z', nextUnit: 3, writtenUnits: 4, uncertain: true }
  it('when unreachable, then retry from nextUnit', () => {
    expect(printErrorDisposition(new PrinterUnreachableError({ ...p, uncertain: false, writtenUnits: 3 }, 'x'))).toMatchObject({ action: 'retry', resumeAt: 3 })
  })
  it('when not ready, then hold until ready with the reasons', () => {
    const e = new PrinterNotReadyError(p, { state: 'stopped', reasons: ['media-empty-error'] })
    expect(printErrorDisposition(e)).toMatchObject({ action: 'hold-until-ready', resumeAt: 3, reasons: ['media-empty-error'] })
  })
  it('when interrupted with an uncertain unit, then hold for an operator; without, retry', () => {
    expect(printErrorDisposition(new PrintInterruptedError(p, 'x'))).toMatchObject({ action: 'hold-for-operator', resumeAt: 3, uncertainUpTo: 4 })
    expect(printErrorDisposition(new PrintInterruptedError({ ...p, uncertain: false }, 'x'))).toMatchObject({ action: 'retry', resumeAt: 3 })
  })
  it('when the format is refused, then abort with the reason', () => {
    const d = printErrorDisposition(new DocumentFormatNotSupportedError('p', 'text/plain', ['application/pdf']))
    expect(d).toMatchObject({ action: 'abort' })
    expect((d as { reason: string }).reason).toContain('DOCUMENT_FORMAT_NOT_SUPPORTED')
  })
})
