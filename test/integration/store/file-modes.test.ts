import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createDb } from '../../../src/store/create-db.ts'
import { migrateToLatest } from '../../../src/store/migrate.ts'

const mode = (path: string) => statSync(path).mode & 0o777

describe('the SQLite database on disk', () => {
  const dirs: string[] = []
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })))

  it('when the server makes its database, then the folder is 0700 and the file, -wal and -shm are 0600 (whatever the umask)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'db-modes-'))
    dirs.push(root)
    const path = join(root, 'data', 'studio.db')
    const old = process.umask(0o022)
    try {
      const db = await createDb(`sqlite:${path}`)
      await migrateToLatest(db.db as never)
      expect(mode(join(root, 'data'))).toBe(0o700)
      expect([mode(path), mode(`${path}-wal`), mode(`${path}-shm`)]).toEqual([0o600, 0o600, 0o600])
      await db.close()
    } finally {
      process.umask(old)
    }
  })

  it('when a database file made by an older version is world-readable, then it is tightened to 0600 at start', async () => {
    const root = mkdtempSync(join(tmpdir(), 'db-modes-'))
    dirs.push(root)
    const path = join(root, 'studio.db')
    writeFileSync(path, '')
    chmodSync(path, 0o644)
    const db = await createDb(`sqlite:${path}`)
    await migrateToLatest(db.db as never)
    expect(mode(path)).toBe(0o600)
    await db.close()
  })
})
