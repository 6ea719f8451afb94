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

// ---------------------------------------------------------------- scanning (migration 0003)
export interface StationsTable {
  id: Generated<number>
  name: string
  mode: string
  advance_to: string | null
  batch_started_at: number
  open_type: string | null
  open_id: number | null
  opened_at: number | null
  created_at: number
  updated_at: number
}

export interface ScannersTable {
  id: Generated<number>
  name: string
  station: string
  uri: string
  created_at: number
}

export interface ScanLogTable {
  id: Generated<number>
  station: string
  scanner: string | null
  source: string
  data: string
  outcome: string
  code: string | null
  record_type: string | null
  record_id: number | null
  order_id: number | null
  from_status: string | null
  to_status: string | null
  order_version: number | null
  undone_at: number | null
  result: string
  at: number
}

export interface Database {
  stations: StationsTable
  scanners: ScannersTable
  scan_log: ScanLogTable
}

// ---------------------------------------------------------------- printing (migration 0002)
export interface Database {
  printers: PrintersTable
  print_jobs: PrintJobsTable
}

export interface PrintersTable {
  id: Generated<number>
  name: string
  language: string
  uri: string
  location: string
  /** JSON {stock, dpi} or null. */
  media: string | null
  created_at: number
  updated_at: number
}

export interface PrintJobsTable {
  id: Generated<number>
  printer: string
  state: string
  /** JSON array of IPP job-state-reasons keywords. */
  reasons: string
  message: string | null
  document: string
  /** JSON array of record ids. */
  record_ids: string
  format: string
  /** JSON of the render options (media, dpi, startPosition …). */
  options: string
  copies: number
  content_type: string
  payload: Uint8Array
  /** JSON array: byte length of each unit of the payload. */
  unit_lengths: string
  total_units: number
  sent_units: Generated<number>
  written_units: Generated<number>
  confirmed: Generated<number>
  attempts: Generated<number>
  sending_started: Generated<number>
  cancel_requested: Generated<number>
  claimed_by: string | null
  lease_until: number | null
  idempotency_key: string | null
  request_hash: string | null
  reprint_of: number | null
  created_by: string
  created_at: number
  updated_at: number
  completed_at: number | null
}

/** A slice of a job's payload (migration 0007): the payload is every chunk of the job in seq order. */
export interface PrintJobChunksTable {
  job_id: number
  seq: number
  data: Uint8Array
}

export interface LabelTemplatesTable {
  id: Generated<number>
  document: string
  version: number
  kind: string
  body: string
  note: string | null
  created_at: number
  created_by: string
}

export interface LabelTemplateActiveTable {
  document: string
  /** null: the built-in template. */
  version: number | null
  updated_at: number
}

// ---------------------------------------------------------------- templates (migration 0004)
export interface Database {
  label_templates: LabelTemplatesTable
  label_template_active: LabelTemplateActiveTable
}

// ---------------------------------------------------------------- locations (migration 0005)
// The server id (STUDIO_SERVER_ID) serving a station or scanner; NULL (rows from before 0005):
// not set, taken as every server's own (a single-server install keeps working).
export interface StationsTable {
  location: string | null
}

export interface ScannersTable {
  location: string | null
}

// ---------------------------------------------------------------- client search (migration 0006)
// The values a client is found by (domain/client-search.ts), rewritten with every create and
// patch. NULL only for a row written by a server from before 0006.
export interface ClientsTable {
  search_text: string | null
}

// ---------------------------------------------------------------- production floor (migration 0010)
export interface StationsTable {
  /** `next` (each order to its next status) or `chosen` (to `advance_to`, refused while it is null). */
  target_kind: Generated<string>
  /** 1: scans may move orders backwards or out of their final status at this station. */
  allow_backward: Generated<number>
  /** The station's current batch (1, 2, 3 …): duplicate-in-batch and undo compare batch ids, never clocks. */
  batch_id: Generated<number>
  /** The database's clock (epoch ms) at the batch's last scan: a batch idle longer than the studio's idle time ends. */
  batch_last_scan_at: number | null
}

export interface ScanLogTable {
  /** The station's batch the scan belongs to (null: rows from before migration 0010). */
  batch_id: number | null
}

export interface StatusHistoryTable {
  /** Why a person changed the status by hand (the production hub); null for scans and plain advances. */
  reason: string | null
}

// ---------------------------------------------------------------- job payload chunks (migration 0007)
export interface Database {
  print_job_chunks: PrintJobChunksTable
}

// ---------------------------------------------------------------- station event log (migration 0014)
export interface StationEventLogTable {
  id: Generated<number>
  station: string
  /** 'scanner' | 'station' */
  kind: string
  /** The event's data as a station stream writes it (JSON). */
  data: string
  at: number
}

export interface Database {
  station_event_log: StationEventLogTable
}
