import http from 'node:http'
import type net from 'node:net'
import ipp from 'ipp'

/**
 * A small IPP printer over HTTP (node:http, keep-alive like real printers), whose Print-Job
 * handling can misbehave the way a network or a printer does:
 * - 'reset-after-document': reads the whole Print-Job request (the document arrived), then
 *   resets the connection instead of answering;
 * - 'keep-processing': accepts the job and reports it processing until a Cancel-Job comes.
 * Counts what it received.
 */
export class IppPeer {
  readonly documents: Buffer[] = []
  readonly operations: string[] = []
  readonly cancels: number[] = []
  private readonly jobs = new Map<number, number>() // job-id → job-state
  private nextJob = 1
  private server: http.Server | undefined
  private port = 0

  constructor(private readonly mode: 'reset-after-document' | 'keep-processing') {}

  get uri(): string {
    return `ipp://127.0.0.1:${this.port}/ipp/print`
  }

  async listen(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => this.handle(Buffer.concat(chunks), req.socket, res))
    })
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    this.port = (this.server.address() as net.AddressInfo).port
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections()
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()))
  }

  private handle(body: Buffer, socket: net.Socket, res: http.ServerResponse): void {
    const msg = ipp.parse(body) as unknown as { operation: string; id: number; 'operation-attributes-tag'?: Record<string, unknown>; data?: Buffer }
    this.operations.push(msg.operation)
    const op = msg['operation-attributes-tag'] ?? {}
    const reply = (extra: Record<string, unknown>, statusCode = 'successful-ok') => {
      const out = ipp.serialize({
        version: '2.0',
        statusCode,
        id: msg.id,
        'operation-attributes-tag': { 'attributes-charset': 'utf-8', 'attributes-natural-language': 'en' },
        ...extra,
      } as unknown as Parameters<typeof ipp.serialize>[0])
      res.writeHead(200, { 'content-type': 'application/ipp', 'content-length': out.length })
      res.end(out)
    }
    switch (msg.operation) {
      case 'Get-Printer-Attributes':
        return reply({
          'printer-attributes-tag': {
            'printer-state': 'idle',
            'printer-state-reasons': 'none',
            'document-format-supported': ['application/pdf'],
            'printer-is-accepting-jobs': true,
            'printer-name': 'ipp-peer',
          },
        })
      case 'Print-Job': {
        this.documents.push(msg.data ?? Buffer.alloc(0))
        if (this.mode === 'reset-after-document') {
          socket.resetAndDestroy()
          return
        }
        const id = this.nextJob++
        this.jobs.set(id, 5)
        return reply({ 'job-attributes-tag': { 'job-id': id, 'job-state': 'processing', 'job-uri': `${this.uri}/${id}` } })
      }
      case 'Get-Job-Attributes': {
        const id = Number(op['job-id'])
        const state = this.jobs.get(id)
        if (state === undefined) return reply({}, 'client-error-not-found')
        return reply({ 'job-attributes-tag': { 'job-id': id, 'job-state': state === 7 ? 'canceled' : 'processing', 'job-state-reasons': state === 7 ? 'job-canceled-by-user' : 'job-printing' } })
      }
      case 'Cancel-Job': {
        const id = Number(op['job-id'])
        this.cancels.push(id)
        if (this.jobs.has(id)) this.jobs.set(id, 7)
        return reply({})
      }
      default:
        return reply({}, 'server-error-operation-not-supported')
    }
  }
}
