import { describe, expect, it } from 'vitest'
import { routeScan, severityOf, SCAN_CODES, type StationView } from '../../../src/domain/scan-routing.ts'
import { parseScanCard, scanCardPayload, scanCardsFor } from '../../../src/domain/scan-cards.ts'
import { DEFAULT_TRACK } from '../../../src/domain/status-track.ts'

const lookup: StationView = { name: 'desk', mode: 'lookup', advanceTo: null, openRecord: null }
const advance: StationView = { name: 'prod', mode: 'advance', advanceTo: null, openRecord: null }

describe('routeScan', () => {
  it('when data comes decoded with the scanner\'s AIM decision, then no identifier is read off it again: ]A0C-1 from a scanner without identifiers is refused, never client 1', () => {
    expect(routeScan(lookup, ']A0C-000001')).toMatchObject({ action: 'refuse', code: 'BARCODE_INVALID' })
    expect(routeScan(lookup, ']C0PO-000042', ']A0')).toMatchObject({ action: 'refuse', code: 'BARCODE_INVALID' })
    expect(routeScan(lookup, 'C-000001', ']A0')).toMatchObject({ action: 'open', payload: { type: 'client', number: 1, symbologyId: ']A0' } })
    expect(routeScan(lookup, 'C-000001')).toMatchObject({ action: 'open', payload: { type: 'client', number: 1, symbologyId: null } })
  })
  it('when a lookup station has nothing open, then a record barcode opens, any type, any case', () => {
    expect(routeScan(lookup, 'c000123')).toMatchObject({ action: 'open', payload: { type: 'client', number: 123 } })
    expect(routeScan(lookup, 'INV-7')).toMatchObject({ action: 'open', payload: { type: 'invoice', number: 7 } })
  })
  it('when a lookup station has a record open, then the next record replaces it; with unsaved changes it is RECORD_ALREADY_OPEN naming the open record and how to close it; cards still work', () => {
    const open = { ...lookup, openRecord: { type: 'client', id: 1, label: 'Client C-000001' } }
    expect(routeScan(open, 'S-000001')).toMatchObject({ action: 'open', payload: { type: 'session' }, replaces: { type: 'client', id: 1 } })
    const dirty = { ...lookup, openRecord: { type: 'client', id: 1, label: 'Client C-000001', unsaved: true } }
    const refused = routeScan(dirty, 'S-000001')
    expect(refused).toMatchObject({ action: 'refuse', code: 'RECORD_ALREADY_OPEN' })
    expect(refused.action === 'refuse' && refused.message).toContain('Client C-000001 is open at desk with unsaved changes')
    expect(refused.action === 'refuse' && refused.message).toContain('Close record')
    expect(routeScan(dirty, 'STATION-CLOSE')).toEqual({ action: 'card', card: { kind: 'close' } })
  })
  it('when a station is set to a chosen status not picked yet, then an order is TARGET_NOT_CHOSEN', () => {
    expect(routeScan({ ...advance, target: 'chosen', advanceTo: null }, 'PO-000042')).toMatchObject({ action: 'refuse', code: 'TARGET_NOT_CHOSEN' })
    expect(routeScan({ ...advance, target: 'chosen', advanceTo: 'sent-to-lab' }, 'PO-000042')).toMatchObject({ action: 'advance', to: 'sent-to-lab' })
  })
  it('when an advance station reads a non-order barcode, then WRONG_RECORD_TYPE; an order goes to the next status or the target', () => {
    for (const code of ['C-1', 'S-1', 'INV-1']) expect(routeScan(advance, code)).toMatchObject({ action: 'refuse', code: 'WRONG_RECORD_TYPE' })
    expect(routeScan(advance, 'PO-000042')).toMatchObject({ action: 'advance', payload: { number: 42 }, to: undefined })
    expect(routeScan({ ...advance, advanceTo: 'sent-to-lab' }, 'po42')).toMatchObject({ action: 'advance', to: 'sent-to-lab' })
  })
  it('when the data is not a payload, then BARCODE_INVALID', () => {
    for (const data of ['', 'hello', 'PO-', 'X-123', 'PO-0']) expect(routeScan(advance, data)).toMatchObject({ action: 'refuse', code: 'BARCODE_INVALID' })
  })
  it('when codes are classified, then only duplicates, concurrent changes, already-at-status and nothing-to-undo are warnings', () => {
    const warnings = Object.keys(SCAN_CODES).filter((c) => severityOf(c) === 'warning').sort()
    expect(warnings).toEqual(['ALREADY_AT_STATUS', 'CONCURRENT_CHANGE', 'DUPLICATE_SCAN', 'NOTHING_TO_UNDO'])
    expect(severityOf('SOMETHING_ELSE')).toBe('error')
  })
})

describe('mode cards', () => {
  it('when each card is printed and read back, then it means the same, in any case, and is Code 39-safe', () => {
    const cards = scanCardsFor(DEFAULT_TRACK.statuses)
    expect(cards.length).toBe(2 + DEFAULT_TRACK.statuses.length + 3)
    expect(cards.map((c) => c.payload)).toEqual(expect.arrayContaining(['TO-ENTERED', 'STATION-NEW-BATCH']))
    for (const c of cards) {
      expect(c.payload).toMatch(/^[A-Z0-9-]{1,43}$/)
      expect(parseScanCard(c.payload)).toEqual(c.card)
      expect(parseScanCard(c.payload.toLowerCase())).toEqual(c.card)
      expect(scanCardPayload(c.card)).toBe(c.payload)
      // Never a record payload.
      expect(routeScan(advance, c.payload)).toMatchObject({ action: 'card' })
    }
    expect(parseScanCard('TO-')).toBeNull()
    expect(parseScanCard('PO-000001')).toBeNull()
  })
})
