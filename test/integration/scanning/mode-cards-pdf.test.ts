import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { commandPeer } from '../../support/peers.ts'
import { json } from './helpers.ts'

const peers = commandPeer('pdftoppm', 'poppler-utils') && commandPeer('zbarimg', 'zbar-tools')

describe('printable mode cards', () => {
  let s: TestServer
  beforeAll(async () => {
    s = await startTestServer('sqlite')
    await s.api('/api/stations', { method: 'POST', json: { name: 'prod', mode: 'advance' } })
  })
  afterAll(async () => {
    await s?.close()
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
