import { SerialPortMock } from 'serialport'
import type { SerialBinding } from '../../src/drivers/scanners/serial-scanner.ts'
import { garbageBytes, scanBytes, splitBytes, type ScanFormat } from './scan-bytes.ts'

type MockPortBinding = Awaited<ReturnType<typeof SerialPortMock.binding.open>>
type OpenOptions = Parameters<typeof SerialPortMock.binding.open>[0]

/**
 * serialport's `SerialPortMock.binding` (the one registry `serialport` itself uses: importing
 * `@serialport/binding-mock` from ESM would give a second one), wrapped so that a simulated
 * scanner can be unplugged: the mock emits no `close` on its own, so an unplug makes the pending
 * read fail with a non-canceled error — exactly what the real binding does on EIO — and
 * further opens fail until `replug()`.
 *
 * Hand `binding` to `SerialScanner` (or the hub's `serialBinding`) and `device(path)` to the test.
 */
export class MockSerialBus {
  readonly binding: SerialBinding
  private readonly devices = new Map<string, MockSerialScannerSim>()

  constructor() {
    this.binding = {
      list: async () => (await SerialPortMock.binding.list()).filter((p) => this.devices.get(p.path)?.plugged),
      open: async (options: OpenOptions) => {
        const device = this.devices.get(options.path)
        if (!device) throw new Error(`Error: No such file or directory, cannot open ${options.path}`)
        return device.open(options)
      },
    }
  }

  /** A scanner at `path` (plugged in). Paths are global to serialport's mock: make them unique. */
  device(path: string): MockSerialScannerSim {
    let device = this.devices.get(path)
    if (!device) {
      SerialPortMock.binding.createPort(path)
      device = new MockSerialScannerSim(path)
      this.devices.set(path, device)
    }
    return device
  }
}

class SimPortBinding {
  private fail!: (err: Error) => void
  private readonly failed: Promise<never>

  constructor(readonly inner: MockPortBinding) {
    this.failed = new Promise<never>((_, reject) => (this.fail = reject))
    this.failed.catch(() => undefined)
  }
  get openOptions() {
    return this.inner.openOptions
  }
  get isOpen() {
    return this.inner.isOpen
  }
  unplug(): void {
    this.fail(Object.assign(new Error('EIO: i/o error, read (device unplugged)'), { code: 'EIO' }))
  }
  read(buffer: Buffer, offset: number, length: number) {
    return Promise.race([this.inner.read(buffer, offset, length), this.failed])
  }
  write(buffer: Buffer) {
    return Promise.race([this.inner.write(buffer), this.failed])
  }
  close() {
    return this.inner.close()
  }
  update(options: Parameters<MockPortBinding['update']>[0]) {
    return this.inner.update(options)
  }
  set(options: Parameters<MockPortBinding['set']>[0]) {
    return this.inner.set(options)
  }
  get() {
    return this.inner.get()
  }
  getBaudRate() {
    return this.inner.getBaudRate()
  }
  flush() {
    return this.inner.flush()
  }
  drain() {
    return this.inner.drain()
  }
}

/** One simulated serial scanner on the mock binding. */
export class MockSerialScannerSim {
  plugged = true
  private open_: SimPortBinding | null = null

  constructor(readonly path: string) {}

  /** @internal called by MockSerialBus.binding.open */
  async open(options: OpenOptions): Promise<SimPortBinding> {
    if (!this.plugged) throw new Error(`Error: No such file or directory, cannot open ${this.path}`)
    const inner = await SerialPortMock.binding.open(options)
    const port = new SimPortBinding(inner)
    this.open_ = port
    return port
  }

  /** True while a driver holds the port open. */
  get opened(): boolean {
    return this.open_?.isOpen ?? false
  }

  /** Sends raw bytes as one chunk; false when no driver has the port open (the bytes are lost). */
  write(bytes: Uint8Array | string): boolean {
    const port = this.open_
    if (!this.plugged || !port?.isOpen) return false
    port.inner.emitData(Buffer.from(bytes))
    return true
  }

  /** One read, as the scanner sends it, optionally in chunks of the given sizes (split mid-frame). */
  scan(text: string, format: ScanFormat = {}, chunkSizes?: number[]): boolean {
    const bytes = scanBytes(text, format)
    if (!chunkSizes) return this.write(bytes)
    return splitBytes(bytes, chunkSizes).every((c) => this.write(c))
  }

  /** The same code read twice in a row (a presentation scanner re-reading). */
  doubleRead(text: string, format: ScanFormat = {}): boolean {
    return this.scan(text, format) && this.scan(text, format)
  }

  /** Line noise followed by a terminator. */
  garbage(length = 12): boolean {
    return this.write(Buffer.concat([garbageBytes(length), Buffer.from('\r')]))
  }

  unplug(): void {
    this.plugged = false
    this.open_?.unplug()
    this.open_ = null
  }

  replug(): void {
    this.plugged = true
  }
}
