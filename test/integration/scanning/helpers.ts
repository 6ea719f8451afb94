import pino from 'pino'
import type { TestServer } from '../../support/server.ts'
import { migratedDb } from '../../support/databases.ts'
import { createStores, type Stores } from '../../../src/app/stores.ts'
import { ScanService } from '../../../src/app/scanning/scan-service.ts'
import { StationEvents } from '../../../src/app/scanning/station-events.ts'
import { DEFAULT_TRACK } from '../../../src/domain/status-track.ts'

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

export interface SseEvent {
  id?: string
  event: string
  data: string
}

/** A minimal SSE client over fetch: collects events; `next()` waits for the next matching one. */
export class SseClient {
  readonly events: SseEvent[] = []
  private waiters: Array<{ match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }> = []
  private readonly controller = new AbortController()
  status = 0
  contentType = ''
  ended = false
  private done!: Promise<void>

  static async open(s: TestServer, path: string, init: { token?: string | null; lastEventId?: string } = {}): Promise<SseClient> {
    const client = new SseClient()
    const headers: Record<string, string> = { accept: 'text/event-stream' }
    if (init.lastEventId) headers['last-event-id'] = init.lastEventId
    const res = await s.api(path, { headers, signal: client.controller.signal, ...(init.token !== undefined ? { token: init.token } : {}) })
    client.status = res.status
    client.contentType = res.headers.get('content-type') ?? ''
    client.done = client.read(res)
    return client
  }

  private async read(res: Response): Promise<void> {
    if (!res.body) return
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true })
        let cut: number
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut)
          buffer = buffer.slice(cut + 2)
          const event: SseEvent = { event: 'message', data: '' }
          const data: string[] = []
          let any = false
          for (const line of block.split('\n')) {
            if (line.startsWith(':') || line === '') continue
            const colon = line.indexOf(':')
            const field = colon < 0 ? line : line.slice(0, colon)
            const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
            if (field === 'id') event.id = value
            else if (field === 'event') event.event = value
            else if (field === 'data') data.push(value)
            else continue
            any = true
          }
          if (!any || data.length === 0) continue
          event.data = data.join('\n')
          this.events.push(event)
          this.waiters = this.waiters.filter((w) => (w.match(event) ? (w.resolve(event), false) : true))
        }
      }
    } catch {
      // aborted
    } finally {
      this.ended = true
    }
  }

  /** The next event (already received or coming) that matches, or a rejection after `ms`. */
  next(match: (e: SseEvent) => boolean = (e) => e.event === 'message', ms = 5000, from = 0): Promise<SseEvent> {
    const found = this.events.slice(from).find(match)
    if (found) return Promise.resolve(found)
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching SSE event within ${ms} ms; got ${JSON.stringify(this.events.map((e) => e.data.slice(0, 80)))}`)), ms)
      this.waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) })
    })
  }

  /** Results (default `message` events) parsed. */
  results<T = Record<string, unknown>>(): T[] {
    return this.events.filter((e) => e.event === 'message').map((e) => JSON.parse(e.data) as T)
  }

  async close(): Promise<void> {
    this.controller.abort()
    await this.done.catch(() => undefined)
  }

  /** Resolves when the server ended the stream. */
  async closedByServer(ms = 5000): Promise<boolean> {
    const timeout = new Promise<boolean>((r) => setTimeout(() => r(false), ms))
    return Promise.race([this.done.then(() => true), timeout])
  }
}

/** Creates a client and an order with a production order number, advanced `steps` times; returns the order and its barcode. */
export async function makeOrder(s: TestServer, steps = 0, clientId?: number): Promise<{ id: number; barcode: string; clientId: number }> {
  let cid = clientId
  if (cid === undefined) {
    const client = await json<{ id: number }>(await s.api('/api/clients', { method: 'POST', json: { lastName: 'Okafor', firstName: 'Amara' } }))
    cid = client.id
  }
  const order = await json<{ id: number; barcode: string }>(
    await s.api('/api/production-orders', { method: 'POST', json: { vendor: 'Bay Photo Lab', orderType: 'default', productionOrderNumber: 'auto', clientId: cid, lines: [] } }),
  )
  for (let i = 0; i < steps; i++) {
    const r = await s.api(`/api/production-orders/${order.id}/advance`, { method: 'POST', json: {} })
    if (r.status !== 200) throw new Error(`advance failed: ${r.status} ${await r.text()}`)
  }
  return { id: order.id, barcode: order.barcode, clientId: cid }
}

export async function scan(s: TestServer, station: string, data: string, token?: string): Promise<Record<string, any>> {
  const res = await s.api(`/api/stations/${station}/scans`, { method: 'POST', json: { data }, ...(token ? { token } : {}) })
  if (res.status !== 200) throw new Error(`scan answered ${res.status}: ${await res.text()}`)
  return json(res)
}

/** A migrated database of `kind`, its stores on `clock`, the default track seeded. */
export async function seededStores(kind: 'sqlite' | 'mariadb', clock: () => Date): Promise<{ stores: Stores; url: string; dispose: () => Promise<void> }> {
  const m = await migratedDb(kind)
  const stores = createStores(m.db, clock)
  await stores.settings.seedDefaults()
  return { stores, url: m.url, dispose: m.dispose }
}

/** A scan service over `stores` (another server's, when given its own stores), logging nothing. */
export function quietScanService(stores: Stores): ScanService {
  return new ScanService({ stores, events: new StationEvents(), log: pino({ level: 'silent' }) })
}

/** An order with a production order number, made through the store; returns its id and barcode. */
export async function storedOrder(stores: Stores): Promise<{ id: number; barcode: string }> {
  const o = await stores.orders.create({ vendor: 'Lab', vendorAddress: [], orderType: 'default', productionOrderNumber: 'auto', invoiceIds: [], lines: [] }, DEFAULT_TRACK, { by: 't', station: null })
  return { id: o.id, barcode: `PO-${String(o.productionOrderNumber).padStart(6, '0')}` }
}
