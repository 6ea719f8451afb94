import { constants, open } from 'node:fs/promises'
import { performance } from 'node:perf_hooks'
import { SerialPort } from 'serialport'
import { ScannerHub } from '../src/drivers/scanners/scanner-hub.ts'
import { pino } from 'pino'
import { ScanFramer } from '../src/drivers/scanners/scan-framer.ts'
import { decodeScan } from '../src/drivers/scanners/scan-decoder.ts'
import type { ScanEvent } from '../src/drivers/scanners/scanner.ts'
import { startPtyPair } from '../hw-sim/scanners/pty-pair.ts'
import { summarize, type BenchRow } from './report.ts'

const SAMPLES = 300
const WARMUP = 20
const SCAN = Buffer.from(']C0PO-000123\r')

/**
 * Scanning drivers: bytes written into a socat pty → scan event out of the ScannerHub (framer,
 * decoder, events), beside a bare serialport read of the same bytes on the same pty (baseline:
 * what the OS and serialport cost on their own). Plus framing+decoding throughput in memory.
 */
export async function bench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = []
  let pair: Awaited<ReturnType<typeof startPtyPair>>
  try {
    pair = await startPtyPair()
  } catch (err) {
    // socat missing (apt-get install socat): the pty figures cannot be taken.
    rows.push({ group: 'scanning', name: `pty bytes → hub scan event (not measured: ${(err as Error).message})`, value: Number.NaN, unit: 'ms', met: false })
    rows.push(await framingThroughput())
    return rows
  }
  const device = await open(pair.b, constants.O_RDWR | constants.O_NOCTTY)
  try {
    // Baseline: bare SerialPort, time until the terminator byte has been read.
    const bare = new SerialPort({ path: pair.a, baudRate: 115200, autoOpen: false })
    await new Promise<void>((resolve, reject) => bare.open((err) => (err ? reject(err) : resolve())))
    let waiting: (() => void) | null = null
    bare.on('data', (chunk: Buffer) => {
      if (chunk.includes(0x0d)) waiting?.()
    })
    const bareMs = await measure(async () => {
      const got = new Promise<void>((resolve) => (waiting = resolve))
      const t0 = performance.now()
      await device.write(SCAN)
      await got
      return performance.now() - t0
    })
    await new Promise<void>((resolve) => bare.close(() => resolve()))

    // The hub on the same pty.
    const hub = new ScannerHub({ log: pino({ level: 'silent' }) })
    await hub.add({ name: 'bench', uri: `serial:${pair.a}?baud=115200` })
    let onScan: ((e: ScanEvent) => void) | null = null
    hub.on('scan', (e) => onScan?.(e))
    const hubMs = await measure(async () => {
      const got = new Promise<ScanEvent>((resolve) => (onScan = resolve))
      const t0 = performance.now()
      await device.write(SCAN)
      const event = await got
      if (event.data !== 'PO-000123') throw new Error(`bench read ${event.data}`)
      return performance.now() - t0
    })
    await hub.close()

    const b = summarize(bareMs)
    const h = summarize(hubMs)
    rows.push(
      { group: 'scanning', name: 'pty bytes → bare serialport read, p50', value: b.p50, unit: 'ms' },
      { group: 'scanning', name: 'pty bytes → bare serialport read, p99', value: b.p99, unit: 'ms' },
      { group: 'scanning', name: 'pty bytes → hub scan event, p50', value: h.p50, unit: 'ms', baseline: { name: 'bare serialport p50', value: b.p50 }, goal: '<= bare + 1 ms', met: h.p50 <= b.p50 + 1 },
      { group: 'scanning', name: 'pty bytes → hub scan event, p99', value: h.p99, unit: 'ms', baseline: { name: 'bare serialport p99', value: b.p99 }, goal: 'p99 <= 20 ms', met: h.p99 <= 20 },
    )
  } finally {
    await device.close()
    await pair.dispose()
  }
  rows.push(await framingThroughput())
  return rows
}

async function measure(once: () => Promise<number>): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < WARMUP + SAMPLES; i++) {
    const ms = await once()
    if (i >= WARMUP) samples.push(ms)
    await new Promise((r) => setTimeout(r, 1)) // one scan at a time, as a person scans
  }
  return samples
}

/** Frames per second through ScanFramer + decodeScan, chunks of 7 bytes (split mid-frame). */
async function framingThroughput(): Promise<BenchRow> {
  const count = 50_000
  const all = Buffer.concat(Array.from({ length: count }, () => SCAN))
  const framer = new ScanFramer()
  let decoded = 0
  framer.on('data', (frame) => {
    if (decodeScan(frame).ok) decoded++
  })
  const done = new Promise((resolve) => framer.on('end', resolve))
  const t0 = performance.now()
  for (let i = 0; i < all.length; i += 7) framer.write(all.subarray(i, i + 7))
  framer.end()
  await done
  const seconds = (performance.now() - t0) / 1000
  if (decoded !== count) throw new Error(`decoded ${decoded} of ${count}`)
  return { group: 'scanning', name: 'framer + decoder throughput (7-byte chunks)', value: count / seconds, unit: 'scans/s', goal: '>= 10000 scans/s', met: count / seconds >= 10_000 }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { formatRows } = await import('./report.ts')
  console.log(formatRows(await bench()))
}
