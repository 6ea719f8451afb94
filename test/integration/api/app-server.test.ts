/**
 * The server makes its requests and responses with express's prototypes from the start, so that
 * express's per-request Object.setPrototypeOf changes nothing (see src/server/app-server.ts: the
 * swap made a third of each request's garbage outlive young collections). These tests look at
 * the prototype before and after express took the request, on the real server, and check that
 * requests and answers are what they were.
 */
import { IncomingMessage, ServerResponse, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServer } from '../../../src/server/app-server.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'

/** The prototypes of each request and response as it arrived, and after express's handler ran. */
function watchPrototypes(server: Server): Array<{ arrived: [object, object]; afterExpress: [object, object] }> {
  const seen: Array<{ arrived: [object, object]; afterExpress: [object, object] }> = []
  // 'request' listeners run in order: this one before express's, the appended one after it.
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ arrived: [Object.getPrototypeOf(req) as object, Object.getPrototypeOf(res) as object], afterExpress: [{}, {}] })
  })
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    seen[seen.length - 1].afterExpress = [Object.getPrototypeOf(req) as object, Object.getPrototypeOf(res) as object]
  })
  return seen
}

describe('the server as started', () => {
  let t: TestServer
  beforeAll(async () => {
    t = await startTestServer('sqlite')
  })
  afterAll(async () => {
    await t.close()
  })

  it("gets requests already made with express's prototypes: express's swap changes nothing", async () => {
    const seen = watchPrototypes(t.running.server)
    const health = await t.api('/api/health')
    expect(health.status).toBe(200)
    const created = await t.api('/api/clients', { method: 'POST', json: { lastName: 'Prototype' } })
    expect(created.status).toBe(201)
    expect(((await created.json()) as { lastName: string }).lastName).toBe('Prototype')
    const missing = await t.api('/api/nothing-here')
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toContain('application/problem+json')
    expect(((await missing.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND')
    expect(seen).toHaveLength(3)
    for (const s of seen) {
      expect(s.arrived[0]).toBe(s.afterExpress[0])
      expect(s.arrived[1]).toBe(s.afterExpress[1])
      // Express's own, not Node's plain ones.
      expect(s.arrived[0]).not.toBe(IncomingMessage.prototype)
      expect(s.arrived[1]).not.toBe(ServerResponse.prototype)
    }
  })
})

describe('createAppServer', () => {
  const app = express()
  app.use(express.json())
  app.post('/echo', (req, res) => {
    res.status(201).set('x-kind', `${req instanceof IncomingMessage} ${res instanceof ServerResponse} ${req.app === app}`).json({ got: req.body as unknown, ip: req.ip })
  })
  app.get('/stream', (_req, res) => {
    res.type('text/plain')
    res.write('one,')
    setImmediate(() => res.end('two'))
  })
  let server: Server
  let base: string
  beforeAll(async () => {
    server = createAppServer(app)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it("makes Node's own request and response objects, with the app's prototypes", async () => {
    const seen = watchPrototypes(server)
    const res = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: [1, 2] }) })
    expect(res.status).toBe(201)
    expect(res.headers.get('x-kind')).toBe('true true true')
    expect(await res.json()).toEqual({ got: { a: [1, 2] }, ip: '127.0.0.1' })
    expect(seen[0].arrived).toEqual([app.request, app.response])
    expect(seen[0].afterExpress).toEqual([app.request, app.response])
  })

  it('answers several requests on one kept-alive connection, streamed answers too', async () => {
    const ports = new Set<number>()
    server.on('connection', (socket) => ports.add(socket.remotePort ?? -1))
    const bodies: string[] = []
    for (let i = 0; i < 3; i++) bodies.push(await (await fetch(`${base}/stream`)).text())
    expect(bodies).toEqual(['one,two', 'one,two', 'one,two'])
    // fetch keeps the connection: at most the first request opened one.
    expect(ports.size).toBeLessThanOrEqual(1)
  })
})
