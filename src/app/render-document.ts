import type { Stores } from './stores.ts'
import { assertFormat, barcodeFor, DOCUMENT_RECORD, isDocumentName, type DocumentName, type DocumentSubject, type OutputFormat } from '../domain/documents.ts'
import { NotFoundError } from '../domain/errors.ts'
import { findStatus, trackFor } from '../domain/status-track.ts'
import { render, type RenderResult } from '../templates/index.ts'
import type { LabelTemplate } from '../templates/index.ts'

export interface DocumentOptions {
  media?: string
  dpi?: 203 | 300
  receiptWidthMm?: 80 | 58
  startPosition?: number
  /** A studio label template (a stored version); built-in when absent. */
  template?: LabelTemplate
}

export function assertDocument(name: string): DocumentName {
  if (!isDocumentName(name)) throw new NotFoundError(`Document "${name.slice(0, 40)}"`, { document: name }, 'DOCUMENT_NOT_FOUND')
  return name
}

/** Loads everything one document of one record is rendered from. */
export async function loadSubject(stores: Stores, document: DocumentName, recordId: number): Promise<DocumentSubject> {
  switch (DOCUMENT_RECORD[document]) {
    case 'client': {
      const client = await stores.clients.get(recordId)
      if (document === 'client-label') return { document, client }
      const [sessions, invoices] = await Promise.all([stores.sessions.listByClient(client.id), stores.invoices.listByClient(client.id)])
      return { document: 'client-profile', client, sessions, invoices }
    }
    case 'session': {
      const session = await stores.sessions.get(recordId)
      const client = await stores.clients.get(session.clientId)
      return { document: document as 'session-confirmation' | 'photographer-confirmation', session, client }
    }
    case 'invoice': {
      const invoice = await stores.invoices.get(recordId)
      const [client, billTo, session] = await Promise.all([
        stores.clients.get(invoice.clientId),
        stores.clients.get(invoice.billToClientId),
        invoice.sessionId === null ? Promise.resolve(null) : stores.sessions.get(invoice.sessionId),
      ])
      return { document: 'invoice', invoice, client, billTo, session }
    }
    case 'production-order': {
      const order = await stores.orders.get(recordId)
      const [client, session, invoices, tracks] = await Promise.all([
        order.clientId === null ? Promise.resolve(null) : stores.clients.get(order.clientId),
        order.sessionId === null ? Promise.resolve(null) : stores.sessions.get(order.sessionId),
        stores.invoices.findMany(order.invoiceIds),
        stores.settings.tracks(),
      ])
      const statusName = findStatus(trackFor(tracks, order.orderType), order.status)?.name ?? order.status
      return { document: document as 'work-order' | 'purchase-order' | 'order-label', order, statusName, client, session, invoices }
    }
  }
}

/**
 * Renders one document of one record in one format, with the barcode the studio's preferences
 * choose. 415 FORMAT_NOT_SUPPORTED, 422 PRODUCTION_ORDER_NUMBER_MISSING, 404 RECORD_NOT_FOUND.
 */
export async function renderDocument(stores: Stores, document: DocumentName, recordId: number, format: string, options: DocumentOptions = {}): Promise<RenderResult> {
  const checked: OutputFormat = assertFormat(document, format)
  const subject = await loadSubject(stores, document, recordId)
  const [prefs, studio] = await Promise.all([stores.settings.barcoding(), stores.settings.studio()])
  const barcode = barcodeFor(subject, prefs)
  return render({ subject, format: checked, studio, barcode, ...options })
}
