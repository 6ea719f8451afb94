/**
 * Rendering off the event loop: `/api/health` p99 while four hostile previews (posted again and
 * again) and a 2,000-page PDF job render at the same time, beside health p99 on the idle server
 * measured in the same run. The server runs as its own process, as deployed; health is sampled
 * open loop (on a schedule, latency from the scheduled time: no coordinated omission).
 */
import http from 'node:http'
import net from 'node:net'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { summarize, type BenchRow } from './report.ts'
import { spawnServer } from '../test/integration/printing/server-process.ts'
import { ZPL_20000_FIELDS, ZPL_GFA_BOMB, ZPL_GFA_BOMB_UNDERSTATED } from '../test/fixtures/hostile/hostile-inputs.ts'

const HEALTH_PER_S = 50
const TOKEN = 'sp_bench_admin_token_0123456789ab'
const PAGES = 2_000
const HOSTILE: Array<[string, string]> = [
  [ZPL_GFA_BOMB, ''],
  [ZPL_GFA_BOMB_UNDERSTATED, ''],
  [ZPL_20000_FIELDS, ''],
  ['^XA^FO10,10^A0N,30^FDx^FS^XZ', '?dpmm=24&width=15&height=15'],
]

/** Health requests on a schedule until `until()` says stop; latency from each scheduled time. */
async function sampleHealth(url: string, until: () => boolean, minimum: number): Promise<number[]> {
  const samples: number[] = []
  const all: Promise<void>[] = []
  const t0 = performance.now() + 10
  for (let i = 0; i < minimum || !until(); i++) {
    const at = t0 + (i * 1000) / HEALTH_PER_S
    await new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())))
    const from = Math.min(at, performance.now())
    all.push(
      fetch(`${url}/api/health`).then(async (r) => {
        await r.arrayBuffer()
        samples.push(performance.now() - from)
      }),
    )
  }
  await Promise.all(all)
  return samples
}

/** A POST that may take minutes (fetch gives up on headers after 300 s). */
function postLong(url: string, token: string, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }))
    })
    req.on('error', reject)
    req.end(JSON.stringify(body))
  })
}

export async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'studio-bench-render-'))
  // A printer that takes whatever it is sent (raw PDF over TCP).
  const sink = net.createServer((s) => s.on('data', () => {}).on('error', () => {}))
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r))
  // A longer render limit than the default: on a shared, overloaded machine a slice may take longer than 30 s.
  const s = await spawnServer({ DATABASE_URL: `sqlite:${join(dir, 'studio.db')}`, LOG_LEVEL: 'warn', STUDIO_SERVER_ID: 'bench', STUDIO_RENDER_TIMEOUT_MS: '120000' }, TOKEN)
  try {
    const port = (sink.address() as net.AddressInfo).port
    await s.api('/api/printers', { method: 'POST', json: { name: 'bench-pdf', language: 'pdf', uri: `tcp://127.0.0.1:${port}` } })
    const clients: number[] = []
    for (let i = 0; i < 20; i++) clients.push(((await (await s.api('/api/clients', { method: 'POST', json: { lastName: `Render${i}`, firstName: 'Bench' } })).json()) as { id: number }).id)
    const token = ((await (await s.api('/api/tokens', { method: 'POST', json: { role: 'client' } })).json()) as { token: string }).token
    // Warm: a preview and a document, so workers and fonts are loaded before anything is measured.
    await (await fetch(`${s.url}/api/preview`, { method: 'POST', body: '^XA^FO10,10^A0N,30^FDwarm^FS^XZ', headers: { authorization: `Bearer ${token}` } })).arrayBuffer()
    await (await s.api(`/api/documents/client-profile/${clients[0]}?format=pdf`)).arrayBuffer()

    const idle = await sampleHealth(s.url, () => true, 500)

    let done = false
    const started = performance.now()
    const job = postLong(`${s.url}/api/print-jobs`, TOKEN, { document: 'client-profile', recordIds: Array.from({ length: PAGES }, (_, i) => clients[i % clients.length]), printer: 'bench-pdf' })
      .then((r) => ({ ...r, ms: performance.now() - started }))
      .finally(() => (done = true))
    let hostileSent = 0
    const refused = new Map<number, number>()
    const lanes = HOSTILE.map(async ([zpl, query]) => {
      while (!done) {
        const r = await fetch(`${s.url}/api/preview${query}`, { method: 'POST', body: zpl, headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' } })
        await r.arrayBuffer()
        hostileSent++
        refused.set(r.status, (refused.get(r.status) ?? 0) + 1)
      }
    })
    const loaded = await sampleHealth(s.url, () => done, 100)
    const result = await job
    await Promise.all(lanes)
    if (result.status !== 202) throw new Error(`the ${PAGES}-page job was refused: ${result.status} ${result.body.slice(0, 300)}`)
    const a = summarize(idle)
    const b = summarize(loaded)
    const statuses = [...refused].map(([st, n]) => `${n}×${st}`).join(', ')
    return [
      { group: 'render', name: `/api/health p50 while a ${PAGES}-page PDF job and 4 hostile preview lanes render (${loaded.length} samples)`, value: b.p50, unit: 'ms', baseline: { name: 'idle server p50', value: a.p50 } },
      { group: 'render', name: `/api/health p99 while a ${PAGES}-page PDF job and 4 hostile preview lanes render`, value: b.p99, unit: 'ms', baseline: { name: 'idle server p99', value: a.p99 }, goal: 'p99 <= 50 ms', met: b.p99 <= 50 },
      { group: 'render', name: `${PAGES}-page PDF job accepted (rendered in workers), ${hostileSent} hostile previews answered meanwhile (${statuses})`, value: result.ms, unit: 'ms' },
    ]
  } finally {
    await s.stop()
    await new Promise<void>((r) => sink.close(() => r()))
    rmSync(dir, { recursive: true, force: true })
  }
}
