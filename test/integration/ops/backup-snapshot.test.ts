import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DB_KINDS, migratedDb } from '../../support/databases.ts'
import { createDb } from '../../../src/store/create-db.ts'
import { createStores } from '../../../src/app/stores.ts'
import { backup } from '../../../src/cli/backup.ts'
import { clientCreate, parseInput } from '../../../src/domain/inputs.ts'

const dir = mkdtempSync(join(tmpdir(), 'studio-dump-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.each(DB_KINDS)('the dump is one snapshot (%s)', (kind) => {
  it('when the server writes while the dump runs, then the dump holds the rows of the moment it began and none written after', async () => {
    const { db, url, dispose } = await migratedDb(kind)
    const other = await createDb(url) // the running server: another connection
    try {
      const stores = createStores(db)
      await stores.clients.create(parseInput(clientCreate, { lastName: 'Before' }))
      const otherStores = createStores(other)
      let wrote = 0
      const file = join(dir, `${kind}.jsonl`)
      await backup(db, url, file, {
        dump: true,
        afterTable: async (table) => {
          if (table !== 'api_tokens') return
          // api_tokens is dumped; clients (after it) is not yet: a client written now must not appear.
          await otherStores.clients.create(parseInput(clientCreate, { lastName: 'During' }))
          await otherStores.tokens.create('client', null, 'during')
          wrote++
        },
      })
      expect(wrote).toBe(1)
      const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t?: string; r?: { last_name?: string } })
      const clients = lines.filter((l) => l.t === 'clients')
      expect(clients.map((c) => c.r?.last_name)).toEqual(['Before'])
      expect(lines.filter((l) => l.t === 'api_tokens')).toHaveLength(0)
      expect((await otherStores.clients.list(10, 0)).items.map((c) => c.lastName)).toEqual(['Before', 'During'])
    } finally {
      await other.close()
      await dispose()
    }
  })
})
