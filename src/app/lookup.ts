import type { Stores } from './stores.ts'
import type { RecordType } from '../domain/records.ts'
import { parsePayload, type ParsedPayload } from '../domain/barcode-payload.ts'
import { NotFoundError } from '../domain/errors.ts'
import { viewOf, type AnyRecordView } from './record-views.ts'

export interface LookupResult {
  type: RecordType
  record: AnyRecordView
}

/** The record a scanned or typed barcode stands for (a leading AIM identifier allowed). BARCODE_INVALID, RECORD_NOT_FOUND otherwise. */
export async function lookupBarcode(stores: Stores, barcode: string): Promise<LookupResult> {
  return lookupPayload(stores, parsePayload(barcode), barcode)
}

/** The record of a barcode already parsed (a scan, routed); RECORD_NOT_FOUND when there is none. */
export async function lookupPayload(stores: Stores, payload: Pick<ParsedPayload, 'type' | 'number'>, barcode: string): Promise<LookupResult> {
  const { type, number } = payload
  const record =
    type === 'client'
      ? await stores.clients.findByNumber(number)
      : type === 'session'
        ? await stores.sessions.findByNumber(number)
        : type === 'invoice'
          ? await stores.invoices.findByNumber(number)
          : await stores.orders.findByProductionOrderNumber(number)
  if (!record) throw new NotFoundError(`No ${type} has the barcode ${barcode.trim()}; it`, { type, number }, 'RECORD_NOT_FOUND')
  return { type, record: viewOf(type, record) }
}
