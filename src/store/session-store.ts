import type { Kysely, Selectable } from 'kysely'
import type { Database } from './schema.ts'
import type { Session } from '../domain/records.ts'
import type { SessionCreate, SessionPatch } from '../domain/inputs.ts'
import { ValidationError } from '../domain/errors.ts'
import { nextNumber } from './sequences.ts'
import { iso, type Page } from './json.ts'
import { fieldsOf, merge, mustExist, RecordStore, rowMapper, type Clock, type RecordFields } from './record-row.ts'

type SessionColumns = Pick<Session, 'clientId' | 'startsAt' | 'photographer'>

const sessions = rowMapper<Session>()({
  columns: ['clientId', 'startsAt', 'photographer'],
  read: (row: Selectable<Database['sessions']>): SessionColumns => ({ clientId: Number(row.client_id), startsAt: iso(row.starts_at), photographer: row.photographer }),
  write: (s: SessionColumns) => ({ client_id: s.clientId, starts_at: Date.parse(s.startsAt), photographer: s.photographer }),
})

/** An instant as the store keeps it: UTC, with milliseconds. */
const instant = (text: string): string => new Date(text).toISOString()

export class SessionStore extends RecordStore<'sessions', Session> {
  constructor(db: Kysely<Database>, clock: Clock = () => new Date()) {
    super(db, clock, 'sessions', 'Session', (row) => sessions.fromRow(row))
  }

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

  async listByClient(clientId: number): Promise<Session[]> {
    const rows = await this.db.selectFrom('sessions').selectAll().where('client_id', '=', clientId).orderBy('starts_at').execute()
    return this.records(rows)
  }

  async list(limit: number, after: number, filter: { clientId?: number } = {}): Promise<Page<Session>> {
    let q = this.db.selectFrom('sessions').selectAll().where('id', '>', after)
    if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId)
    const rows = await q.orderBy('id').limit(limit + 1).execute()
    return this.page(rows, limit)
  }

  /** Changes the fields the patch names and nothing else; the merged session must still end after it starts. */
  patch(id: number, patch: SessionPatch): Promise<Session> {
    return this.modify(id, async (trx, current, now) => {
      const next = merge(fieldsOf(current), patch)
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
  }
}
