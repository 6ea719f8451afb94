import { Router } from 'express'
import { buildOpenApiDocument } from './openapi-document.ts'
import { renderApiPage } from './api-page.ts'

/** GET /api/openapi.json and GET /api/docs (no token: the document holds no secrets). Built once, at start. */
export function openApiRoutes(version: string): Router {
  const doc = buildOpenApiDocument(version)
  const json = JSON.stringify(doc)
  const page = renderApiPage(doc)
  const r = Router()
  r.get('/api/openapi.json', (_req, res) => {
    res.type('application/json').send(json)
  })
  r.get('/api/docs', (_req, res) => {
    res.setHeader('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    res.type('html').send(page)
  })
  return r
}
