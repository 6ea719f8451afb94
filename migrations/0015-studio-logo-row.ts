import { createHash } from 'node:crypto'
import type { Kysely } from 'kysely'

/** The one table this migration reads and writes. */
interface Settings {
  settings: { name: string; value: string; updated_at: number }
}

const LOGO_ROW = 'studio-logo'

/**
 * The studio logo moves out of the 'studio' settings row into its own row ('studio-logo', the
 * PNG as base64), and the header keeps its SHA-256 (`logoSha256`): servers read the small header
 * for every printout and the logo only when its hash changes. Rows only, no schema change; safe to
 * run twice (a header already converted is left alone). Servers of this version still read a
 * header in the old form (a server of an earlier version may write one during an upgrade).
 */
export async function up(raw: Kysely<unknown>): Promise<void> {
  const db = raw as Kysely<Settings>
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('settings').select('value').where('name', '=', 'studio').executeTakeFirst()
    if (!row) return
    const studio = JSON.parse(row.value) as Record<string, unknown>
    if (!('logoPngBase64' in studio)) return
    const { logoPngBase64, ...rest } = studio
    const base64 = typeof logoPngBase64 === 'string' ? logoPngBase64 : ''
    const bytes = Buffer.from(base64, 'base64')
    const now = Date.now()
    await put(trx, LOGO_ROW, JSON.stringify(bytes.length > 0 ? base64 : ''), now)
    await put(trx, 'studio', JSON.stringify({ ...rest, logoSha256: bytes.length > 0 ? createHash('sha256').update(bytes).digest('hex') : null }), now)
  })
}

/** Back to the logo inside the header (what earlier versions read). */
export async function down(raw: Kysely<unknown>): Promise<void> {
  const db = raw as Kysely<Settings>
  await db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('settings').select('value').where('name', '=', 'studio').executeTakeFirst()
    const logo = await trx.selectFrom('settings').select('value').where('name', '=', LOGO_ROW).executeTakeFirst()
    if (row) {
      const { logoSha256: _hash, ...rest } = JSON.parse(row.value) as Record<string, unknown>
      const base64 = logo ? (JSON.parse(logo.value) as unknown) : ''
      if (!('logoPngBase64' in rest)) await put(trx, 'studio', JSON.stringify({ ...rest, logoPngBase64: typeof base64 === 'string' && base64 !== '' ? base64 : null }), Date.now())
    }
    await trx.deleteFrom('settings').where('name', '=', LOGO_ROW).execute()
  })
}

async function put(db: Kysely<Settings>, name: string, value: string, now: number): Promise<void> {
  const updated = await db.updateTable('settings').set({ value, updated_at: now }).where('name', '=', name).executeTakeFirst()
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('settings').values({ name, value, updated_at: now }).execute()
}
