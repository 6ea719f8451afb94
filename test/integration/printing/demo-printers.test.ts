import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { formatPayload } from '../../../src/domain/barcode-payload.ts'
import { decodePng } from '../../support/barcodes.ts'
import { spawnServer, type ServerProcess } from './server-process.ts'
import { eventually } from './support.ts'

const TOKEN = 'sp_demo_admin_token_0123456789ab'
const run = promisify(execFile)

/** `npm run sim -- ARGS` against the server, as a person would type it. */
async function sim(url: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'hw-sim/cli.ts', ...args], { env: { ...process.env, STUDIO_URL: url, STUDIO_TOKEN: TOKEN }, timeout: 30_000 })
  return stdout
}

describe('demo printers under STUDIO_DEMO=1', () => {
  const dir = mkdtempSync(join(tmpdir(), 'studio-demo-'))
  let server: ServerProcess | null = null
  afterAll(async () => {
    await server?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('when the server starts in demo mode (twice), then four demo printers exist once and a label prints to PNG under data/printed', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'studio.db')}`, STUDIO_DATA_DIR: dir, STUDIO_DEMO: '1', STUDIO_PRINT_POLL_MS: '200' }
    server = await spawnServer(env, TOKEN)
    await server.stop()
    server = await spawnServer(env, TOKEN)
    const list = async () => (await (await server!.api('/api/printers')).json()) as { items: Array<{ name: string; status: { state: string } | null }> }
    expect((await list()).items.map((p) => p.name).sort()).toEqual(['front-desk-epl', 'front-desk-zpl', 'office', 'receipt'])
    // Statuses come from probes in the background, started with the server.
    await eventually(async () => (await list()).items.every((p) => p.status?.state === 'idle'), 20_000, 'every demo printer idle')
    const clients = (await (await server.api('/api/clients?limit=1')).json()) as { items: Array<{ id: number }> }
    const res = await server.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: clients.items[0].id, printer: 'front-desk-zpl' } })
    expect(res.status).toBe(202)
    await eventually(() => readdirSync(join(dir, 'printed')).some((f) => f.endsWith('.png')), 20_000, 'a PNG of the label')
  }, 90_000)

  it('when a client label goes to front-desk-epl and an invoice to receipt, then both are drawn to PNGs under data/printed whose barcodes decode', async () => {
    const printed = join(dir, 'printed')
    const client = ((await (await server!.api('/api/clients?limit=1')).json()) as { items: Array<{ id: number; number: number }> }).items[0]
    const invoice = ((await (await server!.api('/api/invoices?limit=1')).json()) as { items: Array<{ id: number; number: number }> }).items[0]
    expect(invoice).toBeDefined()
    const label = await server!.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: client.id, printer: 'front-desk-epl' } })
    expect(label.status).toBe(202)
    const receipt = await server!.api('/api/print-jobs', { method: 'POST', json: { document: 'invoice', recordId: invoice.id, printer: 'receipt' } })
    expect(receipt.status).toBe(202)
    await eventually(() => ['demo-epl-0001.png', 'demo-receipt-0001.png'].every((f) => readdirSync(printed).includes(f)), 20_000, 'PNGs of the EPL label and the receipt')
    expect(readdirSync(printed)).toEqual(expect.arrayContaining(['demo-epl-0001.epl', 'demo-receipt-0001.bin']))
    // The PNG is written after the .epl/.bin; give a partly written file a moment.
    const decoded = async (file: string) => {
      let found: string[] = []
      await eventually(async () => (found = await decodePng(readFileSync(join(printed, file))).catch(() => [])).length > 0, 5_000, `a barcode in ${file}`)
      return found
    }
    expect(await decoded('demo-epl-0001.png')).toEqual([formatPayload('client', client.number)])
    expect(await decoded('demo-receipt-0001.png')).toEqual([formatPayload('invoice', invoice.number)])
  }, 90_000)

  it('when npm run sim takes the demo ZPL printer out of paper, then a job is held, and it prints once paper is back', async () => {
    const url = server!.url
    const clients = (await (await server!.api('/api/clients?limit=1')).json()) as { items: Array<{ id: number }> }
    expect(JSON.parse(await sim(url, 'printer', 'front-desk-zpl', 'paper-out'))).toMatchObject({ printer: 'front-desk-zpl', faults: { paperOut: true } })
    const job = (await (await server!.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: clients.items[0].id, printer: 'front-desk-zpl' } })).json()) as { id: number }
    await eventually(async () => ((await (await server!.api(`/api/print-jobs/${job.id}`)).json()) as { state: string }).state === 'held', 20_000, 'the job held for paper')
    const held = (await (await server!.api(`/api/print-jobs/${job.id}`)).json()) as { reasons: string[] }
    expect(held.reasons).toContain('media-empty-error')
    const loaded = JSON.parse(await sim(url, 'printer', 'front-desk-zpl', 'paper-in')) as { faults: { paperOut: boolean } }
    expect(loaded.faults.paperOut).toBe(false)
    await eventually(async () => ((await (await server!.api(`/api/print-jobs/${job.id}`)).json()) as { state: string }).state === 'completed', 30_000, 'the job completed after paper-in')
    await expect(sim(url, 'printer', 'office', 'paper-out')).rejects.toThrow(/PRINTER_NOT_SIMULATED/)
  }, 90_000)
})
