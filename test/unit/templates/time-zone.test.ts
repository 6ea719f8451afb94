import { describe, expect, it } from 'vitest'
import { DEFAULT_STUDIO } from '../../../src/domain/preferences.ts'
import { parseInput, studioInput } from '../../../src/domain/inputs.ts'
import { buildDocumentLayout, buildReceiptLayout, fieldValues } from '../../../src/templates/index.ts'
import { BUILTIN_DOCUMENTS } from '../../../src/templates/builtin/documents.ts'
import { localDateTime, tableRows } from '../../../src/templates/fields.ts'
import { STUDIO, makeClient, makeInvoice, makeSession, makeSubject } from './fixtures.ts'

const STUDIO_INPUT = { name: 'S', addressLines: [], phone: '', email: null, paper: 'letter', photographerFees: false }

describe('when a studio sets its time zone, then it is checked against the IANA database', () => {
  it('defaults to UTC; an update that leaves it out leaves it unchanged', () => {
    expect(DEFAULT_STUDIO.timeZone).toBe('UTC')
    expect(parseInput(studioInput, STUDIO_INPUT).timeZone).toBeUndefined()
  })
  it('accepts IANA names and stores their canonical spelling', () => {
    expect(parseInput(studioInput, { ...STUDIO_INPUT, timeZone: 'America/New_York' }).timeZone).toBe('America/New_York')
    expect(parseInput(studioInput, { ...STUDIO_INPUT, timeZone: 'europe/berlin' }).timeZone).toBe('Europe/Berlin')
    expect(parseInput(studioInput, { ...STUDIO_INPUT, timeZone: ' utc ' }).timeZone).toBe('UTC')
  })
  it('refuses unknown zones, empty strings and non-strings with VALIDATION_FAILED', () => {
    for (const timeZone of ['Mars/Olympus_Mons', '', 'EST5EDT; DROP TABLE', 42, null]) {
      expect(() => parseInput(studioInput, { ...STUDIO_INPUT, timeZone }), String(timeZone)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }))
    }
  })
})

describe('when sessions are printed, then their dates and times are the studio\'s wall clock', () => {
  it('converts instants, daylight saving time included', () => {
    expect(localDateTime('2025-04-02T14:00:00.000Z', 'America/New_York')).toEqual({ date: '2025-04-02', time: '10:00 AM', zone: 'EDT' }) // EDT, UTC-4
    expect(localDateTime('2025-01-15T14:00:00.000Z', 'America/New_York')).toEqual({ date: '2025-01-15', time: '9:00 AM', zone: 'EST' }) // EST, UTC-5
    expect(localDateTime('2025-04-02T02:30:00.000Z', 'America/Los_Angeles')).toEqual({ date: '2025-04-01', time: '7:30 PM', zone: 'PDT' }) // the day before
    expect(localDateTime('2025-04-02T23:30:00.000Z', 'Asia/Tokyo')).toEqual({ date: '2025-04-03', time: '8:30 AM', zone: 'GMT+9' }) // the day after
    expect(localDateTime('2025-04-02T00:05:00.000Z', 'UTC')).toEqual({ date: '2025-04-02', time: '12:05 AM', zone: 'UTC' }) // midnight is 12 AM, not 0 or 24
    expect(localDateTime('2025-04-02T14:00:00+02:00', 'UTC')).toEqual({ date: '2025-04-02', time: '12:00 PM', zone: 'UTC' }) // offsets honoured
    expect(localDateTime('not a date', 'UTC')).toBeNull()
  })
  it('fieldValues shows session date, start and end in the studio zone (UTC by default)', () => {
    const subject = makeSubject('session-confirmation')
    const utc = fieldValues(subject, STUDIO, null)
    expect([utc['session.date'], utc['session.start'], utc['session.end'], utc['session.timeZone']]).toEqual(['2025-04-02', '2:00 PM', '3:30 PM', 'UTC'])
    const ny = fieldValues(subject, { ...STUDIO, timeZone: 'America/New_York' }, null)
    expect([ny['session.date'], ny['session.start'], ny['session.end'], ny['session.timeZone']]).toEqual(['2025-04-02', '10:00 AM', '11:30 AM', 'EDT'])
    const tokyo = fieldValues(subject, { ...STUDIO, timeZone: 'Asia/Tokyo' }, null)
    expect([tokyo['session.date'], tokyo['session.start'], tokyo['session.end']]).toEqual(['2025-04-02', '11:00 PM', '12:30 AM'])
  })
  it('a session late in the evening moves to the next day in an eastern zone, also in the client profile\'s session table', () => {
    const session = makeSession({ startsAt: '2025-04-02T20:00:00.000Z', endsAt: '2025-04-02T21:00:00.000Z' })
    const subject = { document: 'client-profile' as const, client: makeClient(), sessions: [session], invoices: [makeInvoice()] }
    expect(tableRows(subject, 'client.sessions', { timeZone: 'Asia/Tokyo', currency: 'USD' })[0]['session.date']).toBe('2025-04-03')
    expect(tableRows(subject, 'client.sessions')[0]['session.date']).toBe('2025-04-02')
    const layout = buildDocumentLayout(BUILTIN_DOCUMENTS['client-profile'], subject, { studio: { ...STUDIO, timeZone: 'Asia/Tokyo' }, barcode: null })
    const texts = layout.pages.flatMap((p) => p.nodes.flatMap((n) => (n.type === 'text' ? [n.text] : [])))
    expect(texts).toContain('2025-04-03')
  })
  it('the session confirmation document prints the local times', () => {
    const layout = buildDocumentLayout(BUILTIN_DOCUMENTS['session-confirmation'], makeSubject('session-confirmation'), { studio: { ...STUDIO, timeZone: 'America/New_York' }, barcode: null })
    const texts = layout.pages.flatMap((p) => p.nodes.flatMap((n) => (n.type === 'text' ? [n.text] : [])))
    expect(texts).toContain('10:00 AM – 11:30 AM EDT')
    expect(texts.some((t) => t.includes('2:00 PM') || t.includes('14:00'))).toBe(false)
  })
  it('an unknown stored zone falls back to UTC instead of failing the printout', () => {
    const values = fieldValues(makeSubject('session-confirmation'), { ...STUDIO, timeZone: 'Not/AZone' }, null)
    expect(values['session.start']).toBe('2:00 PM')
  })
  it('the receipt still renders with a zone set', () => {
    const subject = makeSubject('invoice')
    if (subject.document !== 'invoice') throw new Error('fixture')
    expect(() => buildReceiptLayout(subject, { studio: { ...STUDIO, timeZone: 'Europe/Berlin' }, barcode: null, widthMm: 80 })).not.toThrow()
  })
})
