import { readFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPrinterDriver } from '../../../src/drivers/printers/create-printer-driver.ts'
import type { PrinterDriver } from '../../../src/drivers/printers/printer-driver.ts'
import {
  DocumentFormatNotSupportedError,
  PrintJobFailedError,
  PrinterUnreachableError,
  printErrorDisposition,
} from '../../../src/drivers/printers/printer-errors.ts'
import { IppPrinter } from '../../../src/drivers/printers/ipp-printer.ts'
import { ippeveprinterPeer, startIppEvePrinter, type IppEvePrinter } from './ippeveprinter.ts'
import { silentLog } from './support.ts'

/** A small but real PDF (one empty page). */
function tinyPdf(text: string): Buffer {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 432] /Contents 4 0 R /Resources << >> >>',
  ]
  const stream = `BT /F1 12 Tf 20 400 Td (${text}) Tj ET`
  objs.push(`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`)
  let out = '%PDF-1.4\n'
  const offsets: number[] = []
  objs.forEach((o, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

describe.skipIf(!ippeveprinterPeer())('IPP driver against a real ippeveprinter', () => {
  let eve: IppEvePrinter
  let driver: PrinterDriver
  beforeAll(async () => {
    eve = await startIppEvePrinter({ name: 'Studio IPP Test' })
    driver = await createPrinterDriver({ name: 'eve', language: 'pdf', uri: eve.uri }, { log: silentLog, ipp: { pollMs: 50 } })
  })
  afterAll(async () => {
    await eve?.stop()
  })

  it('when probed, then printer-state idle with no error reasons', async () => {
    const st = await driver.probe()
    expect(st).toMatchObject({ state: 'idle', source: 'ipp' })
    expect(st.reasons.filter((r) => r.endsWith('-error'))).toEqual([])
  })

  it('when a PDF is printed, then the job reaches completed and the spooled document is byte-identical', async () => {
    const pdf = tinyPdf('Invoice 2024-0001')
    const before = await eve.spooledDocuments()
    const progress: number[] = []
    const out = await driver.print({ id: 'inv-1', units: [pdf] }, { onProgress: (n) => progress.push(n) })
    expect(out).toMatchObject({ jobId: 'inv-1', sentUnits: 1, confirmed: true })
    expect(out.ippJobId).toBeGreaterThan(0)
    expect(progress).toEqual([1])
    const added = (await eve.spooledDocuments()).filter((f) => !before.includes(f))
    expect(added).toHaveLength(1)
    expect(await readFile(added[0])).toEqual(pdf)
  })

  it('when two documents and startAt 1, then only the second is sent', async () => {
    const before = await eve.spooledDocuments()
    const docs = [tinyPdf('one'), tinyPdf('two')]
    const out = await driver.print({ id: 'inv-2', units: docs, startAt: 1 })
    expect(out.sentUnits).toBe(2)
    const added = (await eve.spooledDocuments()).filter((f) => !before.includes(f))
    expect(added).toHaveLength(1)
    expect(await readFile(added[0])).toEqual(docs[1])
  })

  it.each(['application/zpl', 'text/plain'])('when the format is %s (not listed), then DOCUMENT_FORMAT_NOT_SUPPORTED and the queue aborts', async (format) => {
    const err = await driver.print({ id: 'bad', units: [Buffer.from('^XA^XZ')], documentFormat: format }).catch((e) => e)
    expect(err).toBeInstanceOf(DocumentFormatNotSupportedError)
    expect(err).toMatchObject({ code: 'DOCUMENT_FORMAT_NOT_SUPPORTED', kind: 'unsupported' })
    expect(err.message).toContain('application/pdf')
    const d = printErrorDisposition(err)
    expect(d.action).toBe('abort')
    expect((d as { reason: string }).reason).toContain(format)
  })

  it('when the printer is gone, then probe says offline and print is retryable', async () => {
    const gone = new IppPrinter('gone', { kind: 'ipp', uri: 'ipp://localhost:9/ipp/print', secure: false, host: 'localhost', port: 9, path: '/ipp/print' }, silentLog)
    expect(await gone.probe()).toMatchObject({ state: 'offline', reasons: ['offline-report'] })
    const err = await gone.print({ id: 'x', units: [tinyPdf('x')] }).catch((e) => e)
    expect(err).toBeInstanceOf(PrinterUnreachableError)
    expect(printErrorDisposition(err)).toMatchObject({ action: 'retry', resumeAt: 0 })
  })

  it('when the ipp package parses answers, then nothing is written to the console', async () => {
    const logs: unknown[] = []
    const orig = console.log
    console.log = (...a: unknown[]) => void logs.push(a)
    try {
      await driver.probe()
      await driver.print({ id: 'quiet', units: [tinyPdf('q')] })
    } finally {
      console.log = orig
    }
    expect(logs).toEqual([])
  })
})

describe.skipIf(!ippeveprinterPeer())('IPP driver against an ippeveprinter whose jobs fail', () => {
  let eve: IppEvePrinter
  beforeAll(async () => {
    eve = await startIppEvePrinter({ name: 'Studio Failing', command: '/bin/false' })
  })
  afterAll(async () => {
    await eve?.stop()
  })

  it('when the printer aborts the job, then PrintJobFailedError (aborted) and the queue aborts with the reasons', async () => {
    const driver = await createPrinterDriver({ name: 'eve-bad', language: 'pdf', uri: eve.uri }, { log: silentLog, ipp: { pollMs: 50 } })
    const err = await driver.print({ id: 'doomed', units: [tinyPdf('x')] }).catch((e) => e)
    expect(err).toBeInstanceOf(PrintJobFailedError)
    expect(err).toMatchObject({ code: 'PRINT_JOB_ABORTED', jobState: 'aborted' })
    expect(printErrorDisposition(err)).toMatchObject({ action: 'abort' })
  })
})

describe('IPP version fallback', () => {
  it('when the printer answers server-error-version-not-supported to 2.0, then the driver retries in 1.1', async () => {
    const http = await import('node:http')
    const ipp = (await import('ipp')).default
    const seen: string[] = []
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c) => chunks.push(c))
      req.on('end', () => {
        const body = Buffer.concat(chunks)
        const version = `${body[0]}.${body[1]}`
        seen.push(version)
        const answer =
          version === '2.0'
            ? { version: '1.1', statusCode: 'server-error-version-not-supported', id: body.readUInt32BE(4), 'operation-attributes-tag': { 'attributes-charset': 'utf-8', 'attributes-natural-language': 'en' } }
            : {
                version: '1.1',
                statusCode: 'successful-ok',
                id: body.readUInt32BE(4),
                'operation-attributes-tag': { 'attributes-charset': 'utf-8', 'attributes-natural-language': 'en' },
                'printer-attributes-tag': { 'printer-state': 'idle', 'printer-state-reasons': 'media-low-warning', 'document-format-supported': ['application/pdf'] },
              }
        res.writeHead(200, { 'Content-Type': 'application/ipp' })
        res.end(ipp.serialize(answer as never))
      })
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    const port = (server.address() as import('node:net').AddressInfo).port
    try {
      const driver = new IppPrinter('old', { kind: 'ipp', uri: `ipp://127.0.0.1:${port}/ipp/print`, secure: false, host: '127.0.0.1', port, path: '/ipp/print' }, silentLog)
      expect(await driver.probe()).toEqual({ state: 'idle', reasons: ['media-low-warning'], source: 'ipp' })
      expect(driver.ippVersion).toBe('1.1')
      expect(seen).toEqual(['2.0', '1.1'])
    } finally {
      server.close()
    }
  })
})
