import { mkdirSync, readdirSync } from 'node:fs'
import { resolve, join } from 'node:path'
import type { Logger } from 'pino'
import type { PrintingService } from '../app/printing/printing-service.ts'
import { insideDir } from '../drivers/transports/printer-uri-policy.ts'
import type { PrinterLanguage } from '../drivers/printers/printer-driver.ts'
import type { PrinterSim } from '../../hw-sim/printers/printer-sim.ts'
import type { SimScanners } from '../app/scanning/scanner-manager.ts'

/*
 * The demo's wiring: the one module of src/ that imports the simulators (hw-sim), lazily, for
 * `npm start`'s demo printers and the `sim:NAME` scanners. The layer check (npm run lint:layers)
 * holds every other module to that.
 */

/**
 * `npm start` only: simulated printers on loopback (hw-sim), registered for this server so that
 * a newcomer can print at once. Their ports change per start, so the demo printers are created
 * once and their URI updated on each start (idempotent). The ZPL, EPL and receipt printers render
 * what they print to PNG under DATA/printed/ (demo-zpl-NNNN.png/.zpl, demo-epl-NNNN.png/.epl,
 * demo-receipt-NNNN.png/.bin); the office printer is a `file:` printer into DATA/printed/office/
 * (SPOOL/office/ when STUDIO_FILE_PRINTER_DIR names another spool folder).
 */
export interface DemoPrinters {
  /** The simulated device behind each demo printer name (the office printer is a folder: none). */
  sims: ReadonlyMap<string, PrinterSim>
  stop(): Promise<void>
}

/**
 * The number after the highest `NAME-NNNN.*` file already in `dir`, so that a restarted demo
 * printer goes on numbering where it left off instead of overwriting its earlier prints.
 */
export function nextFileNumber(dir: string, name: string): number {
  let highest = 0
  for (const file of readdirSync(dir)) {
    if (!file.startsWith(`${name}-`)) continue
    const digits = file.slice(name.length + 1).split('.')[0]
    if (/^\d{4,}$/.test(digits)) highest = Math.max(highest, Number(digits))
  }
  return highest + 1
}

export async function startDemoPrinters(service: PrintingService, dataDir: string, log: Logger): Promise<DemoPrinters> {
  // hw-sim is the project's simulator; src/ imports it only here, for the demo.
  const { ZplPrinterSim, EplPrinterSim, EscPosPrinterSim } = await import('../../hw-sim/printers/index.ts')
  const printed = resolve(dataDir, 'printed')
  // The office printer files into DATA/printed/office, or into SPOOL/office when STUDIO_FILE_PRINTER_DIR names a spool folder elsewhere.
  const spool = service.fileSpoolDir
  const office = join(spool && !insideDir(spool, join(printed, 'office')) ? spool : printed, 'office') + '/'
  mkdirSync(office, { recursive: true, mode: 0o700 })
  const zpl = new ZplPrinterSim('demo-zpl', { renderTo: printed, firstNumber: nextFileNumber(printed, 'demo-zpl') })
  const epl = new EplPrinterSim('demo-epl', { renderTo: printed, firstNumber: nextFileNumber(printed, 'demo-epl') })
  const escpos = new EscPosPrinterSim('demo-receipt', { renderTo: printed, paperWidthMm: 80, firstNumber: nextFileNumber(printed, 'demo-receipt') })
  const sims = [zpl, epl, escpos]
  for (const s of sims) {
    s.on('render-error', (err: unknown) => log.warn({ err, printer: s.name }, 'demo printer could not write its PNG'))
    s.on('render-warning', (w: { file: string; warnings: string[] }) => log.info({ printer: s.name, ...w }, 'demo printer drew only part of a unit'))
  }
  const printers: Array<{ name: string; language: PrinterLanguage; uri: string; media?: { stock: string; dpi: 203 | 300 } }> = []
  const z = await zpl.listen()
  printers.push({ name: 'front-desk-zpl', language: 'zpl', uri: z.uri, media: { stock: '4x6', dpi: 203 } })
  const e = await epl.listen()
  printers.push({ name: 'front-desk-epl', language: 'epl', uri: e.uri, media: { stock: '2.25x1.25', dpi: 203 } })
  const r = await escpos.listen()
  printers.push({ name: 'receipt', language: 'escpos', uri: r.uri })
  printers.push({ name: 'office', language: 'pdf', uri: `file:${office}` })
  for (const p of printers) {
    const existing = await service.printers.find(p.name)
    if (!existing) await service.createPrinter({ ...p, location: service.config.serverId })
    else if (existing.uri !== p.uri || existing.location !== service.config.serverId) await service.updatePrinter(p.name, { uri: p.uri, location: service.config.serverId })
  }
  log.info({ printers: printers.map((p) => `${p.name} ${p.uri}`), printed }, 'demo printers ready')
  return {
    sims: new Map<string, PrinterSim>([
      ['front-desk-zpl', zpl],
      ['front-desk-epl', epl],
      ['receipt', escpos],
    ]),
    async stop() {
      await Promise.all(sims.map((s) => s.close()))
    },
  }
}

/** The in-process simulated scanners that `sim:NAME` scanner URIs reach (demo stations, tests). */
export async function simScanners(): Promise<SimScanners> {
  const { SimScannerRegistry } = await import('../../hw-sim/scanners/sim-scanner-registry.ts')
  return new SimScannerRegistry()
}
