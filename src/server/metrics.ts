import { Router, type RequestHandler } from 'express'
import { sql, type RawBuilder } from 'kysely'
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { Stores } from '../app/stores.ts'
import type { PrintingService } from '../app/printing/printing-service.ts'
import { createHash, timingSafeEqual } from 'node:crypto'
import { problemOf, sendProblem } from './problem.ts'
import { authDepsOf, credentialOf, sendTooManyFailures, signInRequest } from './auth.ts'

export interface MetricsOptions {
  stores: Stores
  printing?: PrintingService
  /** STUDIO_METRICS_TOKEN: a bearer secret for the scraper alone (an admin token works too). */
  metricsToken: string | null
}

export interface Metrics {
  registry: Registry
  /** Times every HTTP request (mount first). */
  middleware: RequestHandler
  /** GET /metrics. */
  router: Router
}

const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300]
const SCAN_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/**
 * Prometheus metrics (prom-client), one registry per server. Queue and scan figures are read
 * from the database at scrape time, so every server sharing a database reports the same totals;
 * the latency histograms follow the event outbox (migration 0013) from this process's start.
 */
export async function createMetrics(options: MetricsOptions): Promise<Metrics> {
  const { stores, printing } = options
  const db = stores.database.db
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 })

  const http = new Histogram({
    name: 'studio_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  })
  const printLatency = new Histogram({ name: 'studio_print_latency_seconds', help: 'Print jobs from accepted to completed (confirmed: the printer said it printed)', labelNames: ['printer', 'confirmed'] as const, buckets: LATENCY_BUCKETS, registers: [registry] })
  const scanLatency = new Histogram({ name: 'studio_scan_to_commit_seconds', help: 'Scans from read to their result committed', labelNames: ['station'] as const, buckets: SCAN_BUCKETS, registers: [registry] })

  // The outbox is followed from the newest event at start (histograms count from this process's start).
  let lastEvent: number | null = null
  const follow = async () => {
    if (lastEvent === null) {
      const r = await sql<{ id: number | null }>`select max(id) as id from webhook_events`.execute(db)
      lastEvent = Number(r.rows[0]?.id ?? 0)
      return
    }
    for (;;) {
      const since: number = lastEvent
      const rows: Array<{ id: number; type: string; payload: string; created_at: number }> = (await sql<{ id: number; type: string; payload: string; created_at: number }>`select id, type, payload, created_at from webhook_events where id > ${since} order by id limit 1000`.execute(db)).rows
      for (const r of rows) {
        lastEvent = Number(r.id)
        const p = JSON.parse(r.payload) as Record<string, unknown>
        if (r.type === 'print-job.state-changed' && p.to === 'completed' && typeof p.createdAt === 'number' && typeof p.at === 'number') {
          printLatency.observe({ printer: String(p.printer), confirmed: Number(p.confirmed) === 1 ? 'true' : 'false' }, Math.max(0, (p.at - p.createdAt) / 1000))
        } else if (r.type === 'scan.result' && typeof p.at === 'string') {
          scanLatency.observe({ station: String(p.station) }, Math.max(0, (Number(r.created_at) - Date.parse(p.at)) / 1000))
        }
      }
      if (rows.length < 1000) return
    }
  }

  /** Rows of `select a, b, count(*) as n … group by a, b`, each as labels and a count. */
  const groupCounts = async (query: RawBuilder<Record<string, string | number>>, labels: readonly string[]) =>
    (await query.execute(db)).rows.map((r) => ({ labels: Object.fromEntries(labels.map((l) => [l, String(r[l])])), n: Number(r.n) }))

  new Gauge({
    name: 'studio_print_jobs',
    help: 'Print jobs by state and printer',
    labelNames: ['printer', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      for (const r of await groupCounts(sql<Record<string, string | number>>`select printer, state, count(*) as n from print_jobs group by printer, state`, ['printer', 'state'])) this.set(r.labels, r.n)
    },
  })
  new Gauge({
    name: 'studio_print_jobs_held',
    help: 'Held print jobs by printer and reason (IPP job-state-reasons)',
    labelNames: ['printer', 'reason'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      const rows = (await sql<{ printer: string; reasons: string }>`select printer, reasons from print_jobs where state = 'held'`.execute(db)).rows
      for (const r of rows) {
        let reasons: unknown
        try {
          reasons = JSON.parse(r.reasons)
        } catch {
          reasons = []
        }
        for (const reason of Array.isArray(reasons) && reasons.length ? reasons : ['none']) this.inc({ printer: r.printer, reason: String(reason) })
      }
    },
  })
  const printerUp = new Gauge({ name: 'studio_printer_up', help: '1 when this server reaches the printer (state not offline), for the printers this server drives', labelNames: ['printer'] as const, registers: [registry] })
  const printerState = new Gauge({ name: 'studio_printer_state', help: "1 for the printer's current state (idle, processing, stopped, offline), for the printers this server drives", labelNames: ['printer', 'state'] as const, registers: [registry] })
  /** Both printer gauges from one status read per printer (cached briefly by the printing service). */
  const probePrinters = async () => {
    if (!printing) return
    const printers = await printing.printers.list()
    const statuses = await Promise.all(printers.map(async (p) => ({ name: p.name, status: await printing.status(p) })))
    printerState.reset()
    printerUp.reset()
    for (const { name, status } of statuses) {
      if (!status) continue
      printerState.set({ printer: name, state: status.state }, 1)
      printerUp.set({ printer: name }, status.state === 'offline' ? 0 : 1)
    }
  }
  new Counter({
    name: 'studio_scans_total',
    help: 'Scans by station and outcome (from the scan log)',
    labelNames: ['station', 'outcome'] as const,
    registers: [registry],
    async collect() {
      this.reset()
      for (const r of await groupCounts(sql<Record<string, string | number>>`select station, outcome, count(*) as n from scan_log group by station, outcome`, ['station', 'outcome'])) this.inc(r.labels, r.n)
    },
  })

  const middleware: RequestHandler = (req, res, next) => {
    const end = http.startTimer()
    res.once('finish', () => {
      const pattern = req.route?.path
      const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : res.statusCode === 404 ? 'unmatched' : req.baseUrl || 'other'
      end({ method: req.method, route, status: String(res.statusCode) })
    })
    next()
  }

  const digest = (secret: string) => createHash('sha256').update(secret, 'utf8').digest()
  const metricsDigest = options.metricsToken ? digest(options.metricsToken) : null
  const auth = authDepsOf(stores)
  const router = Router()
  router.get('/metrics', async (req, res) => {
    const credential = credentialOf(req)
    const bearer = credential?.kind === 'bearer' ? credential.secret : null
    // The scraper's own secret; else an admin signs in as on the API (throttled, failures logged).
    let allowed = bearer !== null && metricsDigest !== null && timingSafeEqual(digest(bearer), metricsDigest)
    if (!allowed && bearer !== null) {
      const result = await signInRequest(auth, req)
      if (result.kind === 'throttled') return sendTooManyFailures(res, result.retryAfter)
      allowed = result.kind === 'signed-in' && result.principal.role === 'admin'
    }
    if (!allowed) {
      sendProblem(res, problemOf(bearer ? 'FORBIDDEN' : 'UNAUTHORIZED', 'GET /metrics needs Authorization: Bearer with STUDIO_METRICS_TOKEN or an admin token.'))
      return
    }
    await Promise.all([follow(), probePrinters()])
    res.type(registry.contentType).send(await registry.metrics())
  })
  await follow() // from the newest event now: the histograms count what happens from here on
  return { registry, middleware, router }
}
