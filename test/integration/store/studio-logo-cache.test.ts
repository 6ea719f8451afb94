import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash } from 'node:crypto'
import { SettingsStore } from '../../../src/store/settings-store.ts'
import { DEFAULT_STUDIO } from '../../../src/domain/preferences.ts'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { startTestServer } from '../../support/server.ts'
import type { Db } from '../../../src/store/create-db.ts'

const LOGO_A = Uint8Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff)
const LOGO_B = Uint8Array.from({ length: 2000 }, (_, i) => (i * 13) & 0xff)
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex')

describe.each(DB_KINDS)('the studio logo on %s: stored beside the header, read once per logo', (kind) => {
  let db: Db
  let dispose: () => Promise<void>
  beforeAll(async () => {
    ;({ db, dispose } = await migratedDb(kind))
  })
  afterAll(() => dispose())

  const row = async (name: string) => (await db.db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst())?.value
  const setRow = (name: string, value: unknown) => db.db.updateTable('settings').set({ value: JSON.stringify(value) }).where('name', '=', name).execute()

  it('when a logo is saved, then the header row names its hash and the logo row holds it; a later read takes the logo from memory, and a change by another server is seen at once', async () => {
    const here = new SettingsStore(db.db)
    const there = new SettingsStore(db.db)
    await here.setStudio({ ...DEFAULT_STUDIO, logoPng: LOGO_A })
    const header = JSON.parse((await row('studio'))!) as Record<string, unknown>
    expect(header.logoSha256).toBe(sha(LOGO_A))
    expect(header).not.toHaveProperty('logoPngBase64')
    expect(JSON.parse((await row('studio-logo'))!)).toBe(Buffer.from(LOGO_A).toString('base64'))

    const first = await here.studio()
    expect([...first.logoPng!]).toEqual([...LOGO_A])
    expect(first.logoSha256).toBe(sha(LOGO_A))
    // The logo row changed behind the header's back: this server keeps the logo the header names (not read again) …
    await setRow('studio-logo', Buffer.from('other bytes').toString('base64'))
    expect([...(await here.studio()).logoPng!]).toEqual([...LOGO_A])
    // … while a server that had not read it reads the row.
    expect(Buffer.from((await new SettingsStore(db.db).studio()).logoPng!).toString()).toBe('other bytes')

    // Another server saves another logo, then removes it: seen at the next read.
    await there.setStudio({ ...(await there.studio()), logoPng: LOGO_B, logoSha256: 'a stale hash is ignored' })
    const changed = await here.studio()
    expect([...changed.logoPng!]).toEqual([...LOGO_B])
    expect(changed.logoSha256).toBe(sha(LOGO_B))
    await there.setStudio({ ...(await there.studio()), logoPng: null })
    expect((await here.studio()).logoPng).toBeNull()
    expect((await here.studio()).logoSha256).toBeNull()
  })

  it('when a server of the earlier version deletes the logo during an upgrade (its header carries the hash along), then no server prints the old logo', async () => {
    const here = new SettingsStore(db.db)
    await here.setStudio({ ...DEFAULT_STUDIO, logoPng: LOGO_A })
    expect((await here.studio()).logoPng).not.toBeNull()
    // What that version writes: the header it read (hash included), its logo key null.
    const header = JSON.parse((await row('studio'))!) as Record<string, unknown>
    await setRow('studio', { ...header, logoPngBase64: null })
    const after = await here.studio()
    expect([after.logoPng, after.logoSha256]).toEqual([null, null])
    expect((await new SettingsStore(db.db).studio()).logoPng).toBeNull()
  })

  it('when two servers save the header at once on a database that has none yet, then both saves succeed (MariaDB: a deadlock is retried) and one of them is stored whole', async () => {
    for (let round = 0; round < 10; round++) {
      await db.db.deleteFrom('settings').where('name', 'in', ['studio', 'studio-logo']).execute()
      const [a, b] = [new SettingsStore(db.db), new SettingsStore(db.db)]
      await Promise.all([a.setStudio({ ...DEFAULT_STUDIO, name: 'A', logoPng: LOGO_A }), b.setStudio({ ...DEFAULT_STUDIO, name: 'B', logoPng: LOGO_B })])
      const stored = await new SettingsStore(db.db).studio()
      expect([stored.name, [...stored.logoPng!]]).toEqual(stored.name === 'A' ? ['A', [...LOGO_A]] : ['B', [...LOGO_B]])
    }
  })

  it('when the save is chosen as a deadlock victim (MariaDB rolls it back whole), then it runs again and is stored', async () => {
    let refused = 0
    // The database as MariaDB answers a deadlock: the first transaction fails with error 1213.
    const flaky = new Proxy(db.db, {
      get(target, prop, receiver) {
        if (prop !== 'transaction') {
          const v = Reflect.get(target, prop, receiver) as unknown
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v
        }
        return () => ({
          execute: async (fn: Parameters<ReturnType<typeof target.transaction>['execute']>[0]) => {
            if (refused++ === 0) throw Object.assign(new Error('Deadlock found when trying to get lock; try restarting transaction'), { errno: 1213, code: 'ER_LOCK_DEADLOCK' })
            return target.transaction().execute(fn)
          },
        })
      },
    })
    const saved = await new SettingsStore(flaky).setStudio({ ...DEFAULT_STUDIO, name: 'After a deadlock', logoPng: LOGO_B })
    expect(refused).toBe(2)
    expect([saved.name, [...saved.logoPng!]]).toEqual(['After a deadlock', [...LOGO_B]])
  })

  it('when the header was saved by an earlier version (the logo inside it, as base64), then the logo is read from it', async () => {
    const legacy = { ...DEFAULT_STUDIO, name: 'Old Studio', logoPng: undefined, logoPngBase64: Buffer.from(LOGO_B).toString('base64') }
    await setRow('studio', legacy)
    const studio = await new SettingsStore(db.db).studio()
    expect(studio.name).toBe('Old Studio')
    expect([...studio.logoPng!]).toEqual([...LOGO_B])
    expect(studio.logoSha256).toBe(sha(LOGO_B))
  })
})

describe('the studio header in the API', () => {
  it('when it is read or saved, then it says whether there is a logo and nothing of how it is stored', async () => {
    const s = await startTestServer('sqlite')
    try {
      await s.running.stores.settings.setStudio({ ...(await s.running.stores.settings.studio()), logoPng: LOGO_A })
      const got = (await (await s.api('/api/preferences/studio')).json()) as Record<string, unknown>
      expect(got.hasLogo).toBe(true)
      expect(Object.keys(got).filter((k) => /logo/i.test(k))).toEqual(['hasLogo'])
      const body = { name: 'Renamed', addressLines: [], phone: '', email: null, paper: got.paper, photographerFees: false }
      const res = await s.api('/api/preferences/studio', { method: 'PUT', json: body })
      expect(res.status).toBe(200)
      const saved = (await res.json()) as Record<string, unknown>
      expect(Object.keys(saved).filter((k) => /logo/i.test(k))).toEqual(['hasLogo'])
      expect(saved.hasLogo).toBe(true)
    } finally {
      await s.close()
    }
  })
})
