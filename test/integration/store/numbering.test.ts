import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { migrateToLatest } from '../../../src/store/migrate.ts'

const run = promisify(execFile)

describe.each(DB_KINDS)('numbers and migrations on %s', (kind) => {
  it('when two server processes create clients on one database at once, then every number is distinct', async () => {
    const { url, dispose } = await migratedDb(kind)
    try {
      const child = (tag: string) => run('npx', ['tsx', 'test/support/create-clients.ts', url, '100', tag], { timeout: 60_000 }).then((r) => JSON.parse(r.stdout) as number[])
      const [a, b] = await Promise.all([child('A'), child('B')])
      const all = [...a, ...b]
      expect(all).toHaveLength(200)
      expect(new Set(all).size).toBe(200)
      expect(Math.min(...all)).toBe(1)
      expect(Math.max(...all)).toBe(200)
    } finally {
      await dispose()
    }
  })

  it('when the migrations run twice, then the second run changes nothing and the data stays', async () => {
    const { db, dispose } = await migratedDb(kind)
    try {
      await db.db.insertInto('settings').values({ name: 'probe', value: '1', updated_at: 0 }).execute()
      const again = await migrateToLatest(db.db as never)
      expect(again.results ?? []).toEqual([])
      const row = await db.db.selectFrom('settings').select('value').where('name', '=', 'probe').executeTakeFirst()
      expect(row?.value).toBe('1')
    } finally {
      await dispose()
    }
  })
})
