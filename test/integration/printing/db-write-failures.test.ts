import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { DB_KINDS } from '../../support/databases.ts'
import { createDb, type Db } from '../../../src/store/create-db.ts'
import { ZplPrinterSim, type ReceivedUnit } from '../../../hw-sim/printers/index.ts'
import { PrintingHarness, countBy } from './support.ts'

const labelKey = (u: ReceivedUnit) => /C-\d+/.exec(u.data.toString('latin1'))?.[0] ?? '?'

/**
 * The database fails one write (a trigger raises once, then lets writes through), on SQLite and
 * MariaDB alike. The counter lives in a table the failing statement can't roll back (SQLite:
 * RAISE(FAIL) keeps the trigger's own change; MariaDB: a MEMORY table).
 */
async function failOnce(db: Db, when: string): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS fail_once_tr`.execute(db.db)
  await sql`DROP TABLE IF EXISTS fail_once`.execute(db.db)
  if (db.dialect === 'mysql') {
    await sql`CREATE TABLE fail_once (n INT) ENGINE=MEMORY`.execute(db.db)
    await sql`INSERT INTO fail_once VALUES (1)`.execute(db.db)
    await sql.raw(`CREATE TRIGGER fail_once_tr BEFORE UPDATE ON print_jobs FOR EACH ROW BEGIN
      IF (${when}) AND (SELECT n FROM fail_once) > 0 THEN
        UPDATE fail_once SET n = n - 1;
        SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected write failure';
      END IF;
    END`).execute(db.db)
  } else {
    await sql`CREATE TABLE fail_once (n INT)`.execute(db.db)
    await sql`INSERT INTO fail_once VALUES (1)`.execute(db.db)
    await sql.raw(`CREATE TRIGGER fail_once_tr BEFORE UPDATE ON print_jobs WHEN (${when}) AND (SELECT n FROM fail_once) > 0 BEGIN
      UPDATE fail_once SET n = n - 1;
      SELECT RAISE(FAIL, 'injected write failure');
    END`).execute(db.db)
  }
}

async function failuresLeft(db: Db): Promise<number> {
  const r = await sql<{ n: number }>`SELECT n FROM fail_once`.execute(db.db)
  return Number(r.rows[0].n)
}

describe.each(DB_KINDS)('a database write that fails once, on %s', (kind) => {
  let h: PrintingHarness
  let db: Db
  const zpl = new ZplPrinterSim('db-faults')
  let clients: number[]
  beforeAll(async () => {
    h = await PrintingHarness.startWithDefaults(kind)
    db = await createDb(h.s.database.url)
    await zpl.listen()
    await h.printerFor(zpl, 'zpl')
    clients = []
    for (let i = 0; i < 10; i++) clients.push(await h.client(`Db${i}`))
  })
  afterAll(async () => {
    await db?.close()
    await h?.close()
    await zpl.close()
  })

  for (const [what, when] of [
    ['the write that completes the job', "NEW.state = 'completed'"],
    ['the write that marks the job as sending', 'NEW.sending_started = 1 AND OLD.sending_started = 0'],
  ] as const) {
    it(`when ${what} fails once, then the job still completes with every label confirmed, each printed exactly once`, async () => {
      zpl.reset()
      await failOnce(db, when)
      const { id } = await h.submit({ document: 'client-label', recordIds: clients, printer: zpl.name })
      const j = await h.waitJob(id, undefined, 20_000)
      expect(await failuresLeft(db)).toBe(0)
      expect(j).toMatchObject({ state: 'completed', confirmed: true, progress: { sent: 10, total: 10 } })
      expect(zpl.printed).toHaveLength(10)
      expect(countBy(zpl.printed, labelKey).size).toBe(10)
    })
  }
})
