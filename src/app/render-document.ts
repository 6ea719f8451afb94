import type { Stores } from './stores.ts'
import { assertFormat, barcodeFor, DOCUMENT_RECORD, isDocumentName, type DocumentName, type DocumentSubject, type OutputFormat } from '../domain/documents.ts'
import { NotFoundError } from '../domain/errors.ts'
import type { LabelLanguage } from '../domain/printer-language.ts'
import { findStatus, trackFor } from '../domain/status-track.ts'
import { renderInPool } from './render/render-pool.ts'
import { LABEL_DOCUMENTS, type RenderResult, type LabelDocument, type LabelTemplate } from '../templates/index.ts'

export interface DocumentOptions {
  media?: string
  dpi?: 203 | 300
  receiptWidthMm?: 80 | 58
  startPosition?: number
  /**
   * Which studio template version to use for a label: a number, null for the built-in, or
   * absent for the version active now. (A job stores the version it was made with, so a
   * reprint uses that one.)
   */
  templateVersion?: number | null
  /** A template given inline (preview of an upload); wins over templateVersion. */
  template?: LabelTemplate
  /** A PNG label laid out as a ZPL or EPL printer prints it (the preview of that printer). */
  layoutAs?: LabelLanguage
}

export type DocumentRender = RenderResult & {
  /** The studio template version used, or null for the built-in one. */
  templateVersion: number | null
}

export function isLabel(document: DocumentName): document is LabelDocument {
  return (LABEL_DOCUMENTS as readonly string[]).includes(document)
}

/** The label template a render uses: inline, a given version, the active one, or built-in (null). */
export async function resolveTemplate(stores: Stores, document: DocumentName, options: DocumentOptions): Promise<{ template: LabelTemplate | undefined; version: number | null }> {
  if (options.template) return { template: options.template, version: null }
  if (!isLabel(document)) return { template: undefined, version: null }
  const version = options.templateVersion === undefined ? await stores.templates.activeVersion(document) : options.templateVersion
  if (version === null) return { template: undefined, version: null }
  return { template: (await stores.templates.get(document, version)).template, version }
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
export async function renderDocument(stores: Stores, document: DocumentName, recordId: number, format: string, options: DocumentOptions = {}): Promise<DocumentRender> {
  const checked: OutputFormat = assertFormat(document, format)
  const subject = await loadSubject(stores, document, recordId)
  const [prefs, studio, chosen] = await Promise.all([stores.settings.barcoding(), stores.settings.studio(), resolveTemplate(stores, document, options)])
  const barcode = barcodeFor(subject, prefs)
  const { templateVersion: _v, template: _t, ...renderOptions } = options
  // Rendered in a worker thread: a heavy document never holds up other requests.
  const result = await renderInPool({ kind: 'render', req: { subject, format: checked, studio, barcode, ...renderOptions, template: chosen.template } })
  return { ...result, templateVersion: chosen.version }
}
