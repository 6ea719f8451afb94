import { constants, open, type FileHandle } from 'node:fs/promises'
import { startPtyPair, type PtyPair, type PtyPairOptions } from './pty-pair.ts'
import { garbageBytes, scanBytes, splitBytes, type ScanFormat } from './scan-bytes.ts'

/**
 * A serial scanner on a real pty pair (socat). The driver opens `path` (the pair's `a` link);
 * this writes what a scanner would into `b`. `unplug()` stops socat (the driver sees the port
 * close with `disconnected: true`), `replug()` starts it again at the same link path.
 */
export class PtySerialScannerSim {
  private handle: FileHandle | null = null

  private constructor(readonly pair: PtyPair) {}

  static async start(options: PtyPairOptions = {}): Promise<PtySerialScannerSim> {
    return new PtySerialScannerSim(await startPtyPair(options))
  }

  /** The path a driver opens, e.g. `serial:${sim.path}?baud=9600`. */
  get path(): string {
    return this.pair.a
  }

  get plugged(): boolean {
    return this.pair.running
  }

  async write(bytes: Uint8Array | string): Promise<void> {
    if (!this.pair.running) throw new Error('the simulated scanner is unplugged')
    this.handle ??= await open(this.pair.b, constants.O_RDWR | constants.O_NOCTTY)
    await this.handle.write(typeof bytes === 'string' ? Buffer.from(bytes) : bytes)
  }

  /** One read; with `chunkSizes`, written in pieces `gapMs` apart (split mid-frame). */
  async scan(text: string, format: ScanFormat = {}, chunkSizes?: number[], gapMs = 5): Promise<void> {
    const bytes = scanBytes(text, format)
    if (!chunkSizes) return this.write(bytes)
    for (const chunk of splitBytes(bytes, chunkSizes)) {
      await this.write(chunk)
      await new Promise((r) => setTimeout(r, gapMs))
    }
  }

  async doubleRead(text: string, format: ScanFormat = {}): Promise<void> {
    await this.scan(text, format)
    await this.scan(text, format)
  }

  async garbage(length = 12): Promise<void> {
    await this.write(Buffer.concat([garbageBytes(length), Buffer.from('\r')]))
  }

  async unplug(): Promise<void> {
    await this.closeHandle()
    await this.pair.stop()
  }

  async replug(): Promise<void> {
    await this.pair.start()
  }

  async dispose(): Promise<void> {
    await this.closeHandle()
    await this.pair.dispose()
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle
    this.handle = null
    await handle?.close().catch(() => undefined)
  }
}
