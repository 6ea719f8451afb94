/**
 * The bench's own side of a measurement: an HTTP client light enough not to disturb it, and a
 * record of the pauses its own garbage collector made while it measured.
 *
 * Why not `fetch`: in this process it allocated so much per request that at 200 requests/s the
 * load generator ran a full (mark-compact) collection every ~2.3 s, pausing 15–20 ms each time
 * with the preceding scavenge (`node --trace-gc`). Every such pause delayed the requests due then
 * and the labels' arrival at the simulated printer, and was counted as the server's latency: the
 * slowest 1 % at 200/s was mostly the load generator collecting its own garbage. `node:http`
 * with a keep-alive agent allocates a fraction of that (no mark-compact in a measured phase).
 */
import http from 'node:http'
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks'

export interface LeanResponse {
  status: number
  body: Buffer
}

export interface LeanClient {
  request(method: string, path: string, options?: { json?: unknown; body?: Uint8Array; headers?: Record<string, string> }): Promise<LeanResponse>
  close(): void
}

/** Requests to `baseUrl` over kept-alive connections, with `Authorization: Bearer token`. */
export function leanClient(baseUrl: string, token: string): LeanClient {
  const url = new URL(baseUrl)
  // `timeout`: Node's agent honours the server's `Keep-Alive: timeout=5` only when it has a
  // timeout of its own, and then closes an idle socket a second before the server would. Without
  // one it kept idle sockets for ever, and a request sent on one just as the server closed it
  // failed with ECONNRESET (4 of 4,000 at 500/s in one run).
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 30_000 })
  return {
    request: (method, path, options = {}) =>
      new Promise<LeanResponse>((resolve, reject) => {
        const body = options.json === undefined ? options.body : Buffer.from(JSON.stringify(options.json))
        const headers: Record<string, string | number> = { authorization: `Bearer ${token}`, ...(options.json === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers }
        if (body !== undefined) headers['content-length'] = body.byteLength
        const req = http.request({ host: url.hostname, port: url.port, path, method, agent, headers }, (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks) }))
          res.on('error', reject)
        })
        // A server that never answers fails the request instead of hanging the bench.
        req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)))
        req.on('error', reject)
        req.end(body)
      }),
    close: () => agent.destroy(),
  }
}

export interface GcPauses {
  count: number
  /** Mark-compact collections among them. */
  major: number
  totalMs: number
  maxMs: number
}

/** Starts recording this process's GC pauses; the function returned stops and tells them. */
export function watchGcPauses(): () => GcPauses {
  const seen: GcPauses = { count: 0, major: 0, totalMs: 0, maxMs: 0 }
  const add = (e: PerformanceEntry): void => {
    seen.count++
    seen.totalMs += e.duration
    seen.maxMs = Math.max(seen.maxMs, e.duration)
    if ((e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) seen.major++
  }
  const observer = new PerformanceObserver((list) => list.getEntries().forEach(add))
  observer.observe({ entryTypes: ['gc'] })
  return () => {
    // Pauses made but not yet delivered to the observer.
    observer.takeRecords().forEach(add)
    observer.disconnect()
    return seen
  }
}
