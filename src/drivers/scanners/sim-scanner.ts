import type { Readable } from 'node:stream'
import { AppError } from '../../domain/errors.ts'
import { ReconnectingScanner, type ScannerCommonOptions } from './reconnecting-scanner.ts'
import { ScanFramer, type FramingOptions, type RawFrame } from './scan-framer.ts'

/**
 * What `sim:NAME` needs from hw-sim's in-process scanners (hw-sim/scanners
 * `SimScannerRegistry` implements it). Kept structural so that src/ never imports hw-sim.
 */
export interface SimScannerDirectory {
  /** The named scanner's bytes, as a stream that ends when it is unplugged; null when there is
   * no such scanner or it is unplugged right now (the driver retries with backoff). */
  connect(name: string): Readable | null
}

export interface SimScannerOptions extends ScannerCommonOptions {
  /** The simulated scanner's name in the directory (`sim:NAME`). */
  simName: string
  directory: SimScannerDirectory
  framing?: Omit<FramingOptions, 'timers'>
  uri?: string
}

/** A `sim:NAME` scanner: the same framing, decoding, state and reconnects as a serial one. */
export class SimScanner extends ReconnectingScanner {
  readonly uri: string
  private readonly simName: string
  private readonly directory: SimScannerDirectory
  private readonly framing: FramingOptions
  private stream: Readable | null = null

  constructor(options: SimScannerOptions) {
    super(options)
    this.simName = options.simName
    this.directory = options.directory
    this.framing = { ...options.framing, timers: this.timers }
    this.uri = options.uri ?? `sim:${options.simName}`
  }

  protected async connect(): Promise<void> {
    await this.disconnect()
    const stream = this.directory.connect(this.simName)
    if (!stream) throw new AppError('SCANNER_UNAVAILABLE', 'unavailable', `No simulated scanner "${this.simName}" is plugged in.`, { sim: this.simName })
    this.stream = stream
    const framer = new ScanFramer(this.framing)
    framer.on('data', (frame: RawFrame) => this.frame(frame))
    let gone = false
    const onGone = (err?: Error) => {
      if (gone || this.stream !== stream) return
      gone = true
      this.stream = null
      framer.end()
      this.lost(new AppError('SCANNER_DISCONNECTED', 'unavailable', `Simulated scanner "${this.simName}" was unplugged.`, { sim: this.simName }, { cause: err }))
    }
    stream.on('data', (chunk: Buffer) => framer.write(chunk))
    stream.on('end', () => onGone())
    stream.on('close', () => onGone())
    stream.on('error', (err) => onGone(err))
  }

  protected async disconnect(): Promise<void> {
    const stream = this.stream
    this.stream = null
    stream?.destroy()
  }
}
