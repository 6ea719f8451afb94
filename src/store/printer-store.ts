import type { Kysely, Selectable } from 'kysely'
import type { Database, PrintersTable } from './schema.ts'
import { isUniqueViolation } from './sql-errors.ts'
import { ConflictError, NotFoundError } from '../domain/errors.ts'
import type { PrinterLanguage } from '../domain/printer-language.ts'
import { preparedQuery } from './prepared-query.ts'

const printerByName = preparedQuery((db, p: { name: string }) => db.selectFrom('printers').selectAll().where('name', '=', p.name))

export interface PrinterMedia {
  stock: string
  dpi: 203 | 300
}

export interface PrinterRecord {
  id: number
  name: string
  language: PrinterLanguage
  uri: string
  /** The server (STUDIO_SERVER_ID) that owns the printer: only it sends jobs to it. */
  location: string
  media: PrinterMedia | null
  createdAt: number
  updatedAt: number
}

export type PrinterInput = Pick<PrinterRecord, 'name' | 'language' | 'uri' | 'location' | 'media'>

function toRecord(row: Selectable<PrintersTable>): PrinterRecord {
  return {
    id: Number(row.id),
    name: row.name,
    language: row.language as PrinterLanguage,
    uri: row.uri,
    location: row.location,
    media: row.media ? (JSON.parse(row.media) as PrinterMedia) : null,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  }
}

/** Printers: name is the key clients use. */
export class PrinterStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: PrinterInput): Promise<PrinterRecord> {
    const at = this.now()
    try {
      await this.db
        .insertInto('printers')
        .values({ name: input.name, language: input.language, uri: input.uri, location: input.location, media: input.media ? JSON.stringify(input.media) : null, created_at: at, updated_at: at })
        .execute()
    } catch (err) {
      if (isUniqueViolation(err)) throw new ConflictError('PRINTER_EXISTS', `A printer named "${input.name}" exists already.`, { name: input.name })
      throw err
    }
    return this.get(input.name)
  }

  async find(name: string): Promise<PrinterRecord | null> {
    const row = (await printerByName(this.db, { name })).rows[0]
    return row ? toRecord(row) : null
  }

  async get(name: string): Promise<PrinterRecord> {
    const found = await this.find(name)
    if (!found) throw new NotFoundError(`Printer "${name.slice(0, 80)}"`, { printer: name }, 'PRINTER_NOT_FOUND')
    return found
  }

  async list(location?: string): Promise<PrinterRecord[]> {
    let q = this.db.selectFrom('printers').selectAll().orderBy('name')
    if (location !== undefined) q = q.where('location', '=', location)
    return (await q.execute()).map(toRecord)
  }

  async update(name: string, change: Partial<Omit<PrinterInput, 'name'>>): Promise<PrinterRecord> {
    const set: Partial<Record<keyof PrintersTable, unknown>> = { updated_at: this.now() }
    if (change.language !== undefined) set.language = change.language
    if (change.uri !== undefined) set.uri = change.uri
    if (change.location !== undefined) set.location = change.location
    if (change.media !== undefined) set.media = change.media ? JSON.stringify(change.media) : null
    const res = await this.db.updateTable('printers').set(set as never).where('name', '=', name).executeTakeFirst()
    if (Number(res.numUpdatedRows) === 0) await this.get(name)
    return this.get(name)
  }

  async delete(name: string): Promise<boolean> {
    const res = await this.db.deleteFrom('printers').where('name', '=', name).executeTakeFirst()
    return Number(res.numDeletedRows) > 0
  }
}
