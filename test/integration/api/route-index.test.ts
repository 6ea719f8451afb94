import { describe, expect, it } from 'vitest'
import express, { Router } from 'express'
import type { AddressInfo } from 'node:net'
import { pino } from 'pino'
import { routeIndex, segmentsOf, firstSegment } from '../../../src/server/route-index.ts'
import { startTestServer } from '../../support/server.ts'

async function serve(routers: Router[]): Promise<{ get(path: string, method?: string): Promise<{ status: number; body: string }>; close(): Promise<void> }> {
  const app = express()
  const api = express.Router()
  api.use(routeIndex(routers))
  app.use('/api', api)
  app.use('/api', (_req, res) => void res.status(404).send('none'))
  app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => void res.status(500).send(`error: ${err.message}`))
  const server = app.listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    get: async (path, method = 'GET') => {
      const res = await fetch(base + path, { method })
      return { status: res.status, body: await res.text() }
    },
    close: () => new Promise((r) => server.close(() => r(undefined))),
  }
}

describe('routeIndex: API routers tried by the first path segment', () => {
  it('when routers share a segment, then the first that answers wins, in mounting order, as with use(); case and trailing slash match as express does', async () => {
    const a = Router()
    a.get('/things/special', (_req, res) => void res.send('a-special'))
    const b = Router()
    b.get('/things/:id', (req, res) => void res.send(`b-${req.params.id}`))
    b.get('/other', (_req, res) => void res.send('b-other'))
    const c = Router()
    c.get('/things/:id', (_req, res) => void res.send('c-never'))
    const s = await serve([a, b, c])
    try {
      expect(await s.get('/api/things/special')).toEqual({ status: 200, body: 'a-special' })
      expect(await s.get('/api/things/7')).toEqual({ status: 200, body: 'b-7' })
      expect(await s.get('/api/THINGS/8')).toEqual({ status: 200, body: 'b-8' })
      expect(await s.get('/api/other/')).toEqual({ status: 200, body: 'b-other' })
      expect(await s.get('/api/nothing-here')).toEqual({ status: 404, body: 'none' })
      expect(await s.get('/api/things/7', 'POST')).toEqual({ status: 404, body: 'none' })
    } finally {
      await s.close()
    }
  })

  it('when a router has a middleware for every path or a parameter first, then it is tried for every path; a path-bound middleware only under its path; errors reach the error handler', async () => {
    const guard = Router()
    guard.use('/locked', (_req, _res, next) => next(new Error('locked')))
    guard.get('/locked/x', (_req, res) => void res.send('never'))
    const every = Router()
    every.use((req, _res, next) => {
      req.headers['x-seen'] = 'yes'
      next()
    })
    const param = Router()
    param.get('/:anything/echo', (req, res) => void res.send(`echo-${req.params.anything}-${String(req.headers['x-seen'])}`))
    expect(segmentsOf(guard)).toEqual(new Set(['locked']))
    expect(segmentsOf(every)).toBeNull()
    expect(segmentsOf(param)).toBeNull()
    const s = await serve([guard, every, param])
    try {
      expect(await s.get('/api/locked/x')).toEqual({ status: 500, body: 'error: locked' })
      expect(await s.get('/api/open/echo')).toEqual({ status: 200, body: 'echo-open-yes' })
    } finally {
      await s.close()
    }
  })

  it('when the server starts, then every API router is indexed: none is tried for every path', async () => {
    const lines: string[] = []
    const s = await startTestServer('sqlite', { log: pino({ level: 'debug' }, { write: (l: string) => void lines.push(l) }) })
    try {
      const line = lines.map((l) => JSON.parse(l) as { msg: string; routers?: number; triedForEveryPath?: number }).find((l) => l.msg === 'API routes indexed by their first path segment')
      expect(line?.routers).toBeGreaterThan(8)
      expect(line?.triedForEveryPath).toBe(0)
      expect(firstSegment('/print-jobs/7/release')).toBe('print-jobs')
    } finally {
      await s.close()
    }
  })
})
