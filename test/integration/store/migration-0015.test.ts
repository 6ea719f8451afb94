import { describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { up, down } from '../../../migrations/0015-studio-logo-row.ts'
import { SettingsStore } from '../../../src/store/settings-store.ts'
import { DEFAULT_STUDIO } from '../../../src/domain/preferences.ts'

const LOGO = Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) & 0xff)

describe.each(DB_KINDS)('migration 0015 (studio logo in its own row) on %s', (kind) => {
  it('when a header saved by an earlier version holds the logo, then up moves it to its row under its hash (twice changes nothing), down puts it back, and the logo reads the same all along', async () => {
    const { db, dispose } = await migratedDb(kind)
    try {
      const rows = async () => Object.fromEntries((await db.db.selectFrom('settings').select(['name', 'value']).where('name', 'in', ['studio', 'studio-logo']).execute()).map((r) => [r.name, JSON.parse(r.value) as unknown]))
      const { logoPng: _l, logoSha256: _h, ...header } = { ...DEFAULT_STUDIO, name: 'Harbour Photo' }
      const legacy = { ...header, logoPngBase64: Buffer.from(LOGO).toString('base64') }
      await db.db.insertInto('settings').values({ name: 'studio', value: JSON.stringify(legacy), updated_at: 1 }).execute()
      const logoNow = async () => [...((await new SettingsStore(db.db).studio()).logoPng ?? [])]

      await up(db.db as never)
      const after = await rows()
      expect(after['studio-logo']).toBe(legacy.logoPngBase64)
      expect(after.studio).toEqual({ ...header, logoSha256: createHash('sha256').update(LOGO).digest('hex') })
      expect(await logoNow()).toEqual([...LOGO])
      await up(db.db as never)
      expect(await rows()).toEqual(after)

      await down(db.db as never)
      expect(await rows()).toEqual({ studio: legacy })
      expect(await logoNow()).toEqual([...LOGO])
    } finally {
      await dispose()
    }
  })

  it('when the header has no logo, or there is no header, then up leaves no logo and reads stay empty', async () => {
    const { db, dispose } = await migratedDb(kind)
    try {
      await up(db.db as never)
      expect(await db.db.selectFrom('settings').select('name').where('name', 'in', ['studio', 'studio-logo']).execute()).toEqual([])
      const { logoPng: _l, logoSha256: _h, ...header } = DEFAULT_STUDIO
      await db.db.insertInto('settings').values({ name: 'studio', value: JSON.stringify({ ...header, logoPngBase64: null }), updated_at: 1 }).execute()
      await up(db.db as never)
      const studio = await new SettingsStore(db.db).studio()
      expect([studio.logoPng, studio.logoSha256]).toEqual([null, null])
    } finally {
      await dispose()
    }
  })
})
