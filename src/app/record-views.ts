import type { Client, Invoice, ProductionOrder, RecordType, Session } from '../domain/records.ts'
import { invoiceTotals } from '../domain/records.ts'
import { recordPayload } from '../domain/documents.ts'

/** A record as the API shows it: with the payload its printed barcode encodes (or null). */
export type RecordView<T> = T & { barcode: string | null }

export function clientView(c: Client): RecordView<Client> {
  return { ...c, barcode: recordPayload('client', c) }
}
export function sessionView(s: Session): RecordView<Session> {
  return { ...s, barcode: recordPayload('session', s) }
}
export function invoiceView(i: Invoice): RecordView<Invoice> & { totals: ReturnType<typeof invoiceTotals> } {
  return { ...i, barcode: recordPayload('invoice', i), totals: invoiceTotals(i) }
}
export function orderView(o: ProductionOrder): RecordView<ProductionOrder> {
  return { ...o, barcode: recordPayload('production-order', o) }
}

export type AnyRecordView = ReturnType<typeof clientView> | ReturnType<typeof sessionView> | ReturnType<typeof invoiceView> | ReturnType<typeof orderView>

export function viewOf(type: RecordType, record: Client | Session | Invoice | ProductionOrder): AnyRecordView {
  switch (type) {
    case 'client':
      return clientView(record as Client)
    case 'session':
      return sessionView(record as Session)
    case 'invoice':
      return invoiceView(record as Invoice)
    case 'production-order':
      return orderView(record as ProductionOrder)
  }
}
