import type { Duplex } from 'node:stream'
import type { OpenOptions } from '@serialport/stream'
type BindingInterface = OpenOptions['binding']
import { SerialPortStream } from '@serialport/stream'
import { StreamTransport, type StreamTransportOptions } from './stream-transport.ts'
import { TransportUnavailableError } from './transport-errors.ts'

export type SerialBinding = BindingInterface

export interface SerialTransportOptions extends StreamTransportOptions {
  /**
   * serialport binding. Default: the OS binding (`SerialPort.binding`). Tests pass
   * `SerialPortMock.binding` (from 'serialport', not '@serialport/binding-mock': a second
   * registry) or use socat ptys with the default binding.
   */
  binding?: BindingInterface
}

/**
 * `serial:/dev/ttyS0?baud=9600` through serialport 13. A port that fails to open (missing,
 * busy, permission) is TransportUnavailableError; an unplug while writing is TransportWriteError
 * (serialport's `disconnected` error kept as cause). Each open() makes a new port object,
 * as serialport wants after a disconnect.
 */
export class SerialTransport extends StreamTransport {
  private readonly binding: BindingInterface | undefined

  constructor(
    uri: string,
    readonly path: string,
    readonly baudRate: number,
    opts: SerialTransportOptions = {},
  ) {
    super(uri, opts)
    this.binding = opts.binding
  }

  protected async connect(signal?: AbortSignal): Promise<Duplex> {
    const binding = this.binding ?? (await import('serialport')).SerialPort.binding
    signal?.throwIfAborted()
    const port = new SerialPortStream({ binding, path: this.path, baudRate: this.baudRate, autoOpen: false })
    await new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (err) reject(new TransportUnavailableError(this.uri, `cannot open ${this.path}: ${err.message}`, err))
        else resolve()
      })
    })
    return port
  }

  protected override async disconnect(stream: Duplex): Promise<void> {
    const port = stream as SerialPortStream
    if (!port.isOpen) return
    await new Promise<void>((resolve) => port.drain(() => resolve()))
    await new Promise<void>((resolve) => port.close(() => resolve()))
  }
}
