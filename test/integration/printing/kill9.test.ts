import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { DB_KINDS, freshDatabase, type TestDatabase } from '../../support/databases.ts'
import { HAS_CHROMIUM, launchChromium, screenshot, signedInContext } from '../../support/browser.ts'
import { ZplPrinterSim, type ReceivedUnit } from '../../../hw-sim/printers/index.ts'
import { spawnServer, type ServerProcess } from './server-process.ts'
import { countBy, eventually, heldWithExactBounds } from './support.ts'

/**
 * kill -9 of a real server process at a random moment of a 500-label job to a fast ZPL printer,
 * at the default settings (the lease of the dead server lapses after 30 s), then Release the way
 * a person does: on the print-queue page, choosing where to resume. Counted at the printer.
 */
const TOKEN = 'sp_kill9_admin_token_0123456789'
const LABELS = 500
const labelKey = (u: ReceivedUnit) => /C-\d+/.exec(u.data.toString('latin1'))?.[0] ?? '?'
type Job = { id: number; state: string; reasons: string[]; progress: { sent: number; total: number; uncertainUpTo?: number }; release?: Array<{ resumeAt: number; choice: string; label: string; prints: string }> }

const body = async <T>(res: Response): Promise<T> => {
  if (res.status >= 300) throw new Error(`${res.status} ${await res.text()}`)
  return (await res.json()) as T
}

describe.skipIf(!HAS_CHROMIUM)('kill -9 of a real server process mid-job, then Release from the print-queue page', () => {
  let browser: Browser
  const dbs: TestDatabase[] = []
  const servers: ServerProcess[] = []
  const sims: ZplPrinterSim[] = []
  beforeAll(async () => {
    browser = await launchChromium()
  })
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()))
    await Promise.all(sims.map((s) => s.close()))
    await Promise.all(dbs.map((d) => d.dispose()))
    await browser?.close()
  })

  /** One run: returns nothing; asserts exact counts. `choice`: what the person picks on the page. */
  async function run(kind: 'sqlite' | 'mariadb', choice: 'after-confirmed' | 'after-uncertain'): Promise<void> {
    const db = await freshDatabase(kind)
    dbs.push(db)
    const env = { STUDIO_SERVER_ID: `kill9-${kind}`, DATABASE_URL: db.url }
    const sim = new ZplPrinterSim(`k9-${kind}`)
    sims.push(sim)
    await sim.listen()
    let s = await spawnServer(env, TOKEN)
    servers.push(s)
    await body(await s.api('/api/printers', { method: 'POST', json: { name: sim.name, language: 'zpl', uri: sim.uri } }))
    const ids: number[] = []
    for (let i = 0; i < LABELS; i++) ids.push((await body<{ id: number }>(await s.api('/api/clients', { method: 'POST', json: { lastName: `Kill${i}` } }))).id)

    // A random moment: when the r-th label reached the printer.
    const r = 20 + Math.floor(Math.random() * 400)
    const reached = new Promise<void>((resolve) => sim.on('unit', () => sim.printed.length + sim.pending.length >= r && resolve()))
    const job = await body<{ id: number }>(await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordIds: ids, printer: sim.name } }))
    await reached
    await s.kill9()
    // What the dead process handed to the kernel still drains into the printer; then it sees the close.
    await eventually(() => sim.openConnections === 0, 10_000, 'the dead server’s connection drained and closed')
    const arrived = sim.printed.length
    expect(countBy(sim.printed, labelKey).size).toBe(arrived) // no label twice so far

    s = await spawnServer(env, TOKEN)
    servers.push(s)
    // The record is exact: what arrived lies between the confirmed labels and the uncertain ones.
    const { confirmed, uncertainUpTo } = await heldWithExactBounds(async () => body<Job>(await s.api(`/api/print-jobs/${job.id}`)), arrived)
    // (At the rare moment when nothing was in flight there is no uncertain label to skip.)
    const pick = uncertainUpTo > confirmed ? choice : 'after-confirmed'

    // The person releases it on the page, reading what each choice prints.
    const context = await signedInContext(browser, s.url, TOKEN)
    const page = await context.newPage()
    await page.goto('/print-jobs')
    await page.getByRole('button', { name: `Release Client account label job ${job.id}` }).click()
    const dialog = page.getByRole('dialog')
    await expect.poll(() => dialog.textContent()).toContain(`Labels 1–${confirmed} are confirmed`)
    const text = (await dialog.textContent()) ?? ''
    expect(text).toContain(`prints labels ${confirmed + 1}–${LABELS} (${LABELS - confirmed} labels)`)
    if (pick === 'after-uncertain') expect(text).toContain(`prints labels ${uncertainUpTo + 1}–${LABELS} (${LABELS - uncertainUpTo} labels)`)
    expect(text).toContain(`prints labels 1–${LABELS} (${LABELS} labels)`)
    const name = pick === 'after-confirmed' ? /the last confirmed one/ : /the last that may have printed/
    await dialog.getByRole('radio', { name }).check()
    await screenshot(page, `kill9-release-${kind}`)
    await dialog.getByRole('button', { name: 'Release' }).click()
    await eventually(async () => (await body<Job>(await s.api(`/api/print-jobs/${job.id}`))).state === 'completed', 30_000, 'released job completed')
    await context.close()

    const counts = countBy(sim.printed, labelKey)
    const resumeAt = pick === 'after-confirmed' ? confirmed + 1 : uncertainUpTo + 1
    expect(sim.printed).toHaveLength(arrived + (LABELS - resumeAt + 1))
    if (pick === 'after-confirmed') {
      // Nothing skipped; only the labels that had arrived past the confirmed ones come twice.
      expect(counts.size).toBe(LABELS)
      expect([...counts.values()].filter((n) => n === 2)).toHaveLength(arrived - confirmed)
    } else {
      // Nothing twice; only the uncertain labels that never arrived are missing.
      expect([...counts.values()].every((n) => n === 1)).toBe(true)
      expect(counts.size).toBe(LABELS - (uncertainUpTo - arrived))
    }
  }

  it('when the server dies at a random label and restarts, then the job is held with its exact confirmed and uncertain labels, and the page’s Release prints exactly what the chosen option says', async () => {
    const choices = ['after-confirmed', 'after-uncertain'] as const
    await Promise.all(DB_KINDS.map((kind, i) => run(kind, choices[i % 2])))
  }, 180_000)
})
