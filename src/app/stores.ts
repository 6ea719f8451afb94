import type { Db } from '../store/create-db.ts'
import { ClientStore, InvoiceStore, ProductionOrderStore, SessionStore, type Clock } from '../store/records-store.ts'
import { SettingsStore } from '../store/settings-store.ts'
import { TokenStore } from '../store/token-store.ts'
import { TemplateStore } from '../store/template-store.ts'
import { WebSessionStore } from '../store/web-session-store.ts'
import { AuthThrottle } from '../store/auth-throttle.ts'

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
  /** Browser sessions (server-side, migration 0008). */
  webSessions: WebSessionStore
  /** Failed sign-ins per client address (in memory, this server only). */
  authThrottle: AuthThrottle
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
    webSessions: new WebSessionStore(db, clock),
    authThrottle: new AuthThrottle(),
    clock,
  }
}
