/**
 * What the four record stores share: how a record sits in its row (a few fields in their own
 * columns, the rest as JSON in `data`), reading one row (locked for a read-modify-write), and
 * the reference check.
 */
import { MysqlAdapter, type Kysely, type Selectable, type Transaction } from 'kysely'
import type { Database } from './schema.ts'
import { NotFoundError, ReferenceMissingError } from '../domain/errors.ts'
import { iso, parseData, toPage, type Page } from './json.ts'
import { preparedQuery } from './prepared-query.ts'

export type Trx = Transaction<Database>
export type Clock = () => Date

/** The columns every record table has. */
export interface RecordRow {
  id: number
  number: number
  data: string
  created_at: number
  updated_at: number
}

/** What every record carries besides its own fields. */
export interface RecordMeta {
  id: number
  number: number
  createdAt: string
  updatedAt: string
}

/** A record's own fields: what a create writes and a patch merges into. */
export type RecordFields<R extends RecordMeta> = Omit<R, keyof RecordMeta>

/**
 * One record type's row mapping: the fields in `columns` have columns of their own (`read` from
 * a row, `write` to one); every other field is JSON in `data`, in the order the fields come.
 */
export class RowMapper<R extends RecordMeta, Row extends RecordRow, C extends keyof RecordFields<R>, W extends object> {
  private readonly columnFields: ReadonlySet<string>

  constructor(
    private readonly spec: {
      columns: readonly C[]
      read(row: Row): Pick<R, C>
      write(fields: Pick<R, C>): W
    },
  ) {
    this.columnFields = new Set(spec.columns.map(String))
  }

  fromRow(row: Row): R {
    const record = {
      id: Number(row.id),
      number: Number(row.number),
      ...this.spec.read(row),
      ...parseData<Omit<RecordFields<R>, C>>(row.data),
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
    }
    return record as unknown as R
  }

  /** The JSON text of the fields that have no column of their own. */
  data(fields: RecordFields<R>): string {
    return JSON.stringify(Object.fromEntries(Object.entries(fields).filter(([name]) => !this.columnFields.has(name))))
  }

  /** Every column a record's fields are written to (not id, number or the times). */
  columns(fields: RecordFields<R>): W & { data: string } {
    return { ...this.spec.write(fields), data: this.data(fields) }
  }
}

/** A row mapper for records of type R (named), its row, columns and writes inferred from the spec. */
export function rowMapper<R extends RecordMeta>() {
  return <Row extends RecordRow, C extends keyof RecordFields<R>, W extends object>(spec: { columns: readonly C[]; read(row: Row): Pick<R, C>; write(fields: Pick<R, C>): W }) =>
    new RowMapper<R, Row, C, W>(spec)
}

/** The fields of a record without id, number and times: what a patch is merged into. */
export function fieldsOf<R extends RecordMeta>(record: R): RecordFields<R> {
  const { id: _id, number: _number, createdAt: _created, updatedAt: _updated, ...fields } = record
  return fields
}

/** A patch's named fields over the current ones; fields the patch leaves out stay as they are. */
export function merge<F extends object, P extends object>(current: F, patch: P): F {
  const named = Object.entries(patch).filter(([, value]) => value !== undefined)
  return { ...current, ...Object.fromEntries(named) }
}

type RecordTable = 'clients' | 'sessions' | 'invoices' | 'production_orders'

/** A record's row by id, per table, prepared once. */
const recordById = Object.fromEntries(
  (['clients', 'sessions', 'invoices', 'production_orders'] as const).map((table) => [table, preparedQuery((db, p: { id: number }) => db.selectFrom(table as RecordTable).selectAll().where('id', '=', p.id))]),
) as unknown as Record<RecordTable, (db: Kysely<Database>, p: { id: number }) => Promise<{ rows: unknown[] }>>

/**
 * The row of one record, or undefined. `forUpdate` (inside a transaction) holds the row until
 * commit on MariaDB, so two read-modify-writes of one record run one after the other; SQLite has
 * one writer at a time already (and no FOR UPDATE).
 */
export async function recordRow<T extends RecordTable>(
  db: Kysely<Database> | Trx,
  table: T,
  by: { id: number } | { number: number },
  options: { forUpdate?: boolean } = {},
): Promise<Selectable<Database[T]> | undefined> {
  const [column, value] = 'id' in by ? (['id', by.id] as const) : (['number', by.number] as const)
  if (!options.forUpdate && column === 'id') return (await recordById[table](db, { id: value })).rows[0] as Selectable<Database[T]> | undefined
  let query = db.selectFrom(table as RecordTable).selectAll().where(column, '=', value)
  if (options.forUpdate && db.getExecutor().adapter instanceof MysqlAdapter) query = query.forUpdate()
  return (await query.executeTakeFirst()) as Selectable<Database[T]> | undefined
}

function recordNotFound(what: string, id: number): NotFoundError {
  return new NotFoundError(`${what} ${id}`, { id }, 'RECORD_NOT_FOUND')
}

/** 422 REFERENCE_NOT_FOUND unless the record exists. */
export async function mustExist(trx: Trx, table: 'clients' | 'sessions' | 'invoices', id: number, what: string): Promise<void> {
  const row = await trx.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst()
  if (!row) throw new ReferenceMissingError(what, id)
}

/**
 * What every record store does alike: read one record by id or number, a page of rows as
 * records, and the read-modify-write of a patch with the row held until commit.
 */
export abstract class RecordStore<T extends RecordTable, R extends RecordMeta> {
  protected constructor(
    protected readonly db: Kysely<Database>,
    protected readonly clock: Clock,
    private readonly table: T,
    /** The record's name in messages: "Client 12 not found". */
    private readonly what: string,
    private readonly fromRow: (row: Selectable<Database[T]>) => R,
  ) {}

  async find(id: number): Promise<R | undefined> {
    const row = await recordRow(this.db, this.table, { id })
    return row && this.fromRow(row)
  }

  async get(id: number): Promise<R> {
    const found = await this.find(id)
    if (!found) throw recordNotFound(this.what, id)
    return found
  }

  async findByNumber(number: number): Promise<R | undefined> {
    const row = await recordRow(this.db, this.table, { number })
    return row && this.fromRow(row)
  }

  protected records(rows: Array<Selectable<Database[T]>>): R[] {
    return rows.map((row) => this.fromRow(row))
  }

  protected page(rows: Array<Selectable<Database[T]>>, limit: number): Page<R> {
    return toPage(this.records(rows), limit)
  }

  /**
   * Runs `change` on the current record in one transaction, the row held until commit (two
   * patches of one record never overwrite each other); RECORD_NOT_FOUND when there is none.
   * Returns the record as stored afterwards.
   */
  protected async modify(id: number, change: (trx: Trx, current: R, now: number) => Promise<void>): Promise<R> {
    const now = this.clock().getTime()
    await this.db.transaction().execute(async (trx) => {
      const row = await recordRow(trx, this.table, { id }, { forUpdate: true })
      if (!row) throw recordNotFound(this.what, id)
      await change(trx, this.fromRow(row), now)
    })
    return this.get(id)
  }
}
