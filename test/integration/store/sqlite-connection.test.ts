import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '../../../src/store/create-db.ts'

const dir = mkdtempSync(join(tmpdir(), 'studio-sqlite-conn-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('the SQLite connection the server opens', () => {
  it('keeps scratch b-trees (sorts) in memory: on disk every claim of the queue opened a temporary file', async () => {
    const { db, close } = await createDb(`sqlite:${join(dir, 'studio.db')}`)
    try {
      const pragma = async (name: string): Promise<unknown> => Object.values((await sql.raw(`pragma ${name}`).execute(db)).rows[0] as object)[0]
      expect(await pragma('temp_store')).toBe(2) // MEMORY
      expect(await pragma('journal_mode')).toBe('wal')
      expect(await pragma('synchronous')).toBe(1) // NORMAL
      // The claim's pick (state IN (…) ORDER BY id) sorts in a scratch b-tree.
      await sql.raw('create table q (id integer primary key, printer text, state text)').execute(db)
      await sql.raw('create index q_queue on q (printer, state, id)').execute(db)
      const plan = (await sql.raw("explain query plan select id from q where printer = 'p' and state in ('pending', 'held') order by id limit 1").execute(db)).rows as Array<{ detail: string }>
      expect(plan.map((r) => r.detail)).toContain('USE TEMP B-TREE FOR ORDER BY')
    } finally {
      await close()
    }
  })
})
