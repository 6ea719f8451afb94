import type { Duplex } from 'node:stream'
import { StreamTransport, type StreamTransportOptions } from './stream-transport.ts'
import { TransportUnavailableError } from './transport-errors.ts'

/** A simulated device that takes in-process connections (hw-sim printers implement it). */
export interface SimDevice {
  /** A new connection; throws an error with code ECONNREFUSED when the device refuses. */
  connect(): Duplex
}

/** Where `sim:NAME` URIs are looked up; a Map<string, SimDevice> satisfies it. */
export interface SimRegistry {
  get(name: string): SimDevice | undefined
}

/** `sim:NAME`: an in-process connection to a hw-sim device, with the same failure modes as TCP. */
export class SimTransport extends StreamTransport {
  constructor(
    uri: string,
    readonly name: string,
    private readonly registry: SimRegistry,
    opts: StreamTransportOptions = {},
  ) {
    super(uri, opts)
  }

  protected async connect(signal?: AbortSignal): Promise<Duplex> {
    signal?.throwIfAborted()
    const device = this.registry.get(this.name)
    if (!device) throw new TransportUnavailableError(this.uri, `no simulated device named "${this.name}"`)
    try {
      return device.connect()
    } catch (err) {
      throw new TransportUnavailableError(this.uri, `cannot connect to ${this.uri}: ${(err as Error).message}`, err)
    }
  }
}
