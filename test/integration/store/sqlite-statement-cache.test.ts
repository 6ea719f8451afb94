import { describe, expect, it } from 'vitest'
import Database from 'better-sqlite3'
import { cachedStatements } from '../../../src/store/sqlite-statement-cache.ts'

function counted() {
  const sqlite = new Database(':memory:')
  let prepared = 0
  const preparer = {
    prepare: (sql: string) => {
      prepared++
      return sqlite.prepare(sql)
    },
    close: () => sqlite.close(),
  }
  sqlite.exec('create table t (id integer primary key, v text)')
  return { preparer, prepared: () => prepared }
}

describe('cachedStatements (SQLite statements kept by SQL text)', () => {
  it('prepares a statement once and runs it for every caller', () => {
    const { preparer, prepared } = counted()
    const db = cachedStatements(preparer)
    for (let i = 1; i <= 5; i++) db.prepare('insert into t (v) values (?)').run([`v${i}`])
    expect(prepared()).toBe(1)
    expect(db.prepare('select v from t where id = ?').all([3])).toEqual([{ v: 'v3' }])
    expect(db.prepare('select v from t where id = ?').all([5])).toEqual([{ v: 'v5' }])
    expect(prepared()).toBe(2)
    expect(db.prepare('select v from t where id = ?').reader).toBe(true)
    expect(db.prepare('insert into t (v) values (?)').reader).toBe(false)
  })

  it('keeps the most recently used statements and drops the least recently used past its size', () => {
    const { preparer, prepared } = counted()
    const db = cachedStatements(preparer, 2)
    db.prepare('select 1').all([])
    db.prepare('select 2').all([])
    db.prepare('select 1').all([]) // 1 is now the most recent
    db.prepare('select 3').all([]) // evicts 2
    expect(prepared()).toBe(3)
    db.prepare('select 1').all([])
    expect(prepared()).toBe(3)
    db.prepare('select 2').all([])
    expect(prepared()).toBe(4)
  })

  it('gives each iteration a statement of its own (two streams of one query at once)', () => {
    const { preparer } = counted()
    const db = cachedStatements(preparer)
    for (let i = 1; i <= 3; i++) db.prepare('insert into t (v) values (?)').run([`v${i}`])
    const a = db.prepare('select v from t order by id').iterate([])
    const b = db.prepare('select v from t order by id').iterate([])
    expect([a.next().value, b.next().value, a.next().value]).toEqual([{ v: 'v1' }, { v: 'v1' }, { v: 'v2' }])
    a.return?.()
    b.return?.()
    // The cached statement is free for a plain run meanwhile.
    expect(db.prepare('select v from t order by id').all([])).toHaveLength(3)
  })

  it('sees a column added after the statement was cached (SQLite prepares it again)', () => {
    const { preparer } = counted()
    const db = cachedStatements(preparer)
    db.prepare('insert into t (v) values (?)').run(['x'])
    expect(db.prepare('select * from t').all([])).toEqual([{ id: 1, v: 'x' }])
    db.prepare('alter table t add column w text').run([])
    expect(db.prepare('select * from t').all([])).toEqual([{ id: 1, v: 'x', w: null }])
  })
})
