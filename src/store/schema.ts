/** Table types as kysely sees them. Instants are epoch milliseconds (BIGINT); booleans 0/1; JSON as text. */
import type { Generated } from 'kysely'

export interface SequencesTable {
  name: string
  next_value: number
}

export interface ClientsTable {
  id: Generated<number>
  number: number
  last_name: string
  first_name: string
  data: string
  created_at: number
  updated_at: number
}

export interface SessionsTable {
  id: Generated<number>
  number: number
  client_id: number
  starts_at: number
  photographer: string
  data: string
  created_at: number
  updated_at: number
}

export interface InvoicesTable {
  id: Generated<number>
  number: number
  client_id: number
  bill_to_client_id: number
  session_id: number | null
  data: string
  created_at: number
  updated_at: number
}

export interface ProductionOrdersTable {
  id: Generated<number>
  number: number
  production_order_number: number | null
  client_id: number | null
  session_id: number | null
  order_type: string
  status: string
  status_due_date: string | null
  version: number
  data: string
  created_at: number
  updated_at: number
}

export interface StatusHistoryTable {
  id: Generated<number>
  order_id: number
  from_status: string | null
  to_status: string
  at: number
  by_who: string
  station: string | null
}

export interface StatusTracksTable {
  order_type: string
  statuses: string
  updated_at: number
}

export interface SettingsTable {
  name: string
  value: string
  updated_at: number
}

export interface ApiTokensTable {
  id: Generated<number>
  token_hash: string
  role: string
  station: string | null
  label: string | null
  created_at: number
  revoked_at: number | null
}

export interface Database {
  sequences: SequencesTable
  clients: ClientsTable
  sessions: SessionsTable
  invoices: InvoicesTable
  production_orders: ProductionOrdersTable
  status_history: StatusHistoryTable
  status_tracks: StatusTracksTable
  settings: SettingsTable
  api_tokens: ApiTokensTable
}
