import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { commandPeer } from '../../support/peers.ts'
import { json } from './helpers.ts'

import { modeCardLayout, modeCardPdf } from '../../../src/app/scanning/mode-card-sheet.ts'
import { scanCardsFor } from '../../../src/domain/scan-cards.ts'
import { DEFAULT_TRACK } from '../../../src/domain/status-track.ts'

const peers = commandPeer('pdftoppm', 'poppler-utils') && commandPeer('zbarimg', 'zbar-tools') && commandPeer('pdftotext', 'poppler-utils')

describe('printable mode cards', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer('sqlite')
    await s.api('/api/stations', { method: 'POST', json: { name: 'prod', mode: 'advance' } })
  })
  afterAll(async () => {
    await s?.close()
  })

  it.skipIf(!peers)('when the sheet is read back by pdftotext, then no word of any caption or payload overlaps a barcode', async () => {
    const cards = scanCardsFor(DEFAULT_TRACK.statuses)
    const layout = modeCardLayout('production', cards)
    const dir = mkdtempSync(join(tmpdir(), 'studio-cards-'))
    try {
      writeFileSync(join(dir, 'cards.pdf'), await modeCardPdf('production', cards))
      const xml = execFileSync('pdftotext', ['-bbox', join(dir, 'cards.pdf'), '-'], { encoding: 'utf8' })
      const pages = xml.split('<page ').slice(1)
      expect(pages).toHaveLength(layout.pages.length)
      let words = 0
      pages.forEach((page, n) => {
        const boxes = [...page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((m) => ({ x0: +m[1], y0: +m[2], x1: +m[3], y1: +m[4], text: m[5] }))
        words += boxes.length
        for (const bar of layout.pages[n].nodes.filter((node) => node.type === 'barcode')) {
          const overlapping = boxes.filter((w) => w.x0 < bar.x + bar.width && w.x1 > bar.x && w.y0 < bar.y + bar.height && w.y1 > bar.y)
          expect(overlapping, `words over the barcode ${'payload' in bar ? bar.payload : ''}`).toEqual([])
        }
      })
      expect(words).toBeGreaterThan(cards.length * 3)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('when an unknown format is asked for, then 415', async () => {
    expect(await json(await s.api('/api/stations/prod/mode-cards?format=zpl'))).toMatchObject({ status: 415, code: 'FORMAT_NOT_SUPPORTED' })
  })

  it.skipIf(!peers)('when the PDF sheet is printed and scanned, then every card decodes to its payload and switches the station', async () => {
    const { cards } = await json<{ cards: Array<{ payload: string }> }>(await s.api('/api/stations/prod/mode-cards'))
    const res = await s.api('/api/stations/prod/mode-cards?format=pdf')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('application/pdf')
    const dir = mkdtempSync(join(tmpdir(), 'studio-cards-'))
    try {
      writeFileSync(join(dir, 'cards.pdf'), Buffer.from(await res.arrayBuffer()))
      execFileSync('pdftoppm', ['-r', '200', '-png', join(dir, 'cards.pdf'), join(dir, 'page')])
      const decoded = new Set<string>()
      for (const png of readdirSync(dir).filter((f) => f.endsWith('.png'))) {
        let out = ''
        try {
          out = execFileSync('zbarimg', ['--nodbus', '-q', '--raw', join(dir, png)], { encoding: 'utf8' })
        } catch (err) {
          out = String((err as { stdout?: string }).stdout ?? '')
        }
        for (const line of out.split('\n')) if (line.trim()) decoded.add(line.trim())
      }
      expect([...decoded].sort()).toEqual(cards.map((c) => c.payload).sort())
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
    const scanned = await json(await s.api('/api/stations/prod/scans', { method: 'POST', json: { data: 'TO-FINISHING' } }))
    expect(scanned).toMatchObject({ outcome: 'mode-changed', advanceTo: 'finishing' })
  })
})
