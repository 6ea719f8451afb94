import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnServer, type ServerProcess } from './server-process.ts'
import { eventually } from './support.ts'

const TOKEN = 'sp_demo_admin_token_0123456789ab'

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
    const printers = (await (await server.api('/api/printers')).json()) as { items: Array<{ name: string; status: { state: string } | null }> }
    expect(printers.items.map((p) => p.name).sort()).toEqual(['front-desk-epl', 'front-desk-zpl', 'office', 'receipt'])
    expect(printers.items.every((p) => p.status?.state === 'idle')).toBe(true)
    const clients = (await (await server.api('/api/clients?limit=1')).json()) as { items: Array<{ id: number }> }
    const res = await server.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: clients.items[0].id, printer: 'front-desk-zpl' } })
    expect(res.status).toBe(202)
    await eventually(() => readdirSync(join(dir, 'printed')).some((f) => f.endsWith('.png')), 20_000, 'a PNG of the label')
  }, 90_000)
})
