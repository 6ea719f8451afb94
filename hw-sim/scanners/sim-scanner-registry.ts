import { PassThrough, type Readable } from 'node:stream'
import type { SimScannerDirectory } from '../../src/drivers/scanners/sim-scanner.ts'
import { garbageBytes, scanBytes, splitBytes, type ScanFormat } from './scan-bytes.ts'

/**
 * In-process simulated scanners, by name. Hand the registry to `ScannerHub` (`sim` option) and
 * `sim:NAME` connects to `registry.create(NAME)`. Bytes go through the same framer and decoder
 * as a serial scanner's.
 */
export class SimScannerRegistry implements SimScannerDirectory {
  private readonly scanners = new Map<string, InProcessScannerSim>()

  /** A new plugged-in scanner (or the existing one of that name). */
  create(name: string, format: ScanFormat = {}): InProcessScannerSim {
    let sim = this.scanners.get(name)
    if (!sim) {
      sim = new InProcessScannerSim(name, format)
      this.scanners.set(name, sim)
    }
    return sim
  }

  get(name: string): InProcessScannerSim | undefined {
    return this.scanners.get(name)
  }

  names(): string[] {
    return [...this.scanners.keys()]
  }

  connect(name: string): Readable | null {
    return this.scanners.get(name)?.attach() ?? null
  }
}

export class InProcessScannerSim {
  plugged = true
  private line: PassThrough | null = null

  constructor(
    readonly name: string,
    /** How `scan()` dresses data unless told otherwise (AIM id, prefix, suffix, terminator). */
    readonly format: ScanFormat = {},
  ) {}

  /** True while a driver is connected. */
  get connected(): boolean {
    return this.line !== null && !this.line.destroyed
  }

  /** @internal the driver's end; one connection at a time. */
  attach(): Readable | null {
    if (!this.plugged) return null
    this.line?.end()
    const line = new PassThrough()
    line.on('close', () => {
      if (this.line === line) this.line = null
    })
    this.line = line
    return line
  }

  /** Raw bytes as one chunk; false when no driver is connected (the bytes are lost, as on a wire). */
  write(bytes: Uint8Array | string): boolean {
    const line = this.line
    if (!this.plugged || !line || line.destroyed || line.writableEnded) return false
    line.write(typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes))
    return true
  }

  /** One read; with `chunkSizes`, delivered in pieces (split mid-frame). */
  scan(text: string, format: ScanFormat = this.format, chunkSizes?: number[]): boolean {
    const bytes = scanBytes(text, format)
    if (!chunkSizes) return this.write(bytes)
    return splitBytes(bytes, chunkSizes).every((chunk) => this.write(chunk))
  }

  doubleRead(text: string, format: ScanFormat = this.format): boolean {
    return this.scan(text, format) && this.scan(text, format)
  }

  garbage(length = 12): boolean {
    return this.write(Buffer.concat([garbageBytes(length), Buffer.from('\r')]))
  }

  unplug(): void {
    this.plugged = false
    const line = this.line
    this.line = null
    line?.end()
  }

  replug(): void {
    this.plugged = true
  }
}
