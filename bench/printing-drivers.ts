import net from 'node:net'
import pino from 'pino'
import { ZplPrinterSim } from '../hw-sim/printers/zpl-printer-sim.ts'
import { TcpTransport } from '../src/drivers/transports/tcp-transport.ts'
import { ZplPrinter } from '../src/drivers/printers/zpl-printer.ts'
import { summarize, type BenchRow } from './report.ts'

const LABEL = Buffer.from('^XA^CI28^FO50,50^A0N,40,40^FH^FDBench label 0001^FS^FO50,120^BCN,80,Y,N,N^FD0001^FS^XZ\n', 'latin1')
const WARMUP = 50
const SAMPLES = 500

/** Time from write until the simulator has parsed the label, per label, on one open connection. */
async function timeLabels(sim: ZplPrinterSim, send: (b: Buffer) => Promise<void> | void, n: number): Promise<number[]> {
  const out: number[] = []
  for (let i = 0; i < n; i++) {
    const parsed = new Promise<void>((r) => sim.once('unit', () => r()))
    const t0 = performance.now()
    await send(LABEL)
    await parsed
    out.push(performance.now() - t0)
  }
  return out
}

/**
 * One ZPL label over loopback to the hw-sim 9100 printer: TcpTransport.write vs a bare
 * net.Socket write (the baseline), until the simulator has parsed the label; and a whole
 * ZplPrinter.print() of one label (connect, ~HS, label, ~HS, close) — the floor for the
 * end-to-end figure.
 */
export async function bench(): Promise<BenchRow[]> {
  const sim = new ZplPrinterSim('bench-zebra')
  await sim.listen()
  try {
    const socket = net.createConnection({ host: '127.0.0.1', port: sim.port, noDelay: true })
    await new Promise<void>((r) => socket.once('connect', () => r()))
    const bare = (b: Buffer) => void socket.write(b)
    await timeLabels(sim, bare, WARMUP)
    const bareMs = summarize(await timeLabels(sim, bare, SAMPLES))
    socket.destroy()

    const t = new TcpTransport(sim.uri, '127.0.0.1', sim.port)
    await t.open()
    const viaTransport = (b: Buffer) => t.write(b)
    await timeLabels(sim, viaTransport, WARMUP)
    const transportMs = summarize(await timeLabels(sim, viaTransport, SAMPLES))
    await t.close()

    const driver = new ZplPrinter('bench-zebra', new TcpTransport(sim.uri, '127.0.0.1', sim.port), pino({ level: 'silent' }))
    const jobMs: number[] = []
    for (let i = 0; i < 200 + 20; i++) {
      const t0 = performance.now()
      await driver.print({ id: `b${i}`, units: [LABEL] })
      if (i >= 20) jobMs.push(performance.now() - t0)
    }
    const job = summarize(jobMs)

    return [
      { group: 'printing', name: 'ZPL label via TcpTransport → sim parsed, p50', value: transportMs.p50, unit: 'ms', baseline: { name: 'bare net.Socket p50', value: bareMs.p50 }, goal: '<= 1.5x baseline', met: transportMs.p50 <= 1.5 * bareMs.p50 },
      { group: 'printing', name: 'ZPL label via TcpTransport → sim parsed, p99', value: transportMs.p99, unit: 'ms', baseline: { name: 'bare net.Socket p99', value: bareMs.p99 }, goal: '<= 2x baseline', met: transportMs.p99 <= 2 * bareMs.p99 },
      { group: 'printing', name: 'ZplPrinter.print() one label (connect, ~HS, label, ~HS confirm, close), p50', value: job.p50, unit: 'ms' },
      { group: 'printing', name: 'ZplPrinter.print() one label, p99', value: job.p99, unit: 'ms', goal: 'p99 <= 20 ms on loopback', met: job.p99 <= 20 },
    ]
  } finally {
    await sim.close()
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatRows } = await import('./report.ts')
  console.log(formatRows(await bench()))
}
