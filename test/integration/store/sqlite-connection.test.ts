import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { sql } from 'kysely'
import { afterAll, describe, expect, it } from 'vitest'
import { createDb } from '../../../src/store/create-db.ts'
import { preparedQuery } from '../../../src/store/prepared-query.ts'

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
    } finally {
      await close()
    }
  })

  it('is closed by close() even when only prepared queries ran on it (SQLite removes the write-ahead log when the last connection closes)', async () => {
    const path = join(dir, 'lane-only.db')
    const setup = new Database(path)
    setup.pragma('journal_mode = WAL')
    setup.exec('create table settings (name text primary key, value text not null, updated_at integer not null)')
    setup.close()
    const { db, close } = await createDb(`sqlite:${path}`)
    const put = preparedQuery((d, p: { name: string; value: string }) => d.insertInto('settings').values({ name: p.name, value: p.value, updated_at: 1 }))
    expect(Number((await put(db, { name: 'a', value: '1' })).numAffectedRows)).toBe(1)
    expect(existsSync(`${path}-wal`)).toBe(true)
    await close()
    expect(existsSync(`${path}-wal`)).toBe(false)
    const check = new Database(path, { readonly: true })
    expect(check.prepare('select value from settings where name = ?').get('a')).toEqual({ value: '1' })
    check.close()
  })
})
