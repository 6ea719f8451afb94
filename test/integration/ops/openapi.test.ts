import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { validate, compileErrors } from '@readme/openapi-parser'
import { Ajv2020 } from 'ajv/dist/2020.js'
import type { Express } from 'express'
import { DB_KINDS } from '../../support/databases.ts'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { ERROR_CODES, NON_HTTP_CODES, SCAN_CODES } from '../../../src/server/openapi/error-codes.ts'
import { openApiPath } from '../../../src/server/openapi/openapi-document.ts'

type Json = Record<string, any>
const SRC = fileURLToPath(new URL('../../../src/', import.meta.url))

/** Every route registered on an express app (express 5 / router 2 stacks), as `METHOD /path`. */
function registeredRoutes(app: Express): string[] {
  const out: string[] = []
  const walk = (stack: Json[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path]
        for (const p of paths) for (const m of Object.keys(layer.route.methods).filter((m) => m !== '_all')) out.push(`${m.toUpperCase()} ${prefix}${p === '/' && prefix ? '' : p}`)
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''
        walk(layer.handle.stack, prefix + mount)
      }
    }
  }
  walk((app as unknown as { router: { stack: Json[] } }).router.stack, '')
  return [...new Set(out)].sort()
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : []
  })
}

describe.each(DB_KINDS)('the OpenAPI document (%s)', { timeout: 120_000 }, (kind) => {
  let s: TestServer
  let doc: Json
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
  beforeAll(async () => {
    s = await startTestServer(kind)
    const res = await s.api('/api/openapi.json', { token: null })
    expect(res.status).toBe(200)
    doc = (await res.json()) as Json
    ajv.addSchema({ $id: 'doc', components: doc.components }, 'doc')
  })
  afterAll(() => s.close())

  /** Checks a real answer against what the document says that operation answers with that status. */
  async function conforms(method: string, path: string, res: Response): Promise<Json> {
    const text = await res.text()
    const template = Object.keys(doc.paths).find((p) => new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path.split('?')[0]))
    expect(template, `${method} ${path} is documented`).toBeDefined()
    const op = doc.paths[template!][method.toLowerCase()]
    expect(op, `${method} ${template}`).toBeDefined()
    const answer = op.responses[String(res.status)]
    expect(answer, `${method} ${template} documents status ${res.status}: ${text.slice(0, 200)}`).toBeDefined()
    const type = (res.headers.get('content-type') ?? '').split(';')[0]
    if (res.status === 204) return {}
    const media = answer.content?.[type]
    expect(media, `${method} ${template} ${res.status} documents ${type}`).toBeDefined()
    const body = JSON.parse(text) as Json
    const schema = JSON.parse(JSON.stringify(media.schema).replaceAll('"#/components/', '"doc#/components/'))
    const check = ajv.compile(schema)
    expect(check(body), `${method} ${path} ${res.status}: ${ajv.errorsText(check.errors)}\n${text.slice(0, 400)}`).toBe(true)
    if (type === 'application/problem+json') expect(Object.keys(media.examples), `${method} ${template} documents ${body.code}`).toContain(body.code)
    return body
  }

  it('when a maintained OpenAPI validator reads it, then it is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0')
    const result = await validate(structuredClone(doc) as never)
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true)
  })

  it('when the running app is walked, then every route it registers is documented, and nothing else is', () => {
    const app = s.running.server.listeners('request')[0] as Express
    const routes = registeredRoutes(app)
    expect(routes.length).toBeGreaterThan(60)
    const documented = Object.entries(doc.paths as Record<string, Json>).flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`)).sort()
    expect(routes.map((r) => { const [m, p] = r.split(' '); return `${m} ${openApiPath(p).path}` }).sort()).toEqual(documented)
  })

  it('when the source is read for error codes, then every one is documented (problem codes, scan codes) or known not to reach HTTP', () => {
    const known = new Set<string>([...Object.keys(ERROR_CODES), ...SCAN_CODES, ...NON_HTTP_CODES])
    const missing = new Set<string>()
    for (const file of sourceFiles(SRC)) {
      if (file.includes('/cli/')) continue // the command's own codes (README: admin command)
      for (const m of readFileSync(file, 'utf8').matchAll(/'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g)) {
        const code = m[1]
        if (/^(SQLITE_|ER_|ERR_|STUDIO_)/.test(code) || known.has(code)) continue
        missing.add(`${code} (${file.slice(SRC.length)})`)
      }
    }
    expect([...missing]).toEqual([])
    const documented = (doc.components.schemas.ErrorCode.oneOf as Json[]).map((c) => c.const)
    expect(documented.sort()).toEqual(Object.keys(ERROR_CODES).sort())
  })

  it('when representative routes are called on the running server, then each answer matches its documented schema', async () => {
    await conforms('GET', '/api/health', await s.api('/api/health', { token: null }))
    await conforms('GET', '/api/health/ready', await s.api('/api/health/ready', { token: null }))
    const client = await conforms('POST', '/api/clients', await s.api('/api/clients', { method: 'POST', json: { lastName: 'Schema', phones: [{ number: '555-0101' }] } }))
    await conforms('GET', '/api/clients', await s.api('/api/clients'))
    await conforms('GET', `/api/clients/${client.id}`, await s.api(`/api/clients/${client.id}`))
    await conforms('GET', '/api/clients/999999', await s.api('/api/clients/999999'))
    await conforms('GET', '/api/clients/abc', await s.api('/api/clients/abc'))
    await conforms('POST', '/api/clients', await s.api('/api/clients', { method: 'POST', json: { lastName: 7 } }))
    await conforms('GET', '/api/clients', await s.api('/api/clients', { token: null }))
    await conforms('GET', `/api/lookup?barcode=${client.barcode}`, await s.api(`/api/lookup?barcode=${client.barcode}`))
    await conforms('GET', '/api/lookup?barcode=X', await s.api('/api/lookup?barcode=X'))
    const order = await conforms('POST', '/api/production-orders', await s.api('/api/production-orders', { method: 'POST', json: { clientId: client.id, vendor: 'Lab', productionOrderNumber: 'auto' } }))
    await conforms('POST', `/api/production-orders/${order.id}/advance`, await s.api(`/api/production-orders/${order.id}/advance`, { method: 'POST', json: {} }))
    const token = await conforms('POST', '/api/tokens', await s.api('/api/tokens', { method: 'POST', json: { role: 'client', label: 'schema' } }))
    await conforms('GET', '/api/tokens', await s.api('/api/tokens'))
    await conforms('POST', '/api/tokens', await s.api('/api/tokens', { method: 'POST', json: { role: 'client' }, token: token.token }))
    await conforms('POST', '/api/printers', await s.api('/api/printers', { method: 'POST', json: { name: 'p1', language: 'zpl', uri: 'tcp://127.0.0.1:9' } }))
    await conforms('GET', '/api/printers', await s.api('/api/printers'))
    await conforms('GET', '/api/printers/p1', await s.api('/api/printers/p1'))
    const job = await conforms('POST', '/api/print-jobs', await s.api('/api/print-jobs', { method: 'POST', json: { document: 'client-label', recordId: client.id, printer: 'p1' } }))
    await conforms('GET', '/api/print-jobs', await s.api('/api/print-jobs'))
    await conforms('GET', `/api/print-jobs/${job.id}`, await s.api(`/api/print-jobs/${job.id}`))
    await conforms('POST', `/api/print-jobs/${job.id}/release`, await s.api(`/api/print-jobs/${job.id}/release`, { method: 'POST' }))
    await conforms('POST', `/api/print-jobs/${job.id}/cancel`, await s.api(`/api/print-jobs/${job.id}/cancel`, { method: 'POST' }))
    await conforms('POST', '/api/stations', await s.api('/api/stations', { method: 'POST', json: { name: 'desk', mode: 'lookup' } }))
    await conforms('GET', '/api/stations', await s.api('/api/stations'))
    await conforms('POST', '/api/stations/desk/scans', await s.api('/api/stations/desk/scans', { method: 'POST', json: { data: client.barcode } }))
    await conforms('POST', '/api/stations/desk/scans', await s.api('/api/stations/desk/scans', { method: 'POST', json: { data: 'garbage' } }))
    await conforms('GET', '/api/stations/desk/scans', await s.api('/api/stations/desk/scans'))
    await conforms('GET', '/api/scanners', await s.api('/api/scanners'))
    const hook = await conforms('POST', '/api/webhooks', await s.api('/api/webhooks', { method: 'POST', json: { url: 'http://127.0.0.1:9/x', events: ['scan.result'] } }))
    await conforms('GET', '/api/webhooks', await s.api('/api/webhooks'))
    await conforms('GET', `/api/webhooks/${hook.id}/deliveries`, await s.api(`/api/webhooks/${hook.id}/deliveries`))
    await conforms('GET', '/api/webhooks/77', await s.api('/api/webhooks/77'))
    await conforms('DELETE', `/api/webhooks/${hook.id}`, await s.api(`/api/webhooks/${hook.id}`, { method: 'DELETE' }))
  })

  it('when the API page is opened without a token, then it is HTML rendered from the document, naming every path and code', async () => {
    const res = await s.api('/api/docs', { token: null })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await res.text()
    expect(html).not.toMatch(/<script|<link|(src|href)="(https?:)?\/\//i) // nothing loaded from elsewhere
    for (const path of Object.keys(doc.paths)) expect(html).toContain(`<code>${path}</code>`)
    for (const code of Object.keys(ERROR_CODES)) expect(html).toContain(`<code>${code}</code>`)
  })
})
