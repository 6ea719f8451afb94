import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect } from 'vitest'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { fastPrintingEnv } from '../printing/support.ts'
import { EplPrinterSim, EscPosPrinterSim, ZplPrinterSim } from '../../../hw-sim/printers/index.ts'

/** A server with one printer of each kind: ZPL and EPL label printers and an ESC/POS receipt printer (hw-sim on loopback), and a PDF printer that files each job in `pdfDir`. */
export interface IppHarness {
  s: TestServer
  zpl: ZplPrinterSim
  epl: EplPrinterSim
  escpos: EscPosPrinterSim
  pdfDir: string
  /** A client-role API token (the Basic password). */
  token: string
  /** http://127.0.0.1:PORT/ipp/print/NAME */
  url(name: string): string
  close(): Promise<void>
}

export async function startIppHarness(): Promise<IppHarness> {
  fastPrintingEnv()
  const s = await startTestServer('sqlite')
  const zpl = new ZplPrinterSim('label-zpl')
  const epl = new EplPrinterSim('label-epl')
  const escpos = new EscPosPrinterSim('receipt')
  await Promise.all([zpl.listen(), epl.listen(), escpos.listen()])
  const pdfDir = mkdtempSync(join(tmpdir(), 'studio-ipp-pdf-'))
  const add = async (body: Record<string, unknown>) => {
    const res = await s.api('/api/printers', { method: 'POST', json: body })
    expect(res.status, await res.clone().text()).toBe(201)
  }
  await add({ name: 'label-zpl', language: 'zpl', uri: zpl.uri, media: { stock: '4x6', dpi: 203 } })
  await add({ name: 'label-epl', language: 'epl', uri: epl.uri, media: { stock: '4x6', dpi: 203 } })
  await add({ name: 'receipt', language: 'escpos', uri: escpos.uri })
  await add({ name: 'office-pdf', language: 'pdf', uri: `file:${pdfDir}/` })
  const res = await s.api('/api/tokens', { method: 'POST', json: { role: 'client', label: 'reception pc' } })
  expect(res.status).toBe(201)
  const { token } = (await res.json()) as { token: string }
  return {
    s,
    zpl,
    epl,
    escpos,
    pdfDir,
    token,
    url: (name) => `${s.url}/ipp/print/${name}`,
    close: async () => {
      await s.close()
      await Promise.all([zpl.close(), epl.close(), escpos.close()])
    },
  }
}
