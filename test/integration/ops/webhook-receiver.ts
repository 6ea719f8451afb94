import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface Received {
  status: number
  headers: IncomingHttpHeaders
  body: string
}

/** A webhook receiver on loopback that answers `failFirst` requests with 500, then 200 (or listens on a given port later). */
export class WebhookReceiver {
  readonly requests: Received[] = []
  private server: Server | null = null
  constructor(private failFirst = 0) {}

  async listen(port = 0): Promise<string> {
    this.server = createServer((req, res) => {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (c: string) => (body += c))
      req.on('end', () => {
        const status = this.failFirst > 0 ? 500 : 200
        if (this.failFirst > 0) this.failFirst--
        this.requests.push({ status, headers: req.headers, body })
        res.writeHead(status).end()
      })
    })
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`
  }

  /** The distinct events received with 200 (a receiver dedupes on the event id). */
  delivered(): Array<{ id: string; type: string; data: Record<string, unknown> }> {
    const seen = new Map<string, { id: string; type: string; data: Record<string, unknown> }>()
    for (const r of this.requests) if (r.status === 200) seen.set(String(r.headers['studio-print-event-id']), JSON.parse(r.body))
    return [...seen.values()].sort((a, b) => Number(a.id.slice(4)) - Number(b.id.slice(4)))
  }

  async close(): Promise<void> {
    if (!this.server) return
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server!.close(() => resolve()))
    this.server = null
  }
}

export async function until<T>(what: string, check: () => Promise<T | undefined | false> | T | undefined | false, ms = 60_000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const v = await check()
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
