import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { Database, PrintJobsTable } from './schema.ts'
import type { DialectName } from './create-db.ts'
import { isUniqueViolation } from './sql-errors.ts'
import { preparedQuery } from './prepared-query.ts'
import { directTransaction } from './sqlite-direct.ts'
import { PrinterGoneError } from '../domain/errors.ts'
import { ACTIVE_STATES, FINAL_STATES, JOB_STATES, JOB_TRANSITIONS, SETTLE_EVENT, statesFor, unconfirmedMessage, type JobEvent, type JobState } from '../domain/print-job.ts'

export { ACTIVE_STATES, FINAL_STATES, JOB_STATES, type JobState }

/** A job row without its payload, fields decoded. */
export interface PrintJobRow {
  id: number
  printer: string
  state: JobState
  reasons: string[]
  message: string | null
  document: string
  recordIds: number[]
  format: string
  options: Record<string, unknown>
  copies: number
  contentType: string
  totalUnits: number
  sentUnits: number
  writtenUnits: number
  confirmed: boolean
  attempts: number
  sendingStarted: boolean
  cancelRequested: boolean
  claimedBy: string | null
  leaseUntil: number | null
  idempotencyKey: string | null
  requestHash: string | null
  reprintOf: number | null
  createdBy: string
  createdAt: number
  updatedAt: number
  completedAt: number | null
}

export interface NewPrintJob {
  printer: string
  document: string
  recordIds: number[]
  format: string
  options: Record<string, unknown>
  copies: number
  contentType: string
  /** The bytes to send, as one buffer or as its units in order (stored without joining them first). */
  payload: Uint8Array | readonly Uint8Array[]
  unitLengths: number[]
  /**
   * Units the job sends, the scale of its progress and resume points: documents × copies for a
   * raw printer (every copy streams as units), documents for IPP (copies is a job attribute).
   */
  totalUnits: number
  idempotencyKey: string | null
  requestHash: string | null
  reprintOf: number | null
  createdBy: string
  /** Queue the job held with this reason instead of pending (`job-incoming`: its document comes later). */
  heldFor?: string
}

/** A document for a job queued held `job-incoming` (IPP Create-Job, then Send-Document). */
export interface IncomingDocument {
  contentType: string
  options: Record<string, unknown>
  payload: Uint8Array
  unitLengths: number[]
  totalUnits: number
}

export interface JobPayload {
  payload: Buffer
  /** Byte length of each unit; [] when the stored list is unreadable. */
  unitLengths: number[]
}

function parseUnitLengths(text: string): number[] {
  try {
    const v: unknown = JSON.parse(text)
    return Array.isArray(v) && v.every((n) => Number.isSafeInteger(n) && (n as number) >= 0) ? (v as number[]) : []
  } catch {
    return []
  }
}

const COLUMNS = [
  'id', 'printer', 'state', 'reasons', 'message', 'document', 'record_ids', 'format', 'options', 'copies', 'content_type',
  'total_units', 'sent_units', 'written_units', 'confirmed', 'attempts', 'sending_started', 'cancel_requested', 'claimed_by',
  'lease_until', 'idempotency_key', 'request_hash', 'reprint_of', 'created_by', 'created_at', 'updated_at', 'completed_at',
] as const

type Row = Pick<Selectable<PrintJobsTable>, (typeof COLUMNS)[number]>

const n = (v: unknown): number => Number(v)
const nOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v))

function toRow(r: Row): PrintJobRow {
  return {
    id: n(r.id),
    printer: r.printer,
    state: r.state as JobState,
    reasons: JSON.parse(r.reasons) as string[],
    message: r.message,
    document: r.document,
    recordIds: JSON.parse(r.record_ids) as number[],
    format: r.format,
    options: JSON.parse(r.options) as Record<string, unknown>,
    copies: n(r.copies),
    contentType: r.content_type,
    totalUnits: n(r.total_units),
    sentUnits: n(r.sent_units),
    writtenUnits: n(r.written_units),
    confirmed: n(r.confirmed) === 1,
    attempts: n(r.attempts),
    sendingStarted: n(r.sending_started) === 1,
    cancelRequested: n(r.cancel_requested) === 1,
    claimedBy: r.claimed_by,
    leaseUntil: nOrNull(r.lease_until),
    idempotencyKey: r.idempotency_key,
    requestHash: r.request_hash,
    reprintOf: nOrNull(r.reprint_of),
    createdBy: r.created_by,
    createdAt: n(r.created_at),
    updatedAt: n(r.updated_at),
    completedAt: nOrNull(r.completed_at),
  }
}

/** The largest payload a manifest may announce (the job size limit is 64 MiB; this guards a damaged row). */
const MAX_STORED_PAYLOAD_BYTES = 256 * 1024 * 1024

/** Payload chunk size: far below MariaDB's default max_allowed_packet (16 MiB). */
export const PAYLOAD_CHUNK_BYTES = 1024 * 1024

const MANIFEST = '\0studio-print-chunks:'

/** What print_jobs.payload holds for a chunked job: the number of chunks and bytes to expect. */
function chunkManifest(bytes: number): Buffer {
  return Buffer.from(`${MANIFEST}${Math.ceil(bytes / PAYLOAD_CHUNK_BYTES)}:${bytes}`, 'latin1')
}

function readManifest(column: Buffer): { chunks: number; bytes: number } | null {
  if (column.length > 64 || !column.toString('latin1').startsWith(MANIFEST)) return null
  const [chunks, bytes] = column.toString('latin1').slice(MANIFEST.length).split(':').map(Number)
  return Number.isSafeInteger(chunks) && Number.isSafeInteger(bytes) ? { chunks, bytes } : null
}

function toBuffer(v: unknown): Buffer {
  return Buffer.isBuffer(v) ? v : Buffer.from(v as Uint8Array)
}

/**
 * Lets the event loop run (timers, sockets) before the next chunk. better-sqlite3 answers each
 * statement synchronously and kysely awaits it in a microtask, so without this a 37-chunk job
 * would hold the server's one thread for every chunk in a row (measured ~150 ms on SQLite).
 */
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

function partsOf(payload: NewPrintJob['payload']): Buffer[] {
  const list = payload instanceof Uint8Array ? [payload] : payload
  return list.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))
}

function byteLengthOf(payload: NewPrintJob['payload']): number {
  return partsOf(payload).reduce((sum, p) => sum + p.length, 0)
}

/** The payload cut into chunks of PAYLOAD_CHUNK_BYTES across its parts: views where a chunk lies in one part, a ≤ 1 MiB copy where it spans two. */
function* chunksOf(parts: Buffer[]): Generator<Buffer> {
  let pending: Buffer[] = []
  let pendingBytes = 0
  for (const part of parts) {
    let at = 0
    while (at < part.length) {
      const take = Math.min(PAYLOAD_CHUNK_BYTES - pendingBytes, part.length - at)
      pending.push(part.subarray(at, at + take))
      pendingBytes += take
      at += take
      if (pendingBytes === PAYLOAD_CHUNK_BYTES) {
        yield pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes)
        pending = []
        pendingBytes = 0
      }
    }
  }
  if (pendingBytes > 0) yield pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingBytes)
}

/** Writes a payload as print_job_chunks rows of at most PAYLOAD_CHUNK_BYTES, one statement each, letting the event loop run between them. */
async function writeChunks(trx: Transaction<Database>, jobId: number, payload: NewPrintJob['payload']): Promise<void> {
  let seq = 0
  for (const data of chunksOf(partsOf(payload))) {
    if (seq > 0) await turn()
    await insertChunk(trx, { jobId, seq, data })
    seq++
  }
}

const jobById = preparedQuery((db, p: { id: number }) => db.selectFrom('print_jobs').select(COLUMNS).where('id', '=', p.id))
const jobByKey = preparedQuery((db, p: { key: string }) => db.selectFrom('print_jobs').select(COLUMNS).where('idempotency_key', '=', p.key))
const insertChunk = preparedQuery((db, p: { jobId: number; seq: number; data: Buffer }) => db.insertInto('print_job_chunks').values({ job_id: p.jobId, seq: p.seq, data: p.data }))
/** A job's stored payload column, unit lengths, how many chunks it has (and the last one's number) and its first chunk: one statement for a label job. */
const payloadColumns = preparedQuery((db, p: { id: number }) =>
  db
    .selectFrom('print_jobs')
    .select((eb) => [
      'payload',
      'unit_lengths',
      eb.selectFrom('print_job_chunks').select((c) => c.fn.countAll<number>().as('n')).where('job_id', '=', p.id).as('chunk_count'),
      eb.selectFrom('print_job_chunks').select((c) => c.fn.max('seq').as('last')).where('job_id', '=', p.id).as('chunk_last'),
      eb.selectFrom('print_job_chunks').select('data').where('job_id', '=', p.id).where('seq', '=', 0).as('first_chunk'),
    ])
    .where('id', '=', p.id),
)
const chunkData = preparedQuery((db, p: { id: number; seq: number }) => db.selectFrom('print_job_chunks').select('data').where('job_id', '=', p.id).where('seq', '=', p.seq))
const heldForPrinterIds = preparedQuery((db, p: { printer: string }) =>
  db.selectFrom('print_jobs').select('id').where('printer', '=', p.printer).where('state', '=', 'held').where('reasons', 'like', '%"printer-stopped"%').orderBy('id'),
)
/** The columns insertRow writes, in order. */
const INSERT_COLUMNS = [
  'printer', 'state', 'reasons', 'document', 'record_ids', 'format', 'options', 'copies', 'content_type', 'payload', 'unit_lengths',
  'total_units', 'idempotency_key', 'request_hash', 'reprint_of', 'created_by', 'created_at', 'updated_at',
] as const
type InsertValues = { [C in (typeof INSERT_COLUMNS)[number]]: Insertable<PrintJobsTable>[C] }
/** INSERT … SELECT … FROM printers WHERE name: a row only while its printer exists. */
const insertJob = preparedQuery((db, p: InsertValues & { printerName: string }) =>
  db
    .insertInto('print_jobs')
    .columns(INSERT_COLUMNS)
    .expression((eb) => eb.selectFrom('printers').select(INSERT_COLUMNS.map((c) => eb.val(p[c]).as(c))).where('printers.name', '=', p.printerName)),
)
/** SQLite's claim: writes are serialized, so the pick, the check that none of the printer's jobs is processing, and the update are one atomic step. */
const claimOldest = preparedQuery((db, p: { printer: string; instance: string; leaseUntil: number; at: number }) =>
  db
    .updateTable('print_jobs')
    .set((eb) => ({
      state: JOB_TRANSITIONS.claim.to,
      reasons: JSON.stringify(['job-printing']),
      claimed_by: p.instance,
      lease_until: p.leaseUntil,
      sending_started: 0,
      updated_at: p.at,
      attempts: eb('attempts', '+', 1),
    }))
    .where('id', '=', (eb) => eb.selectFrom('print_jobs as next').select('next.id').where('next.printer', '=', p.printer).where('next.state', 'in', statesFor('claim')).orderBy('next.id').limit(1))
    .where('state', 'in', statesFor('claim'))
    .where(({ not, exists, selectFrom }) => not(exists(selectFrom('print_jobs as busy').select('busy.id').where('busy.printer', '=', p.printer).where('busy.state', '=', 'processing'))))
    .returning(COLUMNS),
)
/** The larger of two numbers in SQL: MariaDB's GREATEST, SQLite's two-argument MAX. */
const GREATEST: Record<DialectName, 'greatest' | 'max'> = { sqlite: 'max', mysql: 'greatest' }
/** The same query for each database kind (`build` told which). */
function perDialect<Q>(build: (dialect: DialectName) => Q): Record<DialectName, Q> {
  return { sqlite: build('sqlite'), mysql: build('mysql') }
}
/** Per dialect: the write-ahead record (units up to `upTo` may reach the printer from now on). */
const markSendingQuery = perDialect((dialect) =>
  preparedQuery((db, p: { id: number; instance: string; upTo: number; leaseUntil: number; at: number }) =>
    db
      .updateTable('print_jobs')
      .set((eb) => ({ sending_started: 1, written_units: eb.fn<number>(GREATEST[dialect], [eb.ref('written_units'), eb.val(p.upTo)]), lease_until: p.leaseUntil, updated_at: p.at }))
      .where('id', '=', p.id)
      .where('state', '=', 'processing')
      .where('claimed_by', '=', p.instance),
  ),
)
/** Per dialect: confirmed progress and the lease renewed. */
const progressQuery = perDialect((dialect) =>
  preparedQuery((db, p: { id: number; instance: string; sent: number; written: number; leaseUntil: number; at: number }) =>
    db
      .updateTable('print_jobs')
      .set((eb) => ({
        sent_units: eb.fn<number>(GREATEST[dialect], [eb.ref('sent_units'), eb.val(p.sent)]),
        written_units: eb.fn<number>(GREATEST[dialect], [eb.ref('written_units'), eb.val(p.written)]),
        lease_until: p.leaseUntil,
        updated_at: p.at,
      }))
      .where('id', '=', p.id)
      .where('state', '=', 'processing')
      .where('claimed_by', '=', p.instance),
  ),
)

interface SettleParams {
  id: number
  instance: string
  reasons: string
  message: string | null
  /** null: unchanged. */
  sent: number | null
  written: number | null
  confirmed: number | null
  at: number
  completedAt: number | null
}
/**
 * Ends an attempt with `event` (its target state and from-states from the transition table),
 * guarded by the claim; `cancelGuard`: only while cancel_requested has this value (null: any).
 */
const settleQueries = new Map<string, ReturnType<typeof settleQuery>>()
function settleQuery(event: JobEvent, cancelGuard: 0 | 1 | null) {
  return preparedQuery((db, p: SettleParams) => {
    let q = db
      .updateTable('print_jobs')
      .set((eb) => ({
        state: JOB_TRANSITIONS[event].to,
        reasons: p.reasons,
        message: p.message,
        sent_units: eb.fn.coalesce(eb.val(p.sent), eb.ref('sent_units')),
        written_units: eb.fn.coalesce(eb.val(p.written), eb.ref('written_units')),
        confirmed: eb.fn.coalesce(eb.val(p.confirmed), eb.ref('confirmed')),
        claimed_by: null,
        lease_until: null,
        sending_started: 0,
        cancel_requested: 0,
        updated_at: p.at,
        completed_at: p.completedAt,
      }))
      .where('id', '=', p.id)
      .where('state', 'in', statesFor(event))
      .where('claimed_by', '=', p.instance)
    if (cancelGuard !== null) q = q.where('cancel_requested', '=', cancelGuard)
    return q
  })
}
function settleFor(event: JobEvent, cancelGuard: 0 | 1 | null) {
  const key = `${event}:${cancelGuard}`
  let q = settleQueries.get(key)
  if (!q) settleQueries.set(key, (q = settleQuery(event, cancelGuard)))
  return q
}

const cancelRequested = preparedQuery((db, p: { id: number }) => db.selectFrom('print_jobs').select('cancel_requested').where('id', '=', p.id))

/** At most this many jobs share one SQLite commit (the rest go in the next). */
export const GROUP_COMMIT_MAX = 64

/** Thrown by insert() when the Idempotency-Key exists already (the caller reads that job). */
export class IdempotencyKeyTakenError extends Error {
  constructor(readonly key: string) {
    super(`idempotency key ${key} is taken`)
  }
}

/**
 * The durable print queue. Every change a worker makes to a job it claimed is guarded by
 * `state = 'processing' AND claimed_by = :instance`, so a worker that lost its lease can't
 * overwrite what another server decided.
 */
export class PrintJobStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Queues a job, in one statement that only inserts while its printer exists
   * (INSERT … SELECT … FROM printers WHERE name): a printer deleted after the caller read it
   * gets no job (PrinterGoneError). deletePrinterIfIdle is one statement too, so one of the two
   * sees the other — SQLite runs them one after the other; on MariaDB (REPEATABLE READ) the
   * SELECT of INSERT … SELECT share-locks the printer row that the DELETE must lock exclusively,
   * and the DELETE's NOT EXISTS reads print_jobs with next-key locks.
   */
  async insert(job: NewPrintJob): Promise<number> {
    if (this.dialect !== 'sqlite') return this.insertOne(job)
    return new Promise<number>((resolve, reject) => {
      this.queued.push({ job, resolve, reject })
      if (this.queued.length === 1) this.scheduleInsert()
    })
  }

  /** Batches run one after another (a failed batch's jobs go again, in order, before the next batch): jobs get ids in the order they came. */
  private inserting: Promise<void> = Promise.resolve()
  private scheduleInsert(): void {
    setImmediate(() => {
      // insertQueued settles every job it took (its errors go to their callers); the chain never stops.
      this.inserting = this.inserting.then(() => this.insertQueued()).catch(() => {})
    })
  }

  /** The row and its payload chunks in one transaction: a worker never claims half a job. */
  private insertOne(job: NewPrintJob): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      const id = await this.insertRow(trx, job)
      await writeChunks(trx, id, job.payload)
      return id
    })
  }

  /** SQLite: jobs waiting to be inserted by the next group commit. */
  private readonly queued: Array<{ job: NewPrintJob; resolve: (id: number) => void; reject: (err: unknown) => void }> = []

  /**
   * SQLite group commit: the jobs accepted in one turn of the event loop are inserted in one
   * transaction, in the order they came (ids in that order); each caller's promise settles after
   * the commit. When any of them fails (its Idempotency-Key taken, its printer deleted) or the
   * commit does, nothing of the batch was stored, and each job is inserted again on its own, so
   * that each gets its own outcome. One commit for many jobs: SQLite writes each touched page once
   * per commit (the queue's indexes, the event outbox).
   */
  private async insertQueued(): Promise<void> {
    const batch = this.queued.splice(0, GROUP_COMMIT_MAX)
    if (this.queued.length > 0) this.scheduleInsert()
    const alone = (b: (typeof batch)[number]) => this.insertOne(b.job).then(b.resolve, b.reject)
    if (batch.length === 0) return
    if (batch.length === 1) return alone(batch[0])
    let ids: number[]
    try {
      ids = await this.db.transaction().execute(async (trx) => {
        const out: number[] = []
        for (const { job } of batch) {
          const id = await this.insertRow(trx, job)
          await writeChunks(trx, id, job.payload)
          out.push(id)
        }
        return out
      })
    } catch {
      for (const b of batch) await alone(b)
      return
    }
    batch.forEach((b, i) => b.resolve(ids[i]))
  }

  private async insertRow(trx: Transaction<Database>, job: NewPrintJob): Promise<number> {
    const at = this.now()
    const values: InsertValues = {
      printer: job.printer,
      state: job.heldFor ? 'held' : 'pending',
      reasons: JSON.stringify([job.heldFor ?? 'job-queued']),
      document: job.document,
      record_ids: JSON.stringify(job.recordIds),
      format: job.format,
      options: JSON.stringify(job.options),
      copies: job.copies,
      content_type: job.contentType,
      // The bytes are in print_job_chunks (migration 0007); this column says how many chunks and
      // bytes there are (older jobs hold their whole payload here).
      payload: chunkManifest(byteLengthOf(job.payload)),
      unit_lengths: JSON.stringify(job.unitLengths),
      total_units: job.totalUnits,
      idempotency_key: job.idempotencyKey,
      request_hash: job.requestHash,
      reprint_of: job.reprintOf,
      created_by: job.createdBy,
      created_at: at,
      updated_at: at,
    }
    let res
    try {
      res = await insertJob(trx, { ...values, printerName: job.printer })
    } catch (err) {
      if (job.idempotencyKey !== null && isUniqueViolation(err)) throw new IdempotencyKeyTakenError(job.idempotencyKey)
      throw err
    }
    if (Number(res.numAffectedRows ?? 0) !== 1) throw new PrinterGoneError(job.printer)
    return Number(res.insertId)
  }

  async get(id: number): Promise<PrintJobRow | null> {
    const r = (await jobById(this.db, { id })).rows[0]
    return r ? toRow(r) : null
  }

  async findByKey(key: string): Promise<PrintJobRow | null> {
    const r = (await jobByKey(this.db, { key })).rows[0]
    return r ? toRow(r) : null
  }

  /** The job's stored bytes: its chunks in order, or (jobs stored before migration 0007) the payload column. */
  async payload(id: number): Promise<JobPayload | null> {
    const r = (await payloadColumns(this.db, { id })).rows[0]
    if (!r) return null
    const unitLengths = parseUnitLengths(r.unit_lengths)
    const column = toBuffer(r.payload)
    const manifest = readManifest(column)
    if (!manifest) return { payload: column, unitLengths }
    // One chunk (≤ 1 MiB) per statement, copied into place, with the event loop let run between
    // them: no packet nears max_allowed_packet, and a big job never holds the server's thread (on
    // SQLite reading 37 chunks at once and joining them took ~140 ms + ~130 ms).
    const damaged = { payload: Buffer.alloc(0), unitLengths }
    // A chunk lost or added: damaged, so the job can't print (the worker aborts it).
    if (Number(r.chunk_count) !== manifest.chunks || (manifest.chunks > 0 && Number(r.chunk_last) !== manifest.chunks - 1)) return damaged
    if (manifest.bytes > MAX_STORED_PAYLOAD_BYTES) return damaged
    const payload = Buffer.allocUnsafe(manifest.bytes)
    let at = 0
    for (let seq = 0; seq < manifest.chunks; seq++) {
      if (seq > 0) await turn()
      const chunk = seq === 0 ? r.first_chunk : (await chunkData(this.db, { id, seq })).rows[0]?.data
      if (chunk === null || chunk === undefined) return damaged
      const data = toBuffer(chunk)
      if (at + data.length > payload.length) return damaged
      data.copy(payload, at)
      at += data.length
    }
    if (at !== manifest.bytes) return damaged
    return { payload, unitLengths }
  }

  async list(filter: { state?: JobState; printer?: string; limit: number; after: number; newestFirst?: boolean }): Promise<PrintJobRow[]> {
    let q = this.db.selectFrom('print_jobs').select(COLUMNS)
    if (filter.state) q = q.where('state', '=', filter.state)
    if (filter.printer) q = q.where('printer', '=', filter.printer)
    if (filter.after > 0) q = q.where('id', filter.newestFirst ? '<' : '>', filter.after)
    const rows = await q.orderBy('id', filter.newestFirst ? 'desc' : 'asc').limit(filter.limit + 1).execute()
    return rows.map(toRow)
  }

  async countActive(printer: string): Promise<number> {
    const r = await this.db
      .selectFrom('print_jobs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('printer', '=', printer)
      .where('state', 'in', ACTIVE_STATES)
      .executeTakeFirstOrThrow()
    return Number(r.n)
  }

  /** Deletes the printer unless it has active jobs, in one statement. */
  async deletePrinterIfIdle(name: string): Promise<'deleted' | 'busy' | 'missing'> {
    const res = await this.db
      .deleteFrom('printers')
      .where('name', '=', name)
      .where(({ not, exists, selectFrom }) =>
        not(exists(selectFrom('print_jobs').select(sql.lit(1).as('one')).where('print_jobs.printer', '=', name).where('print_jobs.state', 'in', ACTIVE_STATES))),
      )
      .executeTakeFirst()
    if (Number(res.numDeletedRows) > 0) return 'deleted'
    const exists = await this.db.selectFrom('printers').select('id').where('name', '=', name).executeTakeFirst()
    return exists ? 'busy' : 'missing'
  }

  /**
   * Claims the oldest pending job of a printer for `instance`, unless a job of that printer is
   * processing already (one job at a time per printer, across servers). MariaDB: the printer
   * row is locked (claims of one printer serialize) and the job is picked FOR UPDATE SKIP LOCKED;
   * SQLite: a compare-and-set UPDATE that only matches a pending job while none is processing.
   */
  async claim(printer: string, instance: string, leaseMs: number): Promise<PrintJobRow | null> {
    const at = this.now()
    const set = {
      state: JOB_TRANSITIONS.claim.to,
      reasons: JSON.stringify(['job-printing']),
      claimed_by: instance,
      lease_until: at + leaseMs,
      sending_started: 0,
      updated_at: at,
    }
    if (this.dialect === 'mysql') {
      const id = await this.db.transaction().execute(async (trx) => {
        const p = await trx.selectFrom('printers').select('id').where('name', '=', printer).forUpdate().executeTakeFirst()
        if (!p) return null
        const busy = await trx.selectFrom('print_jobs').select('id').where('printer', '=', printer).where('state', '=', 'processing').limit(1).forUpdate().executeTakeFirst()
        if (busy) return null
        const next = await trx
          .selectFrom('print_jobs')
          .select('id')
          .where('printer', '=', printer)
          .where('state', '=', 'pending')
          .orderBy('id')
          .limit(1)
          .forUpdate()
          .skipLocked()
          .executeTakeFirst()
        if (!next) return null
        const res = await trx
          .updateTable('print_jobs')
          .set((eb) => ({ ...set, attempts: eb('attempts', '+', 1) }))
          .where('id', '=', next.id)
          .where('state', 'in', statesFor('claim'))
          .executeTakeFirst()
        return Number(res.numUpdatedRows) === 1 ? Number(next.id) : null
      })
      return id === null ? null : this.get(id)
    }
    // SQLite: one statement, the row back by RETURNING.
    const r = (await claimOldest(this.db, { printer, instance, leaseUntil: at + leaseMs, at })).rows[0]
    return r ? toRow(r) : null
  }


  /**
   * Written before units go out (write-ahead): units up to `upTo` (a count) may reach the
   * printer from now on, so crash recovery reports them as uncertain. False: the claim was lost.
   */
  async markSending(id: number, instance: string, leaseMs: number, upTo: number): Promise<boolean> {
    const at = this.now()
    const res = await markSendingQuery[this.dialect](this.db, { id, instance, upTo, leaseUntil: at + leaseMs, at })
    return Number(res.numAffectedRows) === 1
  }

  /** Progress and lease renewal; returns whether a cancel was requested (null: claim lost). */
  async progress(id: number, instance: string, sent: number, written: number, leaseMs: number): Promise<{ cancelRequested: boolean } | null> {
    const at = this.now()
    const res = await progressQuery[this.dialect](this.db, { id, instance, sent, written, leaseUntil: at + leaseMs, at })
    if (Number(res.numAffectedRows) !== 1) return null
    const r = (await cancelRequested(this.db, { id })).rows[0]
    return { cancelRequested: Number(r?.cancel_requested) === 1 }
  }

  /** Ends an attempt: the job leaves 'processing' for `state`. False: the claim was lost. */
  async settle(
    id: number,
    instance: string,
    state: Exclude<JobState, 'processing'>,
    change: { reasons: string[]; message?: string | null; sentUnits?: number; writtenUnits?: number; confirmed?: boolean },
  ): Promise<boolean> {
    const at = this.now()
    const event = SETTLE_EVENT[state]
    const final = FINAL_STATES.includes(state)
    const params: SettleParams = {
      id,
      instance,
      reasons: JSON.stringify(change.reasons),
      message: change.message === undefined ? null : change.message?.slice(0, 2000) ?? null,
      sent: change.sentUnits ?? null,
      written: change.writtenUnits ?? null,
      confirmed: change.confirmed === undefined ? null : change.confirmed ? 1 : 0,
      at,
      completedAt: final ? at : null,
    }
    if (final) return Number((await settleFor(event, null)(this.db, params)).numAffectedRows) === 1
    // Back to the queue (pending/held) only without a cancel request: a cancel requested during
    // the attempt (seen or not by the worker) ends the job canceled, else it would print later.
    // cancel_requested only goes 0 → 1 while the job is processing, so the second update sees it.
    if (Number((await settleFor(event, 0)(this.db, params)).numAffectedRows) === 1) return true
    const canceled = await settleFor('stop-canceled', 1)(this.db, { ...params, reasons: JSON.stringify(['job-canceled-by-user']), completedAt: at })
    return Number(canceled.numAffectedRows) === 1
  }

  /**
   * SQLite: ends an attempt as completed and claims the printer's next job (as `claim` does) in
   * one transaction, run at once. Both write the same pages — the rows, the queue's indexes, the
   * event log — so one commit writes them once instead of twice. Undefined when that can't be
   * done now (MariaDB, or another flow's transaction holds the connection): nothing was written,
   * settle and claim one after the other. Throws (nothing written) when the database fails.
   */
  settleCompletedAndClaim(
    id: number,
    instance: string,
    change: { reasons: string[]; message?: string | null; sentUnits: number; writtenUnits: number; confirmed: boolean },
    printer: string,
    leaseMs: number,
  ): { settled: boolean; next: PrintJobRow | null } | undefined {
    if (this.dialect !== 'sqlite') return undefined
    const at = this.now()
    const settle = settleFor(SETTLE_EVENT.completed, null).compile(this.db, {
      id,
      instance,
      reasons: JSON.stringify(change.reasons),
      message: change.message === undefined ? null : change.message?.slice(0, 2000) ?? null,
      sent: change.sentUnits,
      written: change.writtenUnits,
      confirmed: change.confirmed ? 1 : 0,
      at,
      completedAt: at,
    })
    const claim = claimOldest.compile(this.db, { printer, instance, leaseUntil: at + leaseMs, at })
    return directTransaction(this.db, (run) => {
      const settled = Number(run(settle).numAffectedRows) === 1
      const next = run(claim).rows[0]
      return { settled, next: next ? toRow(next) : null }
    })
  }

  /**
   * Jobs left 'processing' by a dead claimer: held with job-sent-unconfirmed when bytes may have
   * gone out (sending_started), else pending again. `dead(claimedBy)` tells claimers known dead;
   * any claimer whose lease expired counts as dead too.
   */
  async recover(printers: string[], dead: (claimedBy: string) => boolean): Promise<Array<{ id: number; to: 'held' | 'pending' | 'canceled' }>> {
    if (printers.length === 0) return []
    const at = this.now()
    const stuck = await this.db
      .selectFrom('print_jobs')
      .select(['id', 'claimed_by', 'lease_until', 'sending_started', 'cancel_requested', 'sent_units', 'written_units', 'total_units'])
      .where('state', '=', 'processing')
      .where('printer', 'in', printers)
      .execute()
    const out: Array<{ id: number; to: 'held' | 'pending' | 'canceled' }> = []
    for (const j of stuck) {
      const claimer = j.claimed_by ?? ''
      if (!(Number(j.lease_until ?? 0) < at || dead(claimer))) continue
      const sent = Number(j.sending_started) === 1
      // A cancel was requested before the claimer died: honour it rather than queue or hold the job.
      const cancel = Number(j.cancel_requested) === 1
      const event = cancel ? 'recover-canceled' : sent ? 'recover-sent' : 'recover-unsent'
      const to = JOB_TRANSITIONS[event].to
      const res = await this.db
        .updateTable('print_jobs')
        .set({
          state: to,
          reasons: JSON.stringify(cancel ? ['job-canceled-by-user'] : sent ? ['job-sent-unconfirmed'] : ['job-queued']),
          message: sent && !cancel
            ? unconfirmedMessage('the server printing this job stopped while sending it', {
                total: Number(j.total_units),
                confirmed: Number(j.sent_units),
                uncertainUpTo: Math.max(Number(j.sent_units), Number(j.written_units)),
              })
            : null,
          claimed_by: null,
          lease_until: null,
          sending_started: 0,
          cancel_requested: 0,
          updated_at: at,
          ...(cancel ? { completed_at: at } : {}),
        })
        .where('id', '=', j.id)
        .where('state', 'in', statesFor(event))
        .where('claimed_by', j.claimed_by === null ? 'is' : '=', j.claimed_by)
        .where('cancel_requested', '=', cancel ? 1 : 0)
        .executeTakeFirst()
      if (Number(res.numUpdatedRows) === 1) out.push({ id: Number(j.id), to })
    }
    return out
  }

  /**
   * held → pending (operator release, or the printer's error cleared). `resumeAt`: the first
   * label to print (1-based); without it, the one after the last confirmed label.
   */
  async release(id: number, resumeAt?: number): Promise<boolean> {
    const res = await this.db
      .updateTable('print_jobs')
      .set((eb) => ({
        state: JOB_TRANSITIONS.release.to,
        reasons: JSON.stringify(['job-queued']),
        message: null,
        updated_at: this.now(),
        ...(resumeAt !== undefined ? { sent_units: resumeAt - 1, written_units: resumeAt - 1 } : { written_units: eb.ref('sent_units') }),
      }))
      .where('id', '=', id)
      .where('state', 'in', statesFor('release'))
      .executeTakeFirst()
    return Number(res.numUpdatedRows) === 1
  }

  /**
   * Gives a job held `job-incoming` its document and queues it (pending), rows and chunks in one
   * transaction. False when the job is no longer waiting for it (canceled, released, missing).
   */
  async attachDocument(id: number, doc: IncomingDocument): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('print_jobs')
        .set({
          state: JOB_TRANSITIONS['attach-document'].to,
          reasons: JSON.stringify(['job-queued']),
          content_type: doc.contentType,
          options: JSON.stringify(doc.options),
          payload: chunkManifest(doc.payload.byteLength),
          unit_lengths: JSON.stringify(doc.unitLengths),
          total_units: doc.totalUnits,
          updated_at: this.now(),
        })
        .where('id', '=', id)
        .where('state', 'in', statesFor('attach-document'))
        .where('reasons', '=', JSON.stringify(['job-incoming']))
        .executeTakeFirst()
      if (Number(res.numUpdatedRows) !== 1) return false
      await writeChunks(trx, id, doc.payload)
      return true
    })
  }

  /**
   * Aborts jobs held `job-incoming` whose document did not come within `timeoutMs` of their
   * creation (IPP multiple-operation-time-out, action abort-job). Returns how many.
   */
  async abortStaleIncoming(timeoutMs: number): Promise<number> {
    const at = this.now()
    const res = await this.db
      .updateTable('print_jobs')
      .set({ state: JOB_TRANSITIONS['expire-incoming'].to, reasons: JSON.stringify(['aborted-by-system']), message: 'the document did not come in time (IPP Create-Job without Send-Document)', updated_at: at, completed_at: at })
      .where('state', 'in', statesFor('expire-incoming'))
      .where('reasons', '=', JSON.stringify(['job-incoming']))
      .where('created_at', '<', at - timeoutMs)
      .executeTakeFirst()
    return Number(res.numUpdatedRows)
  }

  /** Held jobs of a printer that wait for its error to clear (reason printer-stopped). */
  async heldForPrinter(printer: string): Promise<number[]> {
    const { rows } = await heldForPrinterIds(this.db, { printer })
    return rows.map((r) => Number(r.id))
  }

  /** Cancels a pending or held job at once; asks the worker to stop a processing one. */
  async cancel(id: number): Promise<'canceled' | 'requested' | 'final' | 'missing'> {
    const at = this.now()
    const res = await this.db
      .updateTable('print_jobs')
      .set({ state: JOB_TRANSITIONS.cancel.to, reasons: JSON.stringify(['job-canceled-by-user']), updated_at: at, completed_at: at })
      .where('id', '=', id)
      .where('state', 'in', statesFor('cancel'))
      .executeTakeFirst()
    if (Number(res.numUpdatedRows) === 1) return 'canceled'
    const req = await this.db.updateTable('print_jobs').set({ cancel_requested: 1, updated_at: at }).where('id', '=', id).where('state', '=', 'processing').executeTakeFirst()
    if (Number(req.numUpdatedRows) === 1) return 'requested'
    return (await this.get(id)) ? 'final' : 'missing'
  }

  /**
   * A copy of a job's payload as a new pending job; `totalUnits(documents, copies)` on the
   * printer's scale. With an Idempotency-Key: IdempotencyKeyTakenError as insert().
   */
  async reprint(
    id: number,
    by: { createdBy: string; totalUnits: (documents: number, copies: number) => number; idempotencyKey: string | null; requestHash: string | null },
  ): Promise<number | null> {
    const job = await this.get(id)
    const body = await this.payload(id)
    if (!job || !body) return null
    return this.insert({
      printer: job.printer,
      document: job.document,
      recordIds: job.recordIds,
      format: job.format,
      options: job.options,
      copies: job.copies,
      contentType: job.contentType,
      payload: body.payload,
      unitLengths: body.unitLengths,
      totalUnits: by.totalUnits(body.unitLengths.length, job.copies),
      idempotencyKey: by.idempotencyKey,
      requestHash: by.idempotencyKey === null ? null : by.requestHash,
      reprintOf: id,
      createdBy: by.createdBy,
    })
  }
}

