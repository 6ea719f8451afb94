import type { Kysely } from 'kysely'
import { types } from './dialect.ts'

/** Studio label templates, versioned: a job records the version it was made with. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { bigText } = types(db)
  await db.schema
    .createTable('label_templates')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('document', 'varchar(40)', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('kind', 'varchar(10)', (c) => c.notNull())
    .addColumn('body', bigText, (c) => c.notNull())
    .addColumn('note', 'varchar(200)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('created_by', 'varchar(200)', (c) => c.notNull())
    .addUniqueConstraint('label_templates_document_version', ['document', 'version'])
    .execute()
  await db.schema
    .createTable('label_template_active')
    .addColumn('document', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('version', 'integer')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('label_template_active').ifExists().execute()
  await db.schema.dropTable('label_templates').ifExists().execute()
}
