import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { DOCUMENT_FORMATS, DOCUMENT_TITLES } from '../../../src/domain/documents.ts'
import { RECORD_COLLECTIONS, RECORD_TYPE_NAMES, RECORD_TYPES } from '../../../src/domain/records.ts'
import { PAYLOAD_PATTERN, PAYLOAD_PREFIXES, parsePayload } from '../../../src/domain/barcode-payload.ts'
import { ACTIVE_STATES, FINAL_STATES, JOB_REASONS, JOB_STATES } from '../../../src/domain/print-job.ts'
import { PRINTER_LANGUAGE_TITLES } from '../../../src/domain/printer-language.ts'
import { SEQUENCE_KINDS, STATUS_KINDS } from '../../../src/domain/status-track.ts'
import { SCAN_OUTCOMES, STATION_MODES } from '../../../src/domain/scan-routing.ts'
import { LABEL_STOCK } from '../../../src/templates/media.ts'

const PAGE_JS = fileURLToPath(new URL('../../../src/server/web/public/js/', import.meta.url))

/** The page scripts, as paths relative to public/js (settings/… included). */
async function pageScripts(): Promise<string[]> {
  const entries = await readdir(PAGE_JS, { recursive: true })
  return entries.filter((p) => p.endsWith('.js')).map((p) => relative(PAGE_JS, join(PAGE_JS, p)))
}

// Copies the pages once kept of the domain's tables: none of them may come back.
const COPIES: [string, RegExp][] = [
  ['a table of record type names or collections', /\bconst\s+(TYPE_NAMES|PLURAL|COLLECTIONS|RECORD_TYPES)\s*=\s*[{[]/],
  ['a record type named in words', /['"](Production order|production-orders)['"]/],
  ['the barcode prefixes as a pattern', /\(\s*\??:?\s*(C|S|INV|PO)\s*\|\s*(C|S|INV|PO)\s*\|/],
  ['a list of job states', /\[\s*'(pending|held|processing|completed|canceled|aborted)'\s*,\s*'(pending|held|processing|completed|canceled|aborted)'/],
  ['a list of status kinds', /'(initial|normal|final|hold|terminal)'\s*\]?\s*,\s*\[?\s*'(initial|normal|final|hold|terminal)'/],
  ['the job reasons', new RegExp(`['"](${Object.values(JOB_REASONS).filter((w) => w.length > 12).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})['"]`)],
]

describe('the vocabulary the pages get from the server', () => {
  let s: TestServer
  let dir: string
  beforeAll(async () => {
    s = await startTestServer('sqlite')
    dir = await mkdtemp(join(tmpdir(), 'page-vocabulary-'))
  })
  afterAll(async () => {
    await s?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  /** Fetches a served module and imports it as the browser would (an ES module). */
  async function served(name: string): Promise<Record<string, unknown>> {
    const res = await s.api(`/assets/js/${name}`, { token: null })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/)
    const file = join(dir, name.replace(/\.js$/, '.mjs'))
    await writeFile(file, await res.text())
    return { ...(await import(/* @vite-ignore */ pathToFileURL(file).href)) }
  }

  it('when vocabulary.js is loaded, then it holds exactly the domain tables', async () => {
    const v = await served('vocabulary.js')
    expect(v).toEqual({
      RECORD_TYPES,
      TYPE_NAMES: RECORD_TYPE_NAMES,
      COLLECTIONS: RECORD_COLLECTIONS,
      BARCODE_PREFIXES: PAYLOAD_PREFIXES,
      BARCODE_PATTERN: PAYLOAD_PATTERN.source,
      JOB_STATES,
      ACTIVE_STATES,
      FINAL_STATES,
      JOB_REASONS,
      STATUS_KINDS,
      SEQUENCE_KINDS,
      STATION_MODES,
      SCAN_OUTCOMES,
      PRINTER_LANGUAGE_TITLES,
    })
  })

  it('when documents.js is loaded, then it holds the documents, their formats and the label stock', async () => {
    expect(await served('documents.js')).toEqual({ FORMATS: DOCUMENT_FORMATS, DOC_NAMES: DOCUMENT_TITLES, LABEL_STOCK })
  })

  it('when a page tests typed text with the served pattern, then it agrees with the server on what a barcode is', async () => {
    const { BARCODE_PATTERN } = await served('vocabulary.js')
    const page = new RegExp(String(BARCODE_PATTERN), 'i')
    for (const text of ['C-000123', 'c123', 'INV-7', 'po-004242', 'S-000000000000001', 'PO-1234567890123']) {
      expect(page.test(text), text).toBe(true)
      expect(() => parsePayload(text), text).not.toThrow()
    }
    for (const text of ['Rivera', 'C-', 'X-12', 'INV 7', 'C-1x']) expect(page.test(text), text).toBe(false)
  })

  it('when the page scripts are read, then none keeps its own copy of a served table', async () => {
    const scripts = await pageScripts()
    expect(scripts).toContain('settings.js')
    const found: string[] = []
    for (const script of scripts) {
      const text = await readFile(join(PAGE_JS, script), 'utf8')
      for (const [what, pattern] of COPIES) if (pattern.test(text)) found.push(`${script}: ${what} (${pattern.exec(text)?.[0]})`)
    }
    expect(found).toEqual([])
  })
})
