import { z } from 'zod'
import { ERROR_CODES, SCAN_CODES } from './error-codes.ts'
import { OPERATIONS, type Body, type Operation } from './operations.ts'
import { problemOf } from '../problem.ts'
import type { ProblemCode } from '../../domain/error-codes.ts'

type Json = Record<string, unknown>

/** `/api/clients/:id` → `/api/clients/{id}` and the parameter names. */
export function openApiPath(path: string): { path: string; params: string[] } {
  const params: string[] = []
  return { path: path.replace(/:(\w+)/g, (_m, name: string) => (params.push(name), `{${name}}`)), params }
}

/** JSON Schema 2020-12 (OpenAPI 3.1's dialect) of a zod schema, as zod itself emits it. */
function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Json
  delete json.$schema
  return json
}

function content(body: Body, io: 'input' | 'output', example?: unknown): Json {
  if (body instanceof z.ZodType) return { 'application/json': { schema: schemaOf(body, io), ...(example !== undefined ? { example } : {}) } }
  const textual = body.mediaType.startsWith('text/') || body.mediaType.includes('json') || body.mediaType.includes('urlencoded')
  return { [body.mediaType]: { schema: { type: 'string', description: body.description, ...(textual ? {} : { contentMediaType: body.mediaType }) } } }
}

/** Codes every request of this operation can meet, besides its own. */
function commonCodes(op: Operation): ProblemCode[] {
  const codes: ProblemCode[] = ['INTERNAL_ERROR']
  if (op.path.startsWith('/api/') && !op.roles.includes('public')) codes.push('UNAUTHORIZED', 'FORBIDDEN')
  if (op.roles.includes('metrics')) codes.push('UNAUTHORIZED', 'FORBIDDEN')
  if (op.body instanceof z.ZodType) codes.push('VALIDATION_FAILED', 'MALFORMED_JSON', 'BODY_REQUIRED', 'BODY_TOO_LARGE')
  return codes
}

function errorResponses(op: Operation): Record<string, Json> {
  const byStatus = new Map<number, ProblemCode[]>()
  for (const code of [...commonCodes(op), ...(op.errors ?? [])]) {
    const { status } = ERROR_CODES[code]
    byStatus.set(status, [...(byStatus.get(status) ?? []), code])
  }
  const out: Record<string, Json> = {}
  for (const [status, codes] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    const unique = [...new Set(codes)]
    out[String(status)] = {
      description: unique.map((c) => `\`${c}\`: ${ERROR_CODES[c].description}`).join('\n\n'),
      content: {
        'application/problem+json': {
          schema: { $ref: '#/components/schemas/Problem' },
          examples: Object.fromEntries(unique.map((c) => [c, { summary: ERROR_CODES[c].description, value: problemOf(c, ERROR_CODES[c].description) }])),
        },
      },
    }
  }
  return out
}

function operationObject(op: Operation): Json {
  const { params } = openApiPath(op.path)
  const parameters: Json[] = [
    ...params.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
    ...Object.entries(op.query ?? {}).map(([name, q]) => ({ name, in: 'query', required: false, description: q.description, schema: schemaOf(q.schema, 'input') })),
    ...Object.entries(op.headers ?? {}).map(([name, h]) => ({ name, in: 'header', required: false, description: h.description, schema: schemaOf(h.schema, 'input') })),
  ]
  const roles = op.roles.includes('public') ? 'No token needed.' : op.roles.includes('metrics') ? 'Bearer STUDIO_METRICS_TOKEN or an admin token.' : `Roles: ${[...new Set(['admin', ...op.roles])].join(', ')}.`
  return {
    // Segments camel-cased, joined by `_`, so /production/orders and /production-orders stay apart.
    operationId: [op.method, ...openApiPath(op.path).path.replace(/[{}]/g, '').split('/').filter(Boolean).map((seg) => seg.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')))].join('_'),
    tags: [op.tag],
    summary: op.summary,
    description: roles,
    ...(op.roles.includes('public') ? { security: [] } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, content: content(op.body, 'input', op.bodyExample) } } : {}),
    responses: {
      [String(op.response.status)]: { description: op.response.description ?? (op.response.status === 204 ? 'Done; no body' : 'Success'), ...(op.response.body ? { content: content(op.response.body, 'output') } : {}) },
      ...errorResponses(op),
    },
  }
}

/** The OpenAPI 3.1 document of the whole server, built from the schemas the routes validate with. */
export function buildOpenApiDocument(version: string): Json {
  const paths: Record<string, Record<string, Json>> = {}
  for (const op of OPERATIONS) {
    const { path } = openApiPath(op.path)
    paths[path] ??= {}
    if (paths[path][op.method]) throw new Error(`${op.method} ${op.path} is listed twice`)
    paths[path][op.method] = operationObject(op)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Studio Print',
      version,
      description: 'Print, label and scan server for photography studios. Every error is RFC 9457 application/problem+json with a stable `code`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token (sp_…), or the sp_session cookie of the web pages' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { $ref: '#/components/schemas/ErrorCode' },
            details: { type: 'object' },
          },
        },
        ErrorCode: { oneOf: Object.entries(ERROR_CODES).map(([code, e]) => ({ const: code, description: `${e.status}: ${e.description}` })) },
        ScanCode: { description: 'The `code` of a scan result with outcome warning or error (in a 200 answer)', enum: [...SCAN_CODES] },
      },
    },
  }
}
