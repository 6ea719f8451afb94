/**
 * IPP printing: Print-Job of a one-page PDF (a 4x6 client label) → the label's bytes at the
 * simulated ZPL printer (rasterised by pdftoppm in the render pool, queued, sent as ^GF), one job
 * at a time, p50/p99. Baselines measured in the same run against the same simulated printer:
 * the JSON API's print path (POST /api/print-jobs of the same label, rendered natively), and,
 * where CUPS is installed, a CUPS raw queue (`lp -o raw` of the ZPL bytes, through cupsd's spool
 * and socket backend) — CUPS does no conversion there, so it bounds the queueing cost alone.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { summarize, type BenchRow } from './report.ts'
import { ZplPrinterSim, type ReceivedUnit } from '../hw-sim/printers/index.ts'
import { spawnServer } from '../test/integration/printing/server-process.ts'
import { ipp, basic } from '../test/support/ipp-client.ts'
import { OPERATIONS } from '../src/server/ipp/ipp-constants.ts'
import { mimeMediaType } from '../src/server/ipp/ipp-values.ts'
import { startPrivateCups } from '../test/support/cupsd.ts'

const N = 40
const TOKEN = 'sp_bench_admin_token_0123456789ab'

function nextUnit(sim: ZplPrinterSim, timeoutMs = 30_000): Promise<ReceivedUnit> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no label arrived')), timeoutMs)
    sim.once('unit', (u: ReceivedUnit) => {
      clearTimeout(timer)
      resolve(u)
    })
  })
}

async function timed(n: number, once: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await once() // warm-up
  const samples: number[] = []
  for (let i = 0; i < n; i++) {
    const t0 = performance.now()
    await once()
    samples.push(performance.now() - t0)
  }
  return samples
}

/** A raw queue to the sim on a private cupsd; null when CUPS is not installed. */
async function startCups(simPort: number): Promise<{ print(file: string): Promise<void>; stop(): Promise<void> } | null> {
  const cups = await startPrivateCups()
  if (!cups) return null
  await cups.cmd('lpadmin', ['-p', 'raw', '-E', '-v', `socket://127.0.0.1:${simPort}`])
  return { print: async (file) => void (await cups.cmd('lp', ['-d', 'raw', '-o', 'raw', file])), stop: () => cups.stop() }
}

export async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'studio-bench-ipp-'))
  const s = await spawnServer({ DATABASE_URL: `sqlite:${join(dir, 'studio.db')}`, LOG_LEVEL: 'warn', STUDIO_SERVER_ID: 'bench' }, TOKEN)
  const sim = new ZplPrinterSim('bench-zpl')
  await sim.listen()
  const rows: BenchRow[] = []
  let cups: Awaited<ReturnType<typeof startCups>> = null
  try {
    await s.api('/api/printers', { method: 'POST', json: { name: 'bench-zpl', language: 'zpl', uri: sim.uri, media: { stock: '4x6', dpi: 203 } } })
    const c = (await (await s.api('/api/clients', { method: 'POST', json: { lastName: 'Bench' } })).json()) as { id: number }
    const pdf = new Uint8Array(await (await s.api(`/api/documents/client-label/${c.id}?format=pdf&media=4x6`)).arrayBuffer())
    const auth = basic('bench', TOKEN)
    const url = `${s.url}/ipp/print/bench-zpl`
    const viaIpp = async () => {
      const got = nextUnit(sim)
      const a = await ipp(url, OPERATIONS['Print-Job'], { auth, attrs: [mimeMediaType('document-format', 'application/pdf')], data: pdf })
      if (a.message?.code !== 0) throw new Error(`Print-Job status ${a.message?.code}`)
      await got
    }
    const viaJson = async () => {
      const got = nextUnit(sim)
      const res = await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: c.id, printer: 'bench-zpl' } })
      if (res.status !== 202) throw new Error(`print request ${res.status}`)
      await res.arrayBuffer()
      await got
    }
    const json = summarize(await timed(N, viaJson))
    const ippRun = summarize(await timed(N, viaIpp))
    rows.push(
      { group: 'ipp', name: `Print-Job one-page PDF → ^GF label at the ZPL sim, p50 (${N} jobs, one at a time)`, value: ippRun.p50, unit: 'ms', baseline: { name: 'JSON API print of the same label p50', value: json.p50 } },
      { group: 'ipp', name: 'Print-Job one-page PDF → ^GF label at the ZPL sim, p99', value: ippRun.p99, unit: 'ms', baseline: { name: 'JSON API print p99', value: json.p99 }, goal: 'p99 <= 1000 ms', met: ippRun.p99 <= 1000 },
    )
    cups = await startCups(sim.port)
    if (cups) {
      const zpl = join(dir, 'label.zpl')
      writeFileSync(zpl, Buffer.from(await (await s.api(`/api/documents/client-label/${c.id}?format=zpl`)).arrayBuffer()))
      const raw = summarize(await timed(N, async () => {
        const got = nextUnit(sim)
        await cups!.print(zpl)
        await got
      }))
      rows.push(
        { group: 'ipp', name: 'Print-Job one-page PDF → label, p50 beside CUPS', value: ippRun.p50, unit: 'ms', baseline: { name: 'CUPS raw queue (lp -o raw, ZPL) p50', value: raw.p50 } },
        { group: 'ipp', name: 'Print-Job one-page PDF → label, p99 beside CUPS', value: ippRun.p99, unit: 'ms', baseline: { name: 'CUPS raw queue p99', value: raw.p99 } },
      )
    } else rows.push({ group: 'ipp', name: 'CUPS raw-queue baseline (cupsd not installed: skipped)', value: Number.NaN, unit: 'ms' })
  } finally {
    await cups?.stop()
    await s.stop()
    await sim.close()
    rmSync(dir, { recursive: true, force: true })
  }
  return rows
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatRows } = await import('./report.ts')
  console.log(formatRows(await bench()))
  process.exit(0)
}
