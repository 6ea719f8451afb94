/**
 * Walks the printer language table: a language added to PRINTER_LANGUAGES with only some of its
 * parts (descriptor, compiler, driver, document formats, API lists, simulator) fails here.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DOCUMENT_FORMATS, OUTPUT_FORMATS } from '../../../src/domain/documents.ts'
import {
  isPrinterLanguage,
  jobContentType,
  LABEL_LANGUAGES,
  languageUriProblem,
  PRINTER_LANGUAGE_DESCRIPTORS,
  PRINTER_LANGUAGES,
  PRINTER_URI_KINDS,
  printerLanguage,
  STATUS_PROTOCOLS,
  type PrinterLanguage,
} from '../../../src/domain/printer-language.ts'
import { CONTENT_TYPES, LAYOUT_COMPILERS } from '../../../src/templates/compilers/layout-compilers.ts'
import { createPrinterDriver } from '../../../src/drivers/printers/create-printer-driver.ts'
import { validatePrinterConfig } from '../../../src/app/printing/printing-service.ts'
import { formatsFor } from '../../../src/app/printing/convert-document.ts'
import { buildOpenApiDocument } from '../../../src/server/openapi/openapi-document.ts'
import { EplPrinterSim, EscPosPrinterSim, PrinterSim, ZplPrinterSim } from '../../../hw-sim/printers/index.ts'

const log = pino({ level: 'silent' })

/**
 * The hw-sim printer that speaks each language. PDF printers are simulated by a file: folder
 * and by ippeveprinter (test/integration/printers/ippeveprinter.ts), not by a hw-sim device.
 */
const SIMS: Record<PrinterLanguage, (new (name?: string) => PrinterSim) | 'file-and-ippeveprinter'> = {
  zpl: ZplPrinterSim,
  epl: EplPrinterSim,
  escpos: EscPosPrinterSim,
  pdf: 'file-and-ippeveprinter',
}

describe('the printer language table', () => {
  it('when the table is read, then it has one descriptor per language, keyed by it', () => {
    expect(Object.keys(PRINTER_LANGUAGE_DESCRIPTORS).sort()).toEqual([...PRINTER_LANGUAGES].sort())
    for (const language of PRINTER_LANGUAGES) expect(printerLanguage(language).language).toBe(language)
    expect(Object.keys(SIMS).sort()).toEqual([...PRINTER_LANGUAGES].sort())
    for (const sim of Object.values(SIMS)) if (sim !== 'file-and-ippeveprinter') expect(sim.prototype).toBeInstanceOf(PrinterSim)
  })

  describe.each(PRINTER_LANGUAGES)('%s', (language) => {
    const d = printerLanguage(language)

    it('when its descriptor is read, then it names an output format with a compiler, a content type and a file extension', () => {
      expect(OUTPUT_FORMATS).toContain(d.format)
      expect(LAYOUT_COMPILERS[d.format].format).toBe(d.format)
      expect(CONTENT_TYPES[d.format]).toBe(d.contentType)
      expect(jobContentType(language)).toMatch(/^[a-z]+\/[a-z0-9.+-]+$/)
      expect(d.fileExtension).toMatch(/^[a-z0-9]{1,8}$/)
      expect(STATUS_PROTOCOLS).toContain(d.statusProtocol)
    })

    it('when its URI kinds are read, then they are known kinds, copies as a job attribute only over its own, and a sim: URI among them', () => {
      expect(d.uriKinds.length).toBeGreaterThan(0)
      for (const kind of d.uriKinds) expect(PRINTER_URI_KINDS).toContain(kind)
      for (const kind of d.copiesAsJobAttributeOver) expect(d.uriKinds).toContain(kind)
      expect(d.uriKinds).toContain('sim')
      for (const kind of PRINTER_URI_KINDS) expect(languageUriProblem(language, kind) === null).toBe(d.uriKinds.includes(kind))
    })

    it('when it prints labels or receipts, then its compiler draws page images and its documents are listed; raw IPP documents split', () => {
      const compiler = LAYOUT_COMPILERS[d.format]
      if (d.printout !== 'document') expect(compiler.raster).toBeTypeOf('function')
      if (d.printout === 'label') for (const doc of ['client-label', 'order-label'] as const) expect(DOCUMENT_FORMATS[doc]).toContain(d.format)
      if (d.printout === 'receipt') expect(DOCUMENT_FORMATS.invoice).toContain(d.format)
      if (d.printout === 'document') expect(compiler.documents).toBe('pages')
      if (d.ippRawFormat) {
        expect(compiler.splitLabels).toBeTypeOf('function')
        expect(d.ippRawFormat.mimeType).toMatch(/^application\/vnd\./)
        expect(formatsFor(language)).toContain(d.ippRawFormat.mimeType)
      }
    })

    it('when the API is given it, then validatePrinterConfig accepts it with a sim: URI', () => {
      expect(validatePrinterConfig(language, 'sim:x')).toBe(language)
    })
  })

  describe('drivers', () => {
    let dir: string
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'languages-'))
    })
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true })
    })

    it.each(PRINTER_LANGUAGES)('when a %s printer prints into a file: folder, then its driver says its language and the file has its extension', async (language) => {
      const out = join(dir, language)
      await mkdir(out)
      const driver = await createPrinterDriver({ name: `p-${language}`, language, uri: `file:${out}/` }, { log, fileSpoolDir: dir })
      try {
        expect(driver.language).toBe(language)
        await driver.print({ id: 'j1', units: [new TextEncoder().encode('x')] })
        const files = await readdir(out)
        expect(files.length).toBeGreaterThan(0)
        expect(files.every((f) => f.endsWith(`.${printerLanguage(language).fileExtension}`))).toBe(true)
      } finally {
        await driver.close()
      }
    })

    it.each(PRINTER_LANGUAGES.filter((l) => printerLanguage(l).uriKinds.includes('ipp')))('when a %s printer has an ipp: URI, then it gets the IPP driver', async (language) => {
      const driver = await createPrinterDriver({ name: 'ipp', language, uri: 'ipp://127.0.0.1:1/ipp/print' }, { log })
      expect(driver.constructor.name).toBe('IppPrinter')
      await driver.close()
    })
  })

  it('when a language is unknown, then the API says the valid ones, which are the table', () => {
    expect(isPrinterLanguage('postscript')).toBe(false)
    try {
      validatePrinterConfig('postscript', 'sim:x')
      expect.unreachable()
    } catch (err) {
      expect((err as { code: string; details: { valid: string[] } }).code).toBe('PRINTER_LANGUAGE_UNKNOWN')
      expect((err as { details: { valid: string[] } }).details.valid).toEqual([...PRINTER_LANGUAGES])
    }
  })

  it('when the OpenAPI document is built, then its printer language enum is the table and its document formats are every output format', () => {
    type Schema = { properties: Record<string, { enum?: string[] }> }
    const doc = buildOpenApiDocument('test') as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: Schema }> }; parameters: unknown }>> }
    const create = doc.paths['/api/printers'].post.requestBody.content['application/json'].schema
    expect(create.properties.language.enum).toEqual([...PRINTER_LANGUAGES])
    const format = (doc.paths['/api/documents/{document}/{recordId}'].get.parameters as Array<{ name: string; schema: { enum: string[] } }>).find((p) => p.name === 'format')!
    expect(format.schema.enum).toEqual([...OUTPUT_FORMATS])
    for (const language of PRINTER_LANGUAGES) expect(OUTPUT_FORMATS).toContain(printerLanguage(language).format)
  })

  it('when the label languages are read, then they are the languages printing labels, each a format labels print in', () => {
    expect(LABEL_LANGUAGES).toEqual(PRINTER_LANGUAGES.filter((l) => printerLanguage(l).printout === 'label'))
  })
})
