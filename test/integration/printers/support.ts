import { afterAll, beforeAll, beforeEach } from 'vitest'
import pino from 'pino'
import { createPrinterDriver } from '../../../src/drivers/printers/create-printer-driver.ts'
import type { PrinterDriver, PrinterLanguage } from '../../../src/drivers/printers/printer-driver.ts'
import type { RawPrinterDriverOptions } from '../../../src/drivers/printers/raw-printer-driver.ts'
import type { PrinterSim } from '../../../hw-sim/printers/printer-sim.ts'

export const silentLog = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })

/** Both ways to reach a hw-sim printer: a loopback TCP listener and the in-process SimTransport. */
export const VIAS = ['tcp', 'sim'] as const
export type Via = (typeof VIAS)[number]

export async function driverFor(
  sim: PrinterSim,
  via: Via,
  language: PrinterLanguage,
  raw: RawPrinterDriverOptions = { statusTimeoutMs: 300 },
): Promise<PrinterDriver> {
  const uri = via === 'tcp' ? sim.uri : `sim:${sim.name}`
  return createPrinterDriver(
    { name: sim.name, language, uri },
    { log: silentLog, simRegistry: new Map([[sim.name, sim]]), raw, connectTimeoutMs: 1_000, writeTimeoutMs: 2_000 },
  )
}

export const zplLabel = (n: number, copies = 1) =>
  Buffer.from(`^XA^CI28^FO50,50^A0N,40,40^FH^FDLabel ${n}^FS${copies > 1 ? `^PQ${copies}` : ''}^XZ\n`, 'latin1')

export const eplLabel = (n: number) => Buffer.from(`\nN\nq609\nQ203,26\nA50,50,0,3,1,1,N,"Label ${n}"\nP1\n`, 'latin1')

export const receipt = (n: number) =>
  Buffer.concat([Buffer.from(`Receipt ${n}\n\n\n`, 'latin1'), Uint8Array.of(0x1d, 0x56, 0x41, 0x03)])

/** Listens for the whole describe block and starts every test with no faults and nothing printed. */
export function useSim<T extends PrinterSim>(sim: T): T {
  beforeAll(async () => {
    await sim.listen()
  })
  afterAll(async () => {
    await sim.close()
  })
  beforeEach(async () => {
    await sim.clearFaults()
    sim.reset()
  })
  return sim
}
