import type { Kysely } from 'kysely'
import { types } from './dialect.ts'

/** Records, numbering, status tracks and history, settings, API tokens. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const { bigText } = types(db)
  await db.schema
    .createTable('sequences')
    .addColumn('name', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('next_value', 'bigint', (c) => c.notNull())
    .execute()
  // Every sequence exists from the start, so allocation is always one UPDATE (no insert race).
  await db
    .insertInto('sequences' as never)
    .values(['client', 'session', 'invoice', 'production-order', 'production-order-number'].map((name) => ({ name, next_value: 0 })) as never)
    .execute()

  await db.schema
    .createTable('clients')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'bigint', (c) => c.notNull().unique())
    .addColumn('last_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('first_name', 'varchar(200)', (c) => c.notNull())
    .addColumn('data', bigText, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('clients_name').on('clients').columns(['last_name', 'first_name']).execute()

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'bigint', (c) => c.notNull().unique())
    .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id'))
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('photographer', 'varchar(200)', (c) => c.notNull())
    .addColumn('data', bigText, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('sessions_client').on('sessions').column('client_id').execute()

  await db.schema
    .createTable('invoices')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'bigint', (c) => c.notNull().unique())
    .addColumn('client_id', 'integer', (c) => c.notNull().references('clients.id'))
    .addColumn('bill_to_client_id', 'integer', (c) => c.notNull().references('clients.id'))
    .addColumn('session_id', 'integer', (c) => c.references('sessions.id'))
    .addColumn('data', bigText, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('invoices_client').on('invoices').column('client_id').execute()
  await db.schema.createIndex('invoices_bill_to').on('invoices').column('bill_to_client_id').execute()

  await db.schema
    .createTable('production_orders')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('number', 'bigint', (c) => c.notNull().unique())
    .addColumn('production_order_number', 'bigint', (c) => c.unique())
    .addColumn('client_id', 'integer', (c) => c.references('clients.id'))
    .addColumn('session_id', 'integer', (c) => c.references('sessions.id'))
    .addColumn('order_type', 'varchar(40)', (c) => c.notNull())
    .addColumn('status', 'varchar(40)', (c) => c.notNull())
    .addColumn('status_due_date', 'varchar(10)')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('data', bigText, (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema.createIndex('production_orders_client').on('production_orders').column('client_id').execute()
  await db.schema.createIndex('production_orders_status').on('production_orders').column('status').execute()

  await db.schema
    .createTable('status_history')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('order_id', 'integer', (c) => c.notNull().references('production_orders.id'))
    .addColumn('from_status', 'varchar(40)')
    .addColumn('to_status', 'varchar(40)', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('by_who', 'varchar(200)', (c) => c.notNull())
    .addColumn('station', 'varchar(80)')
    .execute()
  await db.schema.createIndex('status_history_order').on('status_history').columns(['order_id', 'id']).execute()

  await db.schema
    .createTable('status_tracks')
    .addColumn('order_type', 'varchar(40)', (c) => c.primaryKey())
    .addColumn('statuses', bigText, (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('settings')
    .addColumn('name', 'varchar(80)', (c) => c.primaryKey())
    .addColumn('value', bigText, (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute()

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('role', 'varchar(20)', (c) => c.notNull())
    .addColumn('station', 'varchar(80)')
    .addColumn('label', 'varchar(200)')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['api_tokens', 'settings', 'status_tracks', 'status_history', 'production_orders', 'invoices', 'sessions', 'clients', 'sequences']) {
    await db.schema.dropTable(table).ifExists().execute()
  }
}
