import type { Kysely, Selectable } from 'kysely'
import type { Database } from './schema.ts'
import type { Session } from '../domain/records.ts'
import type { SessionCreate, SessionPatch } from '../domain/inputs.ts'
import { ValidationError } from '../domain/errors.ts'
import { nextNumber } from './sequences.ts'
import { iso, toPage, type Page } from './json.ts'
import { fieldsOf, merge, mustExist, recordNotFound, recordRow, rowMapper, type Clock, type RecordFields } from './record-row.ts'

type SessionColumns = Pick<Session, 'clientId' | 'startsAt' | 'photographer'>

const sessions = rowMapper<Session>()({
  columns: ['clientId', 'startsAt', 'photographer'],
  read: (row: Selectable<Database['sessions']>): SessionColumns => ({ clientId: Number(row.client_id), startsAt: iso(row.starts_at), photographer: row.photographer }),
  write: (s: SessionColumns) => ({ client_id: s.clientId, starts_at: Date.parse(s.startsAt), photographer: s.photographer }),
})

/** An instant as the store keeps it: UTC, with milliseconds. */
const instant = (text: string): string => new Date(text).toISOString()

export class SessionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock = () => new Date(),
  ) {}

  async create(input: SessionCreate): Promise<Session> {
    const now = this.clock().getTime()
    const fields: RecordFields<Session> = {
      clientId: input.clientId,
      sessionType: input.sessionType,
      startsAt: instant(input.startsAt),
      endsAt: instant(input.endsAt),
      location: input.location,
      photographer: input.photographer,
      assistant: input.assistant ?? null,
      bookedBy: input.bookedBy ?? null,
      status: input.status,
      confirmedBy: input.confirmedBy ?? null,
      confirmedAt: input.confirmedAt ? instant(input.confirmedAt) : null,
      notes: input.notes ?? null,
      fee: input.fee,
      deposit: input.deposit,
    }
    const id = await this.db.transaction().execute(async (trx) => {
      await mustExist(trx, 'clients', fields.clientId, 'client')
      const number = await nextNumber(trx, 'session')
      const result = await trx
        .insertInto('sessions')
        .values({ number, ...sessions.columns(fields), created_at: now, updated_at: now })
        .executeTakeFirstOrThrow()
      return Number(result.insertId)
    })
    return this.get(id)
  }

  async find(id: number): Promise<Session | undefined> {
    const row = await recordRow(this.db, 'sessions', { id })
    return row && sessions.fromRow(row)
  }

  async get(id: number): Promise<Session> {
    const found = await this.find(id)
    if (!found) throw recordNotFound('Session', id)
    return found
  }

  async findByNumber(number: number): Promise<Session | undefined> {
    const row = await recordRow(this.db, 'sessions', { number })
    return row && sessions.fromRow(row)
  }

  async listByClient(clientId: number): Promise<Session[]> {
    const rows = await this.db.selectFrom('sessions').selectAll().where('client_id', '=', clientId).orderBy('starts_at').execute()
    return rows.map((row) => sessions.fromRow(row))
  }

  async list(limit: number, after: number, filter: { clientId?: number } = {}): Promise<Page<Session>> {
    let q = this.db.selectFrom('sessions').selectAll().where('id', '>', after)
    if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId)
    const rows = await q.orderBy('id').limit(limit + 1).execute()
    return toPage(rows.map((row) => sessions.fromRow(row)), limit)
  }

  /** Changes the fields the patch names and nothing else; the merged session must still end after it starts. */
  async patch(id: number, patch: SessionPatch): Promise<Session> {
    const now = this.clock().getTime()
    await this.db.transaction().execute(async (trx) => {
      const row = await recordRow(trx, 'sessions', { id }, { forUpdate: true })
      if (!row) throw recordNotFound('Session', id)
      const next = merge(fieldsOf(sessions.fromRow(row)), patch)
      if (patch.startsAt !== undefined) next.startsAt = instant(patch.startsAt)
      if (patch.endsAt !== undefined) next.endsAt = instant(patch.endsAt)
      if (patch.confirmedAt) next.confirmedAt = instant(patch.confirmedAt)
      if (Date.parse(next.endsAt) < Date.parse(next.startsAt)) {
        throw new ValidationError('endsAt must not be before startsAt', { problems: [{ path: 'endsAt', message: 'before startsAt' }] })
      }
      if (patch.clientId !== undefined) await mustExist(trx, 'clients', patch.clientId, 'client')
      await trx
        .updateTable('sessions')
        .set({ ...sessions.columns(next), updated_at: now })
        .where('id', '=', id)
        .execute()
    })
    return this.get(id)
  }
}
