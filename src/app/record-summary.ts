import type { RecordType } from '../domain/records.ts'
import type { AnyRecordView } from './record-views.ts'
import type { LookupResult } from './lookup.ts'

/**
 * What a station screen shows of a record, and no more: a station token reads this through
 * /api/lookup, so sequential barcodes can't enumerate whole records (no addresses, phones,
 * email, notes, lines or payments).
 */
export type RecordSummary = { id: number; number: number; barcode: string | null } & Record<string, unknown>

export function recordSummary(type: RecordType, record: AnyRecordView): RecordSummary {
  const base = { id: record.id, number: record.number, barcode: record.barcode }
  switch (type) {
    case 'client': {
      const c = record as Extract<AnyRecordView, { lastName: string }>
      return { ...base, lastName: c.lastName, firstName: c.firstName, organization: c.organization, status: c.status }
    }
    case 'session': {
      const s = record as Extract<AnyRecordView, { sessionType: string }>
      return { ...base, clientId: s.clientId, sessionType: s.sessionType, startsAt: s.startsAt, endsAt: s.endsAt, photographer: s.photographer, location: s.location, status: s.status }
    }
    case 'invoice': {
      const i = record as Extract<AnyRecordView, { invoiceType: string }>
      return { ...base, clientId: i.clientId, invoiceType: i.invoiceType, invoiceDate: i.invoiceDate, totals: { balanceDue: i.totals.balanceDue } }
    }
    case 'production-order': {
      const o = record as Extract<AnyRecordView, { productionOrderNumber: number | null }>
      return { ...base, productionOrderNumber: o.productionOrderNumber, orderType: o.orderType, vendor: o.vendor, status: o.status, statusDueDate: o.statusDueDate }
    }
  }
}

export function lookupSummary(result: LookupResult): { type: RecordType; record: RecordSummary } {
  return { type: result.type, record: recordSummary(result.type, result.record) }
}

/**
 * A scan result as a station token may see it: its record as the summary, never the whole record
 * (the POST answer, the scan list and the live stream alike).
 */
export function scanResultSummary<T extends { type?: RecordType; record?: AnyRecordView }>(result: T): Omit<T, 'record'> & { record?: RecordSummary } {
  const { record, ...rest } = result
  if (!record || !result.type) return rest
  return { ...rest, record: recordSummary(result.type, record) }
}
