/**
 * The README's "Error codes" section lists every code the source can raise, so that a client
 * writer never meets a code the documentation does not name; its table of problems by HTTP
 * status is the catalogue's (ERROR_CODES), row by row.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES } from '../../src/server/openapi/error-codes.ts'

const ROOT = join(import.meta.dirname, '..', '..')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.(ts|js)$/.test(name) ? [path] : []
  })
}

/** Quoted UPPER_SNAKE strings that are codes: not environment variables, database or Node error names. */
const NOT_CODES = /^(STUDIO_|SQLITE_|ER_|ERR_|NODE_|LOG_|DATABASE_|TEST_)/
const QUOTED = /['"`]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)['"`]/g
/** Codes without an underscore, raised by name. */
const SINGLE_WORD = /(?:super|AppError|ConflictError)\(\s*'([A-Z]{4,})'/g

function codesIn(text: string): string[] {
  const found = new Set<string>()
  for (const m of text.matchAll(QUOTED)) if (!NOT_CODES.test(m[1])) found.add(m[1])
  for (const m of text.matchAll(SINGLE_WORD)) found.add(m[1])
  return [...found]
}

function readmeErrorSection(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const start = readme.indexOf('\n## Error codes')
  expect(start, 'README has an "## Error codes" section').toBeGreaterThan(0)
  const end = readme.indexOf('\n## ', start + 1)
  return readme.slice(start, end < 0 ? undefined : end)
}

/** The problems table (`| status | codes |`): each status row's UPPER_SNAKE codes. */
function readmeProblemTable(section: string): Map<number, string[]> {
  const rows = new Map<number, string[]>()
  for (const line of section.split('\n')) {
    const row = /^\| (\d{3}) \| (.*) \|$/.exec(line)
    if (!row) continue
    const codes = [...row[2].matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)`/g)].map((m) => m[1])
    rows.set(Number(row[1]), [...(rows.get(Number(row[1])) ?? []), ...codes])
  }
  return rows
}

describe('the README error-code list', () => {
  it('when the README tables problems by HTTP status, then each row holds exactly the catalogue codes of that status', () => {
    const table = readmeProblemTable(readmeErrorSection())
    const catalogue = new Map<number, string[]>()
    for (const [code, { status }] of Object.entries(ERROR_CODES)) catalogue.set(status, [...(catalogue.get(status) ?? []), code])
    const sorted = (m: Map<number, string[]>) => Object.fromEntries([...m].sort((a, b) => a[0] - b[0]).map(([status, codes]) => [status, [...codes].sort()]))
    expect(sorted(table)).toEqual(sorted(catalogue))
  })

  it('when the source raises a code, then the README lists it under "Error codes"', () => {
    const section = readmeErrorSection()
    const missing: string[] = []
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      for (const code of codesIn(readFileSync(file, 'utf8'))) {
        if (!section.includes(`\`${code}\``)) missing.push(`${code} (${file.slice(ROOT.length + 1)})`)
      }
    }
    expect(missing).toEqual([])
  })

  it('when the check reads the source, then it finds the codes it is meant to (and no environment variables)', () => {
    expect(codesIn(`throw new ValidationError('x', {}, 'QUERY_INVALID'); super('UNAUTHORIZED', 'unauthorized', m); env.STUDIO_PRINT_LEASE_MS; 'SQLITE_CONSTRAINT_UNIQUE'; e.code === 'ERR_WORKER_OUT_OF_MEMORY'`).sort()).toEqual(['QUERY_INVALID', 'UNAUTHORIZED'])
  })
})
