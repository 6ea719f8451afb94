/**
 * Judged by the peer's own test suite: CUPS's `ipptool` runs the conformance files Debian ships
 * (ipp-1.1.test, ipp-2.0.test, ipp-everywhere.test — unchanged, see ipptool-suite.ts for the
 * sample documents beside them) against a Studio Print printer of each kind.
 *
 * What ipp-everywhere.test does not reach here: its "Print <sample> @ DPI, TYPE" tests for the
 * resolutions and raster types a printer does not advertise (label printers: 203 dpi, PDF printers:
 * 150 dpi; types black_1, sgray_8, srgb_8) skip by the file's own SKIP-IF-NOT-DEFINED, and the
 * deflate/gzip variants skip because compression is not offered. The route-by-content queue
 * (`_auto`) takes Print-Job only, so it runs ipp-1.1 and ipp-2.0 (IPP Everywhere requires
 * Create-Job).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commandPeer } from '../../support/peers.ts'
import { buildSuite, runIpptool } from './ipptool-suite.ts'
import { startIppHarness, type IppHarness } from './support.ts'

/** The last test of each file (the run got to the end of it). */
const LAST_TEST: Record<string, string> = {
  'ipp-1.1.test': 'Release-Job',
  'ipp-2.0.test': 'PWG 5100.12 section 6.2 - Required Printer Description Attributes',
  'ipp-everywhere.test': 'Print onepage-letter @ 720dpi, srgb-8, gzip',
}

const ready = commandPeer('ipptool', 'cups-ipp-utils') && commandPeer('pdftoppm', 'poppler-utils')

describe.skipIf(!ready)('ipptool conformance suites', () => {
  let h: IppHarness
  const dir = mkdtempSync(join(tmpdir(), 'studio-ipptool-'))
  beforeAll(async () => {
    await buildSuite(dir)
    h = await startIppHarness()
  }, 60_000)
  afterAll(async () => {
    await h?.close()
  })

  const uri = (name: string) => h.url(name).replace('http://', `ipp://frontdesk:${encodeURIComponent(h.token)}@`)

  const cases: Array<[string, string]> = []
  for (const printer of ['label-zpl', 'label-epl', 'office-pdf']) for (const test of ['ipp-1.1.test', 'ipp-2.0.test', 'ipp-everywhere.test']) cases.push([printer, test])
  for (const printer of ['receipt', '_auto']) for (const test of ['ipp-1.1.test', 'ipp-2.0.test']) cases.push([printer, test])

  it.each(cases)('when ipptool runs %s against %s, then every test passes or skips by the file’s own conditions', async (printer, test) => {
    const run = await runIpptool(dir, uri(printer), test, join(dir, 'document-letter.pdf'))
    const context = `${printer} ${test}: ${JSON.stringify(run.counts)}\n${run.failures.join("\n")}\n${run.output.split("\n").filter((l) => !/^\s+[a-z][-a-z0-9]* \(/.test(l)).slice(-60).join("\n")}`
    expect(run.failures, context).toEqual([])
    expect(run.code, context).toBe(0)
    // The run reached the last test of the file, and the basic printing tests passed on the way.
    expect(run.names.at(-1), context).toBe(LAST_TEST[test])
    expect(run.counts.passed, context).toBeGreaterThanOrEqual(25)
    console.info(`ipptool ${test} × ${printer}: ${JSON.stringify(run.counts)}`)
  }, 300_000)
})
