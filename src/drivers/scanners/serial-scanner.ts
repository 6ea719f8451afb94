import { SerialPort, type SerialPortMock } from 'serialport'
import { AppError } from '../../domain/errors.ts'
import { ReconnectingScanner, type ScannerCommonOptions } from './reconnecting-scanner.ts'
import { ScanFramer, type FramingOptions, type RawFrame } from './scan-framer.ts'

type MockBinding = typeof SerialPortMock.binding
type MockPortBinding = Awaited<ReturnType<MockBinding['open']>>

/** The slice of serialport's `BindingPortInterface` a port handle provides. */
export type SerialPortBinding = Pick<MockPortBinding, 'openOptions' | 'isOpen' | 'close' | 'read' | 'write' | 'update' | 'set' | 'get' | 'getBaudRate' | 'flush' | 'drain'>

/**
 * A serialport binding (serialport's `BindingInterface`, restated here because its package's
 * types do not resolve from ESM): `SerialPort.binding` (the real one, default),
 * `SerialPortMock.binding`, or hw-sim's `MockSerialBus.binding` (the mock, able to unplug).
 */
export interface SerialBinding {
  list(): ReturnType<MockBinding['list']>
  open(options: Parameters<MockBinding['open']>[0]): Promise<SerialPortBinding>
}

export interface SerialScannerOptions extends ScannerCommonOptions {
  /** `/dev/ttyACM0`, a socat link, or a mock path. */
  path: string
  baudRate?: number
  framing?: Omit<FramingOptions, 'timers'>
  binding?: SerialBinding
  /** Shown in state and events' sources; `serial:PATH?baud=…` by default. */
  uri?: string
}

/**
 * A scanner on a serial line (USB CDC-ACM `/dev/ttyACM*`, RS-232 adapters, socat ptys).
 *
 * Each connection is a new `SerialPort` object piped (so a `data` listener is always attached —
 * without one serialport never notices an unplug) into a new `ScanFramer`. When the port closes
 * with `disconnected: true`, or fails to open, the scanner retries with backoff. A frame cut by
 * the unplug is reported as rejected (`SCAN_INVALID`, reason 'incomplete'), not dropped.
 */
export class SerialScanner extends ReconnectingScanner {
  readonly uri: string
  readonly path: string
  readonly baudRate: number
  private readonly binding: SerialBinding
  private readonly framing: FramingOptions
  private port: SerialPort | null = null
  private framer: ScanFramer | null = null

  constructor(options: SerialScannerOptions) {
    super(options)
    this.path = options.path
    this.baudRate = options.baudRate ?? 9600
    this.binding = options.binding ?? SerialPort.binding
    this.framing = { ...options.framing, timers: this.timers }
    this.uri = options.uri ?? `serial:${this.path}?baud=${this.baudRate}`
  }

  protected async connect(): Promise<void> {
    await this.disconnect()
    // SerialPort spreads its options over its default binding, so `binding` chooses the binding;
    // its option type omits `binding`, hence the cast.
    const port = new SerialPort({ path: this.path, baudRate: this.baudRate, autoOpen: false, ...({ binding: this.binding } as object) })
    this.port = port
    try {
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())))
    } catch (err) {
      this.port = null
      throw new AppError('SCANNER_UNAVAILABLE', 'unavailable', `Cannot open serial scanner ${this.path}: ${(err as Error).message}`, { path: this.path }, { cause: err })
    }
    const framer = new ScanFramer(this.framing)
    this.framer = framer
    framer.on('data', (frame: RawFrame) => this.frame(frame))
    port.on('error', (err) => this.log.warn({ err }, 'serial port error'))
    port.on('close', (err?: Error & { disconnected?: boolean }) => {
      if (this.port !== port) return // closed by us
      this.port = null
      framer.end() // a frame cut in half comes out as 'end' → rejected as incomplete
      this.framer = null
      const cause = err ?? new Error('port closed')
      this.lost(new AppError('SCANNER_DISCONNECTED', 'unavailable', `Serial scanner ${this.path} was disconnected: ${cause.message}`, { path: this.path }, { cause }))
    })
    port.on('data', (chunk: Buffer) => {
      if (this.log.isLevelEnabled('trace')) this.log.trace({ hex: chunk.subarray(0, 64).toString('hex'), bytes: chunk.length }, 'serial bytes')
      framer.write(chunk)
    })
  }

  protected async disconnect(): Promise<void> {
    const port = this.port
    const framer = this.framer
    this.port = null
    this.framer = null
    framer?.destroy()
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()))
  }
}
