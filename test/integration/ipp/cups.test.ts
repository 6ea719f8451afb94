/**
 * CUPS as the client: a private cupsd makes a driverless queue for a Studio Print printer the
 * way a studio's Linux or Mac does (`lpadmin -m everywhere`: CUPS builds its PPD from our
 * Get-Printer-Attributes), then `lp` prints a PDF through it; the label reaches the simulated ZPL
 * printer and its barcode decodes. -m everywhere asks for the attributes without credentials,
 * so this server runs with STUDIO_IPP_PUBLIC_ATTRIBUTES=1; the job itself signs in with the
 * user name and token in the device URI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peer, commandPeer } from '../../support/peers.ts'
import { CUPS_PRESENT, startPrivateCups, type PrivateCups } from '../../support/cupsd.ts'
import { previewZpl } from '../../../src/templates/index.ts'
import { eventually } from '../../support/poll.ts'
import { startIppHarness, type IppHarness } from './support.ts'
import { ipp } from '../../support/ipp-client.ts'
import { OPERATIONS, STATUS } from '../../../src/server/ipp/ipp-constants.ts'

const ready = peer('cupsd', CUPS_PRESENT, 'apt-get install cups cups-client') && commandPeer('zbarimg', 'zbar-tools') && commandPeer('pdftoppm', 'poppler-utils')

describe.skipIf(!ready)('CUPS printing to a Studio Print IPP printer', () => {
  let h: IppHarness
  let cups: PrivateCups
  const before = process.env.STUDIO_IPP_PUBLIC_ATTRIBUTES
  beforeAll(async () => {
    process.env.STUDIO_IPP_PUBLIC_ATTRIBUTES = '1'
    h = await startIppHarness()
    cups = (await startPrivateCups())!
  }, 60_000)
  afterAll(async () => {
    if (before === undefined) delete process.env.STUDIO_IPP_PUBLIC_ATTRIBUTES
    else process.env.STUDIO_IPP_PUBLIC_ATTRIBUTES = before
    await cups?.stop()
    await h?.close()
  })

  it('when lpadmin -m everywhere adds the printer and lp prints a label PDF, then the label prints at the ZPL printer and its barcode decodes', async () => {
    const device = h.url('label-zpl').replace('http://', `ipp://frontdesk:${encodeURIComponent(h.token)}@`)
    await cups.cmd('lpadmin', ['-p', 'studio-zpl', '-E', '-v', device, '-m', 'everywhere'])
    // cupsd builds the PPD from our attributes; our label stock is among its page sizes.
    const ppd = join(cups.dir, 'ppd', 'studio-zpl.ppd')
    await eventually(() => existsSync(ppd), 20_000, 'the everywhere PPD')
    expect(readFileSync(ppd, 'utf8')).toMatch(/^\*DefaultPageSize: 4x6$/m)

    const client = (await (await h.s.api('/api/clients', { method: 'POST', json: { lastName: 'Cups', firstName: 'Ada' } })).json()) as { id: number; barcode: string }
    const dir = mkdtempSync(join(tmpdir(), 'studio-cups-job-'))
    writeFileSync(join(dir, 'label.pdf'), Buffer.from(await (await h.s.api(`/api/documents/client-label/${client.id}?format=pdf&media=4x6`)).arrayBuffer()))
    const arrived = h.zpl.printed.length
    await cups.cmd('lp', ['-d', 'studio-zpl', '-o', 'media=na_index-4x6_4x6in', join(dir, 'label.pdf')])
    await eventually(() => h.zpl.printed.length > arrived, 60_000, 'the label at the printer')
    const zpl = h.zpl.printed[arrived].data.toString('latin1')
    expect(zpl).toMatch(/\^GFA,/)
    writeFileSync(join(dir, 'label.png'), await previewZpl(zpl, { dpmm: 8, widthIn: 4, heightIn: 6 }))
    expect(execFileSync('zbarimg', ['--nodbus', '-q', '--raw', join(dir, 'label.png')], { encoding: 'utf8' }).trim()).toBe(client.barcode)
    // Only the printer's description is public: a job without credentials is still refused.
    expect((await ipp(h.url('label-zpl'), OPERATIONS['Get-Printer-Attributes'], { auth: null })).message?.code).toBe(STATUS.ok)
    expect((await ipp(h.url('label-zpl'), OPERATIONS['Print-Job'], { auth: null, data: Buffer.from('%PDF-1.4') })).http).toBe(401)
    expect((await ipp(h.url('label-zpl'), OPERATIONS['Get-Jobs'], { auth: null })).http).toBe(401)
    // The job is in Studio Print's queue, owned by the URI's user.
    const jobs = (await (await h.s.api('/api/print-jobs?order=newest&limit=1')).json()) as { items: Array<{ createdBy: string; document: string }> }
    expect(jobs.items[0]).toMatchObject({ createdBy: 'ipp:frontdesk', document: 'ipp-document' })
  }, 120_000)
})
