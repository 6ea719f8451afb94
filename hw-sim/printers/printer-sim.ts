import { EventEmitter } from 'node:events'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import net from 'node:net'
import type { Duplex } from 'node:stream'
import { createDuplexPair } from '../../src/drivers/transports/duplex-pair.ts'
import type { SimDevice } from '../../src/drivers/transports/sim-transport.ts'

/**
 * Fault injection shared by the simulated printers. Set them with `sim.setFaults({...})`.
 * Error states (paperOut, headOpen, ribbonOut, paused, overTemperature, cutterError) keep
 * received units in the printer's buffer (`pending`) until they clear, like real firmware.
 */
export interface PrinterFaults {
  paperOut: boolean
  /** Media low / roll near end: a warning, printing goes on. */
  paperLow: boolean
  /** Print head up / cover open. */
  headOpen: boolean
  ribbonOut: boolean
  paused: boolean
  overTemperature: boolean
  underTemperature: boolean
  cutterError: boolean
  /** Closed port: connections are refused (TCP: the listener is closed; in-process: ECONNREFUSED). */
  refuseConnections: boolean
  /** Reset the connection once this many bytes arrived on it (one shot). */
  dropAfterBytes: number | undefined
  /** Reset the connection once this many units (labels/receipts) arrived on it (one shot). */
  dropAfterUnits: number | undefined
  /** Pause reading this long after each chunk (a slow printer; backpressure reaches the sender). */
  slowMs: number
  /** Stop reading altogether (the sender's writes time out once the buffers are full). */
  stallReading: boolean
  /** Stop reading a connection once this many units arrived on it (what follows stays in socket buffers). */
  stallAfterUnits: number | undefined
  /** ESC/POS: answer DLE EOT 4 (roll sensors) this late, in ms (0: at once). */
  paperStatusDelayMs: number
  /** Like current Zebra firmware: no answer to ~HS while media/ribbon out, head open, too hot. */
  silentStatusWhenFaulted: boolean
  /** ZPL: never answer ~HS (~HQES still answers), as firmware that dropped the old command. */
  silentHostStatus: boolean
  /** Never answer any status query. */
  mute: boolean
}

export const NO_FAULTS: PrinterFaults = Object.freeze({
  paperOut: false,
  paperLow: false,
  headOpen: false,
  ribbonOut: false,
  paused: false,
  overTemperature: false,
  underTemperature: false,
  cutterError: false,
  refuseConnections: false,
  dropAfterBytes: undefined,
  dropAfterUnits: undefined,
  slowMs: 0,
  stallReading: false,
  stallAfterUnits: undefined,
  paperStatusDelayMs: 0,
  silentStatusWhenFaulted: true,
  silentHostStatus: false,
  mute: false,
})

/** One unit the simulated printer received: a ZPL format, an EPL label, an ESC/POS receipt. */
/** Where a simulated printer leaves what it prints (the demo's ./data/printed). */
export interface RenderOptions {
  /** Write each printed unit to this directory: NAME-NNNN.<raw extension> and (renderPng) NAME-NNNN.png. */
  renderTo?: string
  /** Also draw a PNG of each unit. Default true when renderTo is set. */
  renderPng?: boolean
  /** The number of the first file (NNNN); default 1. A number whose file exists is skipped, never overwritten. */
  firstNumber?: number
}

/** A drawing of one printed unit, with what could not be drawn faithfully. */
export interface DrawnUnit {
  png: Uint8Array
  warnings?: string[]
}

export interface ReceivedUnit {
  /** The unit's bytes as received. */
  data: Buffer
  /** Copies requested (^PQ / P n,c); 1 for receipts. */
  copies: number
  /** Which connection (1-based) it came on. */
  connection: number
  receivedAt: number
}

export interface Connection {
  readonly id: number
  readonly stream: Duplex
  bytes: number
  units: number
  /** Parser state of the subclass. */
  state: unknown
  reply(data: Uint8Array | string): void
}

export interface ListenOptions {
  host?: string
  port?: number
}

/**
 * Base of the simulated printers: connections over loopback TCP (`listen()`) or in-process
 * (`connect()`, a SimDevice for SimTransport), fault injection, the record of units.
 * Events: 'unit' (ReceivedUnit) when a unit is received; 'printed' (ReceivedUnit) when it leaves
 * the buffer (at once, or when the faults clear); 'connection' (id); 'drop' (id).
 */
export abstract class PrinterSim extends EventEmitter implements SimDevice {
  faults: PrinterFaults = { ...NO_FAULTS }
  /** Units received and printed (in order). */
  readonly printed: ReceivedUnit[] = []
  /** Units received while in an error state, waiting to print. */
  readonly pending: ReceivedUnit[] = []
  /** Every chunk received, per connection id, for byte-exact checks. */
  readonly raw = new Map<number, Buffer[]>()
  private server: net.Server | undefined
  private listenPort: number | undefined
  private listenHost = '127.0.0.1'
  private readonly connections = new Set<Connection>()
  private nextId = 1
  private dropArmedFrom = 1

  private rendered = 0
  /** Files written by renderTo (settles after each unit's 'printed' event). */
  renderQueue: Promise<void> = Promise.resolve()

  constructor(
    readonly name: string,
    private readonly render: RenderOptions = {},
  ) {
    super()
  }

  /** The file extension of the raw bytes this printer takes (zpl, epl, bin). */
  protected abstract readonly rawExtension: string

  /** Draws one printed unit (for renderTo), or null when there is nothing to draw. */
  protected abstract draw(unit: ReceivedUnit): Promise<DrawnUnit | null>

  /** Parses the bytes of one connection; calls `this.received(conn, unit)` for each unit. */
  protected abstract feed(conn: Connection, data: Buffer): void

  /** Whether the printer is in an error state that stops printing. */
  get stopped(): boolean {
    const f = this.faults
    return f.paperOut || f.headOpen || f.ribbonOut || f.paused || f.overTemperature || f.cutterError
  }

  /** Ids of the connections open now (1-based, in the order they came). */
  get openConnectionIds(): number[] {
    return [...this.connections].map((c) => c.id)
  }

  /** Connections opened so far (probes and jobs alike). */
  get connectionsSeen(): number {
    return this.nextId - 1
  }

  /** Connections open now (a sender that died leaves one until the printer has read all it sent). */
  get openConnections(): number {
    return this.connections.size
  }

  /** Labels (or receipts) printed, counting copies. */
  get printedCount(): number {
    return this.printed.reduce((n, u) => n + u.copies, 0)
  }

  /** Changes faults; clearing error states prints what waited in the buffer. */
  async setFaults(change: Partial<PrinterFaults>): Promise<void> {
    const before = this.faults.refuseConnections
    // Drop faults apply to connections opened from now on (not to old ones still draining).
    if ('dropAfterBytes' in change || 'dropAfterUnits' in change) this.dropArmedFrom = this.nextId
    this.faults = { ...this.faults, ...change }
    if (this.listenPort !== undefined && before !== this.faults.refuseConnections) {
      if (this.faults.refuseConnections) await this.stopListening()
      else await this.startListening()
    }
    if (!this.stopped) this.flushPending()
    for (const conn of this.connections) if (!this.faults.stallReading && conn.stream.isPaused()) conn.stream.resume()
  }

  async clearFaults(): Promise<void> {
    await this.setFaults({ ...NO_FAULTS })
  }

  /** Starts a loopback TCP listener (port 0 = any free port). */
  async listen(opts: ListenOptions = {}): Promise<{ host: string; port: number; uri: string }> {
    this.listenHost = opts.host ?? '127.0.0.1'
    this.listenPort = opts.port ?? 0
    await this.startListening()
    return { host: this.listenHost, port: this.listenPort, uri: `tcp://${this.listenHost}:${this.listenPort}` }
  }

  get port(): number {
    if (this.listenPort === undefined) throw new Error(`${this.name} is not listening`)
    return this.listenPort
  }

  get uri(): string {
    return `tcp://${this.listenHost}:${this.port}`
  }

  private async startListening(): Promise<void> {
    if (this.server || this.faults.refuseConnections) return
    const server = net.createServer((socket) => {
      socket.setNoDelay(true)
      this.accept(socket)
    })
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject)
      server.listen({ host: this.listenHost, port: this.listenPort, exclusive: true }, () => {
        server.off('error', reject)
        resolve()
      })
    })
    this.listenPort = (server.address() as net.AddressInfo).port
    this.server = server
  }

  private async stopListening(): Promise<void> {
    const server = this.server
    this.server = undefined
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()))
  }

  /** In-process connection (SimDevice); the returned end is the client's. */
  connect(): Duplex {
    if (this.faults.refuseConnections) throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    const [client, device] = createDuplexPair()
    this.accept(device)
    return client
  }

  /** Resets every open connection (the printer was switched off, a cable pulled). */
  dropConnections(): void {
    for (const conn of this.connections) this.drop(conn)
  }

  /** Stops listening and closes every connection. */
  async close(): Promise<void> {
    this.dropConnections()
    await this.stopListening()
    this.listenPort = undefined
  }

  /** Resolves once `count` units (not copies) have printed. */
  waitForPrinted(count: number, timeoutMs = 5_000): Promise<void> {
    if (this.printed.length >= count) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('printed', check)
        reject(new Error(`${this.name}: ${this.printed.length}/${count} units printed after ${timeoutMs} ms`))
      }, timeoutMs)
      const check = () => {
        if (this.printed.length < count) return
        clearTimeout(timer)
        this.off('printed', check)
        resolve()
      }
      this.on('printed', check)
    })
  }

  /** Forgets everything received (between tests). */
  reset(): void {
    this.printed.length = 0
    this.pending.length = 0
    this.raw.clear()
  }

  /** Serves one connection over any byte stream (a serial port opened on a socat pty, …). */
  serve(stream: Duplex): void {
    this.accept(stream)
  }

  private accept(stream: Duplex): void {
    const id = this.nextId++
    const conn: Connection = {
      id,
      stream,
      bytes: 0,
      units: 0,
      state: undefined,
      reply: (data) => {
        if (!stream.destroyed && !stream.writableEnded) stream.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data)
      },
    }
    this.connections.add(conn)
    this.raw.set(id, [])
    stream.on('error', () => {})
    stream.on('close', () => this.connections.delete(conn))
    stream.on('data', (chunk: Buffer) => this.onData(conn, chunk))
    if (this.faults.stallReading) stream.pause()
    this.emit('connection', id)
  }

  private onData(conn: Connection, chunk: Buffer): void {
    if (conn.stream.destroyed) return
    const limit = this.faults.dropAfterBytes
    if (limit !== undefined && conn.id >= this.dropArmedFrom && conn.bytes + chunk.length >= limit) {
      const keep = chunk.subarray(0, Math.max(0, limit - conn.bytes))
      this.faults.dropAfterBytes = undefined
      this.take(conn, keep)
      this.drop(conn)
      return
    }
    this.take(conn, chunk)
    if (conn.stream.destroyed) return
    if (this.faults.stallReading || this.stalledAfterUnits(conn)) conn.stream.pause()
    else if (this.faults.slowMs > 0) {
      conn.stream.pause()
      setTimeout(() => {
        if (!this.faults.stallReading) conn.stream.resume()
      }, this.faults.slowMs)
    }
  }

  private stalledAfterUnits(conn: Connection): boolean {
    const n = this.faults.stallAfterUnits
    return n !== undefined && conn.units >= n
  }

  private take(conn: Connection, chunk: Buffer): void {
    if (chunk.length === 0 || this.stalledAfterUnits(conn)) return
    conn.bytes += chunk.length
    this.raw.get(conn.id)?.push(Buffer.from(chunk))
    this.feed(conn, chunk)
  }

  /** Subclasses call this for each complete unit. Returns false when the connection was dropped. */
  protected received(conn: Connection, data: Buffer, copies: number): boolean {
    const unit: ReceivedUnit = { data, copies, connection: conn.id, receivedAt: Date.now() }
    conn.units++
    this.emit('unit', unit)
    if (this.stopped) this.pending.push(unit)
    else this.print(unit)
    if (this.stalledAfterUnits(conn)) {
      // It stops reading here: the rest stays unread in the socket buffers.
      conn.stream.pause()
      return false
    }
    const limit = this.faults.dropAfterUnits
    if (limit !== undefined && conn.id >= this.dropArmedFrom && conn.units >= limit) {
      this.faults.dropAfterUnits = undefined
      this.drop(conn)
      return false
    }
    return true
  }

  protected print(unit: ReceivedUnit): void {
    this.printed.push(unit)
    this.emit('printed', unit)
    if (this.render.renderTo) {
      this.renderQueue = this.renderQueue.then(() => this.writeRendered(unit)).catch((err) => {
        this.emit('render-error', err)
      })
    }
  }

  private async writeRendered(unit: ReceivedUnit): Promise<void> {
    const dir = this.render.renderTo!
    await mkdir(dir, { recursive: true, mode: 0o700 })
    // 'wx': a number already taken (an earlier run, another process) is skipped, never overwritten.
    let file: string
    for (;;) {
      const n = (this.render.firstNumber ?? 1) + this.rendered++
      file = join(dir, `${this.name}-${String(n).padStart(4, '0')}`)
      try {
        await writeFile(`${file}.${this.rawExtension}`, unit.data, { flag: 'wx', mode: 0o600 })
        break
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
      }
    }
    if (this.render.renderPng === false) return
    const drawn = await this.draw(unit)
    if (!drawn) return
    await writeFile(`${file}.png`, drawn.png, { mode: 0o600 })
    if (drawn.warnings?.length) this.emit('render-warning', { file: `${file}.png`, warnings: drawn.warnings })
  }

  private flushPending(): void {
    for (const unit of this.pending.splice(0)) this.print(unit)
  }

  private drop(conn: Connection): void {
    this.emit('drop', conn.id)
    const s = conn.stream as Duplex & { resetAndDestroy?: () => void }
    if (typeof s.resetAndDestroy === 'function') s.resetAndDestroy()
    else s.destroy(Object.assign(new Error('connection reset by simulated printer'), { code: 'ECONNRESET' }))
  }
}
