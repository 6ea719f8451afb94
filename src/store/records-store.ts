/**
 * The record stores, one module per record type over the shared row mapper (record-row.ts).
 * Re-exported here for code that imports them from one place.
 */
export { ClientStore } from './client-store.ts'
export { SessionStore } from './session-store.ts'
export { InvoiceStore } from './invoice-store.ts'
export { ProductionOrderStore, orderFromRow, type Actor } from './production-order-store.ts'
export { type Clock } from './record-row.ts'
