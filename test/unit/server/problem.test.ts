/**
 * An error's HTTP status is its code's, from the one catalogue (ERROR_CODES): whatever kind an
 * AppError says it is, and wherever a problem is written, a code is answered with one status.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Request, Response } from 'express'
import { describe, expect, it } from 'vitest'
import { AppError, ERROR_KINDS } from '../../../src/domain/errors.ts'
import { NON_HTTP_CODES, PROBLEM_CODES, SCAN_RESULT_CODES, isProblemCode } from '../../../src/domain/error-codes.ts'
import { ERROR_CODES } from '../../../src/server/openapi/error-codes.ts'
import { errorHandler, problemOf } from '../../../src/server/problem.ts'

interface Sent {
  status: number
  type: string
  body: Record<string, unknown>
}

/** Runs the error handler on `err` with a response that records what was sent. */
function answer(err: unknown): Sent {
  const sent: Partial<Sent> = {}
  const res = {
    headersSent: false,
    status(s: number) {
      sent.status = s
      return this
    },
    type(t: string) {
      sent.type = t
      return this
    },
    send(b: string) {
      sent.body = JSON.parse(b) as Record<string, unknown>
      return this
    },
  }
  errorHandler(err, { log: { error: () => {} } } as unknown as Request, res as unknown as Response, () => {})
  return sent as Sent
}

const SRC = join(import.meta.dirname, '..', '..', '..', 'src')
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return name.endsWith('.ts') ? [path] : []
  })
}

describe('the error catalogue and the problem writer', () => {
  it('when the catalogue is read, then it has exactly the problem codes, each with one HTTP error status', () => {
    expect(Object.keys(ERROR_CODES).sort()).toEqual([...PROBLEM_CODES].sort())
    for (const [code, entry] of Object.entries(ERROR_CODES)) {
      expect(Number.isInteger(entry.status) && entry.status >= 400 && entry.status <= 599, `${code}: ${JSON.stringify(entry.status)}`).toBe(true)
      expect(entry.description.length, code).toBeGreaterThan(0)
    }
  })

  it('when a code is never a problem (a driver state, a scan result), then it is not in the catalogue, and the sets are told apart', () => {
    for (const code of NON_HTTP_CODES) expect(isProblemCode(code), code).toBe(false)
    expect(isProblemCode('PRINTER_GONE')).toBe(true)
    expect(isProblemCode('NO_SUCH_CODE')).toBe(false)
    // Scan result codes may be problems too (RECORD_NOT_FOUND from a lookup), but not all are.
    expect(SCAN_RESULT_CODES.filter((c) => !isProblemCode(c))).toContain('DUPLICATE_SCAN')
  })

  it('when any catalogue code is thrown as an AppError of any kind, then it is answered with the catalogue status and no other', () => {
    for (const code of PROBLEM_CODES) {
      for (const kind of ERROR_KINDS) {
        const sent = answer(new AppError(code, kind, `a ${code}`, { x: 1 }))
        expect({ code, kind, status: sent.status }).toEqual({ code, kind, status: ERROR_CODES[code].status })
        expect(sent.type).toBe('application/problem+json')
        expect(sent.body).toMatchObject({ status: ERROR_CODES[code].status, code, detail: `a ${code}`, details: { x: 1 } })
      }
    }
  })

  it('when a problem is made by code, then its status is the catalogue status (RFC 9457 shape, stable type)', () => {
    for (const code of PROBLEM_CODES) {
      const p = problemOf(code, 'why')
      expect(p).toMatchObject({ status: ERROR_CODES[code].status, code, detail: 'why', type: `https://studio-print.local/problems/${code.toLowerCase().replace(/_/g, '-')}` })
      expect(typeof p.title).toBe('string')
    }
  })

  it('when an AppError carries a code that is never a problem, or an error is not an AppError, then 500 INTERNAL_ERROR without its message', () => {
    for (const err of [new AppError('TRANSPORT_TIMEOUT', 'unavailable', 'secret detail'), new AppError('DUPLICATE_SCAN', 'conflict', 'secret detail'), new Error('secret detail')]) {
      const sent = answer(err)
      expect(sent).toMatchObject({ status: 500, body: { status: 500, code: 'INTERNAL_ERROR' } })
      expect(JSON.stringify(sent.body)).not.toContain('secret detail')
    }
  })

  it('when body-parser fails, then its codes are answered with their catalogue statuses', () => {
    expect(answer({ type: 'entity.parse.failed' })).toMatchObject({ status: ERROR_CODES.MALFORMED_JSON.status, body: { code: 'MALFORMED_JSON' } })
    expect(answer({ type: 'entity.too.large' })).toMatchObject({ status: ERROR_CODES.BODY_TOO_LARGE.status, body: { code: 'BODY_TOO_LARGE' } })
    expect(answer({ type: 'charset.unsupported', message: 'x' })).toMatchObject({ status: ERROR_CODES.UNSUPPORTED_ENCODING.status, body: { code: 'UNSUPPORTED_ENCODING' } })
  })

  it('when the source throws an AppError with a kind, then the kind agrees with its code\'s catalogue status (kinds stay a category, never a second status)', () => {
    const statusOfKind: Record<string, number> = { invalid: 400, unauthorized: 401, forbidden: 403, 'not-found': 404, conflict: 409, unsupported: 415, unprocessable: 422, 'too-large': 413, unavailable: 503 }
    const disagreeing: string[] = []
    let checked = 0
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8')
      const pairs = [
        ...[...text.matchAll(/(?:new AppError|super)\(\s*'([A-Z_]+)',\s*'([a-z-]+)'/g)].map((m) => [m[1], m[2]]),
        ...[...text.matchAll(/new ConflictError\(\s*'([A-Z_]+)'/g)].map((m) => [m[1], 'conflict']),
        ...[...text.matchAll(/new ValidationError\((?:[^()]|\([^()]*\))*?'([A-Z][A-Z0-9_]+)'\)/g)].map((m) => [m[1], 'invalid']),
        ...[...text.matchAll(/new NotFoundError\((?:[^()]|\([^()]*\))*?'([A-Z][A-Z0-9_]+)'\)/g)].map((m) => [m[1], 'not-found']),
      ]
      for (const [code, kind] of pairs) {
        if (!isProblemCode(code)) continue
        checked++
        if (statusOfKind[kind] !== ERROR_CODES[code].status) disagreeing.push(`${file.slice(SRC.length + 1)}: ${code} as ${kind}, catalogue ${ERROR_CODES[code].status}`)
      }
    }
    expect(checked).toBeGreaterThan(50)
    expect(disagreeing).toEqual([])
  })

  it('when the source writes a problem, then only through problemOf (the status is never chosen by the caller)', () => {
    const offenders: string[] = []
    for (const file of sourceFiles(SRC)) {
      const text = readFileSync(file, 'utf8')
      const rel = file.slice(SRC.length + 1)
      if (rel === 'server/problem.ts') continue
      if (/\.type\(\s*['"]application\/problem\+json/.test(text)) offenders.push(`${rel}: writes problem+json itself`)
      for (const m of text.matchAll(/sendProblem\(\s*res\s*,\s*([^\s(]+)/g)) if (m[1] !== 'problemOf') offenders.push(`${rel}: sendProblem(res, ${m[1]}…)`)
    }
    expect(offenders).toEqual([])
  })
})
