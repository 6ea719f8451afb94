import express, { type Express, type RequestHandler, type Router } from 'express'
import type { Logger } from 'pino'
import type { Stores } from '../app/stores.ts'
import { authDepsOf, authenticate } from './auth.ts'
import { errorHandler, problemOf, sendProblem } from './problem.ts'
import { recordRoutes } from './routes/records.ts'
import { settingsRoutes } from './routes/settings.ts'
import { tokenRoutes } from './routes/tokens.ts'
import { lookupRoutes } from './routes/lookup.ts'
import { documentRoutes } from './routes/documents.ts'
import { templateRoutes } from './routes/templates.ts'
import { studioLogoRoutes } from './routes/studio-logo.ts'
import { productionRoutes } from './routes/production.ts'
import { healthRoutes } from './routes/health.ts'
import { requestLog } from './request-log.ts'
import { routeIndex } from './route-index.ts'
import { openApiRoutes } from './openapi/openapi-routes.ts'

export interface AppOptions {
  stores: Stores
  log: Logger
  version: string
  /** More API routers (documents, printing, scanning), mounted under /api behind the token check. */
  apiRouters?: Router[]
  /** Routers outside /api (web pages), mounted before the API's 404. */
  pageRouters?: Router[]
  /** Prometheus metrics: the request timer (mounted first) and GET /metrics. */
  metrics?: { middleware: RequestHandler; router: Router }
}

export const BODY_LIMIT = '1mb'

export function createApp(options: AppOptions): Express {
  const { stores, log } = options
  const app = express()
  app.disable('x-powered-by')
  app.set('etag', false)
  if (options.metrics) app.use(options.metrics.middleware)
  app.use(requestLog(log))
  app.use(express.json({ limit: BODY_LIMIT, strict: true }))

  app.use(healthRoutes(stores, options.version))
  if (options.metrics) app.use(options.metrics.router)
  app.use(openApiRoutes(options.version))

  const api = express.Router()
  // Records, documents and settings hold personal data: no cache (browser or proxy) keeps an API answer.
  api.use((_req, res, next) => {
    res.setHeader('cache-control', 'no-store')
    next()
  })
  api.use(authenticate(authDepsOf(stores)))
  api.use(
    routeIndex([
      recordRoutes(stores),
      settingsRoutes(stores),
      tokenRoutes(stores),
      lookupRoutes(stores),
      documentRoutes(stores),
      templateRoutes(stores),
      studioLogoRoutes(stores),
      productionRoutes(stores),
      ...(options.apiRouters ?? []),
    ], (segments) => {
      const any = segments.filter((s) => s === null).length
      log.debug({ routers: segments.length, triedForEveryPath: any }, 'API routes indexed by their first path segment')
    }),
  )
  app.use('/api', api)
  app.use('/api', (req, res) => {
    sendProblem(res, problemOf('ROUTE_NOT_FOUND', `No API route ${req.method} ${req.originalUrl.split('?')[0]}.`))
  })
  for (const router of options.pageRouters ?? []) app.use(router)
  app.use((req, res) => {
    sendProblem(res, problemOf('ROUTE_NOT_FOUND', `Nothing at ${req.originalUrl.split('?')[0]}.`))
  })
  app.use(errorHandler)
  return app
}
