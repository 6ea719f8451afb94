import type { Kysely } from 'kysely'

/**
 * Locations on stations and scanners (DOMAIN.md "Several locations"): the server id
 * (STUDIO_SERVER_ID) of the Studio Print server next to the station's desk and its scanners. A
 * server opens only the scanners of its own location.
 *
 * Nullable on purpose: rows from before this migration get NULL, meaning "the server that serves
 * them is not set". Every server treats NULL as its own, so a single-server install keeps opening
 * all of its scanners as before; on a shared database, give each scanner its location.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('stations').addColumn('location', 'varchar(80)').execute()
  await db.schema.alterTable('scanners').addColumn('location', 'varchar(80)').execute()
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('scanners').dropColumn('location').execute()
  await db.schema.alterTable('stations').dropColumn('location').execute()
}
