/**
 * The server makes its requests and responses with express's prototypes from the start, so that
 * express's per-request Object.setPrototypeOf changes nothing (see src/server/app-server.ts: the
 * swap made a third of each request's garbage outlive young collections). These tests look at
 * the prototype before and after express took the request, on the real server, and check that
 * requests and answers are what they were.
 */
import { Agent, IncomingMessage, ServerResponse, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAppServer } from '../../../src/server/app-server.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'

type Seen = Array<{ arrived: [object, object]; afterExpress: [object, object] }>

/** Records the prototypes of each request and response as it arrived, and after express's handler ran, while `body` runs. */
async function watchPrototypes(server: Server, body: () => Promise<void>): Promise<Seen> {
  const seen: Seen = []
  // 'request' listeners run in order: this one before express's, the appended one after it.
  const first = (req: IncomingMessage, res: ServerResponse) => {
    seen.push({ arrived: [Object.getPrototypeOf(req) as object, Object.getPrototypeOf(res) as object], afterExpress: [{}, {}] })
  }
  const last = (req: IncomingMessage, res: ServerResponse) => {
    seen[seen.length - 1].afterExpress = [Object.getPrototypeOf(req) as object, Object.getPrototypeOf(res) as object]
  }
  server.prependListener('request', first)
  server.on('request', last)
  try {
    await body()
  } finally {
    server.off('request', first)
    server.off('request', last)
  }
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
    const seen = await watchPrototypes(t.running.server, async () => {
      const health = await t.api('/api/health')
      expect(health.status).toBe(200)
      const created = await t.api('/api/clients', { method: 'POST', json: { lastName: 'Prototype' } })
      expect(created.status).toBe(201)
      expect(((await created.json()) as { lastName: string }).lastName).toBe('Prototype')
      const missing = await t.api('/api/nothing-here')
      expect(missing.status).toBe(404)
      expect(missing.headers.get('content-type')).toContain('application/problem+json')
      expect(((await missing.json()) as { code: string }).code).toBe('ROUTE_NOT_FOUND')
    })
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
  app.get('/stream', (req, res) => {
    res.type('text/plain').set('x-port', String(req.socket.remotePort))
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
    const seen = await watchPrototypes(server, async () => {
      const res = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a: [1, 2] }) })
      expect(res.status).toBe(201)
      expect(res.headers.get('x-kind')).toBe('true true true')
      expect(await res.json()).toEqual({ got: { a: [1, 2] }, ip: '127.0.0.1' })
    })
    expect(seen[0].arrived).toEqual([app.request, app.response])
    expect(seen[0].afterExpress).toEqual([app.request, app.response])
  })

  it('answers several requests on one kept-alive connection, streamed answers too', async () => {
    // One kept-alive socket for the three: a server that closed it after an answer would make the agent open another.
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const get = () =>
      new Promise<{ body: string; port: string }>((resolve, reject) => {
        request(`${base}/stream`, { agent }, (res) => {
          let body = ''
          res.setEncoding('utf8')
          res.on('data', (c: string) => (body += c))
          res.on('end', () => resolve({ body, port: String(res.headers['x-port']) }))
        })
          .on('error', reject)
          .end()
      })
    try {
      const answers = [await get(), await get(), await get()]
      expect(answers.map((a) => a.body)).toEqual(['one,two', 'one,two', 'one,two'])
      expect(answers[0].port).toMatch(/^\d+$/)
      expect(new Set(answers.map((a) => a.port)).size).toBe(1)
    } finally {
      agent.destroy()
    }
  })
})
