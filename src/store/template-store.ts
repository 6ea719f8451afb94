import type { Kysely } from 'kysely'
import type { Database } from './schema.ts'
import type { LabelTemplate, LabelDocument } from '../templates/index.ts'
import { NotFoundError } from '../domain/errors.ts'
import { iso } from './json.ts'
import { isUniqueViolation } from './sql-errors.ts'
import type { Clock } from './records-store.ts'
import { preparedQuery } from './prepared-query.ts'

const activeTemplateVersion = preparedQuery((db, p: { document: string }) => db.selectFrom('label_template_active').select('version').where('document', '=', p.document))

export interface TemplateVersion {
  document: LabelDocument
  version: number
  kind: LabelTemplate['kind']
  template: LabelTemplate
  note: string | null
  createdAt: string
  createdBy: string
}

/** Studio label templates: every upload is a new version; one version (or the built-in) is active. */
export class TemplateStore {
  constructor(private readonly db: Kysely<Database>, private readonly clock: Clock = () => new Date()) {}

  /** Stores a validated template as the document's next version and makes it active. */
  async add(template: LabelTemplate, note: string | null, by: string): Promise<TemplateVersion> {
    const now = this.clock().getTime()
    const body = typeof template.body === 'string' ? template.body : JSON.stringify(template.body)
    for (let attempt = 0; ; attempt++) {
      try {
        const version = await this.db.transaction().execute(async (trx) => {
          const last = await trx
            .selectFrom('label_templates')
            .select((eb) => eb.fn.max('version').as('v'))
            .where('document', '=', template.document)
            .executeTakeFirst()
          const version = Number(last?.v ?? 0) + 1
          await trx.insertInto('label_templates').values({ document: template.document, version, kind: template.kind, body, note, created_at: now, created_by: by }).execute()
          return version
        })
        await this.activate(template.document, version)
        return this.get(template.document, version)
      } catch (err) {
        // Two uploads at once picked the same next version: the unique key refused one; try again.
        if (isUniqueViolation(err) && attempt < 5) continue
        throw err
      }
    }
  }

  async get(document: LabelDocument, version: number): Promise<TemplateVersion> {
    const row = await this.db.selectFrom('label_templates').selectAll().where('document', '=', document).where('version', '=', version).executeTakeFirst()
    if (!row) throw new NotFoundError(`Template ${document} version ${version}`, { document, version }, 'TEMPLATE_NOT_FOUND')
    return toVersion(row)
  }

  async versions(document: LabelDocument): Promise<TemplateVersion[]> {
    const rows = await this.db.selectFrom('label_templates').selectAll().where('document', '=', document).orderBy('version').execute()
    return rows.map(toVersion)
  }

  /** The active version number, or null for the built-in template. */
  async activeVersion(document: LabelDocument): Promise<number | null> {
    const row = (await activeTemplateVersion(this.db, { document })).rows[0]
    return row?.version === undefined || row.version === null ? null : Number(row.version)
  }

  async active(document: LabelDocument): Promise<TemplateVersion | null> {
    const version = await this.activeVersion(document)
    return version === null ? null : this.get(document, version)
  }

  /** Makes a version (or, with null, the built-in template) the one new printouts use. */
  async activate(document: LabelDocument, version: number | null): Promise<void> {
    if (version !== null) await this.get(document, version)
    const now = this.clock().getTime()
    const updated = await this.db.updateTable('label_template_active').set({ version, updated_at: now }).where('document', '=', document).executeTakeFirst()
    if (Number(updated.numUpdatedRows) > 0) return
    try {
      await this.db.insertInto('label_template_active').values({ document, version, updated_at: now }).execute()
    } catch (err) {
      if (!isUniqueViolation(err)) throw err
      await this.db.updateTable('label_template_active').set({ version, updated_at: now }).where('document', '=', document).execute()
    }
  }
}

function toVersion(row: { document: string; version: number; kind: string; body: string; note: string | null; created_at: number; created_by: string }): TemplateVersion {
  const kind = row.kind as LabelTemplate['kind']
  const document = row.document as LabelDocument
  const template = (kind === 'layout' ? { document, kind, body: JSON.parse(row.body) } : { document, kind, body: row.body }) as LabelTemplate
  return { document, version: Number(row.version), kind, template, note: row.note, createdAt: iso(row.created_at), createdBy: row.created_by }
}
