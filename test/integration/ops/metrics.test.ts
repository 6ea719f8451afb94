import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { parsePrometheusText, type PromFamily as Family, type PromSample as Sample } from './prometheus-text.ts'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer } from '../../support/server.ts'
import { until } from './webhook-receiver.ts'

const dir = mkdtempSync(join(tmpdir(), 'studio-metrics-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type Json = Record<string, any>
const body = async (res: Response): Promise<Json> => (await res.json()) as Json
const METRICS_TOKEN = 'metrics-scraper-secret-0123456789'

function family(families: Family[], name: string): Family {
  const f = families.find((x) => x.name === name)
  if (!f) throw new Error(`no metric ${name} in ${families.map((x) => x.name).join(', ')}`)
  return f
}
const matching = (f: Family, name: string, labels: Record<string, string>): Sample[] => f.samples.filter((m) => m.name === name && Object.entries(labels).every(([k, v]) => m.labels[k] === v))
const value = (f: Family, labels: Record<string, string>): number | undefined => {
  const found = matching(f, f.type === 'counter' && !f.name.endsWith('_total') ? `${f.name}_total` : f.name, labels)
  if (found.length > 1) throw new Error(`${f.name} ${JSON.stringify(labels)} matches ${found.length} samples`)
  return found[0]?.value
}
/** A histogram's observation count for these labels. */
const count = (f: Family, labels: Record<string, string>): number | undefined => matching(f, `${f.name}_count`, labels)[0]?.value
/** The label sets a family has samples for (histograms: without `le`). */
const series = (f: Family): Array<Record<string, string>> => [...new Set(f.samples.map((m) => JSON.stringify(Object.fromEntries(Object.entries(m.labels).filter(([k]) => k !== 'le')))))].map((j) => JSON.parse(j) as Record<string, string>)

describe.each(DB_KINDS)('Prometheus metrics (%s)', { timeout: 120_000 }, (kind) => {
  it('when the studio prints and scans, then /metrics (scraper or admin token only) parses and counts exactly what happened', async () => {
    const s = await startTestServer(kind, { metricsToken: METRICS_TOKEN })
    try {
      expect((await s.api('/metrics', { token: null })).status).toBe(401)
      const client = await body(await s.api('/api/tokens', { method: 'POST', json: { role: 'client' } }))
      const refused = await s.api('/metrics', { token: client.token })
      expect(refused.status).toBe(403)
      expect(refused.headers.get('content-type')).toMatch(/problem\+json/)

      const out = join(dir, `printed-${kind}`)
      mkdirSync(out)
      expect((await s.api('/api/printers', { method: 'POST', json: { name: 'shelf', language: 'zpl', uri: `file:${out}/` } })).status).toBe(201)
      expect((await s.api('/api/printers', { method: 'POST', json: { name: 'dead', language: 'zpl', uri: 'tcp://127.0.0.1:9' } })).status).toBe(201)
      const c = await body(await s.api('/api/clients', { method: 'POST', json: { lastName: 'Metrics' } }))
      const printed = await body(await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: c.id, printer: 'shelf' } }))
      await until('the job completed', async () => (await body(await s.api(`/api/print-jobs/${printed.id}`))).state === 'completed')
      const stuck = await body(await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: c.id, printer: 'dead' } }))
      await s.api(`/api/print-jobs/${stuck.id}/cancel`, { method: 'POST' })
      const held = await body(await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: c.id, printer: 'dead' } }))
      // As crash recovery leaves a job that was in flight (the state a person must look at).
      await sql`update print_jobs set state = 'held', reasons = '["job-sent-unconfirmed"]' where id = ${held.id}`.execute(s.running.stores.database.db)
      expect((await s.api('/api/stations', { method: 'POST', json: { name: 'desk', mode: 'lookup' } })).status).toBe(201)
      expect((await body(await s.api('/api/stations/desk/scans', { method: 'POST', json: { data: c.barcode } }))).outcome).toBe('opened')
      expect((await body(await s.api('/api/stations/desk/scans', { method: 'POST', json: { data: 'C-999999' } }))).outcome).toBe('error')

      for (const token of [METRICS_TOKEN, undefined]) {
        const res = await s.api('/metrics', token ? { token } : {})
        expect(res.status).toBe(200)
        expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
        const families = parsePrometheusText(await res.text())

        const jobs = family(families, 'studio_print_jobs')
        expect(jobs.type).toBe('gauge')
        expect(value(jobs, { printer: 'shelf', state: 'completed' })).toBe(1)
        expect(value(jobs, { printer: 'dead', state: 'canceled' })).toBe(1)
        expect(value(jobs, { printer: 'dead', state: 'held' })).toBe(1)
        expect(jobs.samples.reduce((n, m) => n + m.value, 0)).toBe(3)
        expect(family(families, 'studio_print_jobs_held').samples).toEqual([{ name: 'studio_print_jobs_held', labels: { printer: 'dead', reason: 'job-sent-unconfirmed' }, value: 1 }])

        const latency = family(families, 'studio_print_latency_seconds')
        expect(latency.type).toBe('histogram')
        expect(series(latency)).toEqual([{ printer: 'shelf', confirmed: 'false' }])
        expect(count(latency, { printer: 'shelf', confirmed: 'false' })).toBe(1)

        expect(value(family(families, 'studio_printer_up'), { printer: 'shelf' })).toBe(1)
        expect(value(family(families, 'studio_printer_up'), { printer: 'dead' })).toBe(0)
        expect(value(family(families, 'studio_printer_state'), { printer: 'dead', state: 'offline' })).toBe(1)

        const scans = family(families, 'studio_scans_total')
        expect(scans.type).toBe('counter')
        expect(series(scans)).toHaveLength(2)
        expect(value(scans, { station: 'desk', outcome: 'error' })).toBe(1)
        expect(value(scans, { station: 'desk', outcome: 'opened' })).toBe(1)
        expect(count(family(families, 'studio_scan_to_commit_seconds'), { station: 'desk' })).toBe(2)

        const http = family(families, 'studio_http_request_duration_seconds')
        expect(count(http, { method: 'POST', route: '/api/clients', status: '201' })).toBe(1)
        expect(count(http, { method: 'POST', route: '/api/print-jobs', status: '202' })).toBe(3)
        expect(count(http, { method: 'GET', route: '/api/print-jobs/:id', status: '200' })).toBeGreaterThanOrEqual(1)
        expect(http.samples.some((m) => m.labels.route?.includes(`/${printed.id}`))).toBe(false) // patterns, not ids

        expect(value(family(families, 'nodejs_eventloop_lag_seconds'), {})).toBeGreaterThanOrEqual(0)
      }
    } finally {
      await s.close()
    }
  })
})
