import type { Db } from '../store/create-db.ts'
import { ClientStore, InvoiceStore, ProductionOrderStore, SessionStore, type Clock } from '../store/records-store.ts'
import { SettingsStore } from '../store/settings-store.ts'
import { TokenStore } from '../store/token-store.ts'
import { TemplateStore } from '../store/template-store.ts'

/** Every store over one database: what the use cases and routes are handed. */
export interface Stores {
  database: Db
  clients: ClientStore
  sessions: SessionStore
  invoices: InvoiceStore
  orders: ProductionOrderStore
  settings: SettingsStore
  tokens: TokenStore
  templates: TemplateStore
  clock: Clock
}

export function createStores(database: Db, clock: Clock = () => new Date()): Stores {
  const { db } = database
  return {
    database,
    clients: new ClientStore(db, clock),
    sessions: new SessionStore(db, clock),
    invoices: new InvoiceStore(db, clock),
    orders: new ProductionOrderStore(db, clock),
    settings: new SettingsStore(db, clock),
    tokens: new TokenStore(db, clock),
    templates: new TemplateStore(db, clock),
    clock,
  }
}
