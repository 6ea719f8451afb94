import http from 'node:http'
import https from 'node:https'
import ipp from 'ipp'
import type { Logger } from 'pino'
import type { PrinterUri } from '../transports/transport.ts'
import { TransportTimeoutError, TransportUnavailableError, osCode } from '../transports/transport-errors.ts'
import type { PrinterDriver, PrintJob, PrintOptions, PrintOutcome } from './printer-driver.ts'
import {
  DocumentFormatNotSupportedError,
  PrintCanceledError,
  PrinterBusyError,
  PrinterNotReadyError,
  PrinterUnreachableError,
  PrintInterruptedError,
  PrintJobFailedError,
  PrintRefusedError,
  type PrintProgress,
} from './printer-errors.ts'
import { normalizeReasons, stateFromReasons, type PrinterState, type PrinterStatus } from './printer-status.ts'
import { offlineStatus } from './raw-printer-driver.ts'

export interface IppPrinterOptions {
  /** One IPP request (status, Get-Job-Attributes). Default 5 s. */
  requestTimeoutMs?: number
  /** Print-Job, which uploads the document. Default 60 s. */
  printTimeoutMs?: number
  /** Longest wait for a job to reach a terminal state. Default 10 min. */
  jobTimeoutMs?: number
  /** Get-Job-Attributes interval. Default 250 ms. */
  pollMs?: number
  /** requesting-user-name. Default 'studio-print'. */
  userName?: string
  /** For ipps:// printers with self-signed certificates. Default true (verify). */
  rejectUnauthorized?: boolean
}

/** IPP job-state enum (RFC 8011 §5.3.7). */
export const JOB_STATES = { 3: 'pending', 4: 'pending-held', 5: 'processing', 6: 'processing-stopped', 7: 'canceled', 8: 'aborted', 9: 'completed' } as const
export type JobStateName = (typeof JOB_STATES)[keyof typeof JOB_STATES]
const PRINTER_STATES: Record<string, PrinterState> = { '3': 'idle', '4': 'processing', '5': 'stopped', idle: 'idle', processing: 'processing', stopped: 'stopped' }

export function jobStateName(v: unknown): JobStateName | undefined {
  if (typeof v === 'number') return JOB_STATES[v as keyof typeof JOB_STATES]
  if (typeof v === 'string') return (Object.values(JOB_STATES) as string[]).includes(v) ? (v as JobStateName) : undefined
  return undefined
}

export function isTerminalJobState(s: JobStateName | undefined): boolean {
  return s === 'canceled' || s === 'aborted' || s === 'completed'
}

/** printer-state + printer-state-reasons → our status (reasons parsed by suffix). */
export function ippPrinterStatus(state: unknown, reasons: unknown): PrinterStatus {
  const r = normalizeReasons(toArray(reasons).map(String))
  const base = PRINTER_STATES[String(state)] ?? 'idle'
  const fromReasons = stateFromReasons(r, base === 'processing')
  return { state: base === 'stopped' ? 'stopped' : fromReasons, reasons: r, source: 'ipp' }
}

// The ipp package logs unknown tags with console.log: keep the value, drop the noise.
;(ipp.parse as unknown as { handleUnknownTag: unknown }).handleUnknownTag = (_tag: number, _name: string, length: number, read: (n: number) => unknown) =>
  length ? read(length) : undefined

type IppMessage = Record<string, unknown> & { statusCode?: string; version?: string }

class IppHttpError extends Error {
  constructor(
    readonly phase: 'connect' | 'sent',
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message)
  }
}

/**
 * An IPP Everywhere / IPP 2.0 printer (`ipp://`, `ipps://`). Messages are encoded and parsed
 * by the `ipp` package (pure functions); the HTTP exchange is our own (node:http) so every
 * request has a timeout and an AbortSignal, a non-200 answer is an error instead of a
 * console.log, and a refused operation's `statusCode` is always checked. Starts with IPP 2.0
 * and falls back to 1.1 on `server-error-version-not-supported`.
 * Each unit is one document → one Print-Job, followed with Get-Job-Attributes until completed.
 */
export class IppPrinter implements PrinterDriver {
  readonly language = 'pdf' as const
  readonly uri: string
  private version: '2.0' | '1.1' = '2.0'
  private busy = false
  private readonly o: Required<IppPrinterOptions>

  constructor(
    readonly name: string,
    private readonly target: Extract<PrinterUri, { kind: 'ipp' }>,
    private readonly log: Logger,
    opts: IppPrinterOptions = {},
  ) {
    this.uri = target.uri
    this.o = {
      requestTimeoutMs: opts.requestTimeoutMs ?? 5_000,
      printTimeoutMs: opts.printTimeoutMs ?? 60_000,
      jobTimeoutMs: opts.jobTimeoutMs ?? 600_000,
      pollMs: opts.pollMs ?? 250,
      userName: opts.userName ?? 'studio-print',
      rejectUnauthorized: opts.rejectUnauthorized ?? true,
    }
  }

  /** The IPP version in use (after a fallback: '1.1'). */
  get ippVersion(): string {
    return this.version
  }

  async probe(signal?: AbortSignal): Promise<PrinterStatus> {
    try {
      const attrs = await this.printerAttributes(signal)
      return ippPrinterStatus(attrs['printer-state'], attrs['printer-state-reasons'])
    } catch (err) {
      signal?.throwIfAborted()
      if (err instanceof TransportUnavailableError || err instanceof TransportTimeoutError || err instanceof IppHttpError) {
        return offlineStatus('ipp', (err as Error).message)
      }
      throw err
    }
  }

  /** Get-Printer-Attributes: printer-state, printer-state-reasons, document-format-supported … */
  async printerAttributes(signal?: AbortSignal): Promise<Record<string, unknown>> {
    const res = await this.call(
      'Get-Printer-Attributes',
      {
        'requested-attributes': ['printer-state', 'printer-state-reasons', 'document-format-supported', 'printer-is-accepting-jobs', 'printer-name'],
      },
      undefined,
      signal,
    )
    this.expectOk(res, 'Get-Printer-Attributes')
    return (res['printer-attributes-tag'] as Record<string, unknown>) ?? {}
  }

  async print(job: PrintJob, opts: PrintOptions = {}): Promise<PrintOutcome> {
    if (this.busy) throw new PrinterBusyError(this.name)
    this.busy = true
    try {
      return await this.run(job, opts)
    } finally {
      this.busy = false
    }
  }

  private async run(job: PrintJob, { signal, onProgress }: PrintOptions): Promise<PrintOutcome> {
    const started = performance.now()
    const startAt = job.startAt ?? 0
    const p: PrintProgress = { jobId: job.id, printer: this.name, nextUnit: startAt, writtenUnits: startAt, uncertain: false }
    const log = this.log.child({ jobId: job.id })
    const format = job.documentFormat ?? 'application/pdf'
    const canceled = (cause?: unknown) => new PrintCanceledError({ ...p }, cause)

    let attrs: Record<string, unknown>
    try {
      attrs = await this.printerAttributes(signal)
    } catch (err) {
      if (signal?.aborted) throw canceled(signal.reason)
      throw this.unreachable(p, err)
    }
    const supported = toArray(attrs['document-format-supported']).map(String)
    if (!supported.includes(format)) throw new DocumentFormatNotSupportedError(this.name, format, supported)
    const status = ippPrinterStatus(attrs['printer-state'], attrs['printer-state-reasons'])
    if (status.state === 'stopped' || attrs['printer-is-accepting-jobs'] === false) throw new PrinterNotReadyError({ ...p }, status)

    let bytes = 0
    let index = 0
    let lastIppJob: number | undefined
    for await (const unit of job.units) {
      if (index++ < startAt) continue
      if (signal?.aborted) throw canceled(signal.reason)
      const data = Buffer.from(unit.buffer, unit.byteOffset, unit.byteLength)
      let res: IppMessage
      try {
        p.uncertain = true
        res = await this.call(
          'Print-Job',
          { 'requesting-user-name': this.o.userName, 'job-name': `${job.id}#${index - 1}`, 'document-format': format },
          (job.copies ?? 1) > 1 ? { copies: job.copies } : undefined,
          signal,
          data,
          this.o.printTimeoutMs,
        )
      } catch (err) {
        if (signal?.aborted) throw canceled(signal.reason)
        // Refused connection: the job was not created.
        if ((err instanceof IppHttpError && err.phase === 'connect') || err instanceof TransportUnavailableError) {
          p.uncertain = false
          throw this.unreachable(p, err)
        }
        throw new PrintInterruptedError({ ...p, writtenUnits: p.writtenUnits + 1 }, `Print-Job for ${job.id} got no answer from ${this.name}: ${(err as Error).message}`, err)
      }
      const code = String(res.statusCode)
      if (code === 'client-error-document-format-not-supported') throw new DocumentFormatNotSupportedError(this.name, format, supported)
      if (!code.startsWith('successful-ok')) {
        p.uncertain = false
        if (code.startsWith('server-error-busy') || code.startsWith('server-error-service-unavailable') || code === 'server-error-not-accepting-jobs') {
          throw new PrinterUnreachableError({ ...p }, `${this.name} refused the job for now: ${code}`)
        }
        throw new PrintRefusedError('PRINT_REFUSED', `${this.name} refused job ${job.id}: ${code}`, { ...p, statusCode: code })
      }
      p.writtenUnits++
      bytes += data.length
      const ippJobId = Number((res['job-attributes-tag'] as Record<string, unknown> | undefined)?.['job-id'])
      lastIppJob = ippJobId
      log.debug({ ippJobId, unit: index - 1 }, 'ipp job created')
      const final = await this.follow(ippJobId, p, signal)
      if (final.state !== 'completed') {
        throw new PrintJobFailedError(this.name, job.id, ippJobId, final.state as 'canceled' | 'aborted', final.reasons, { ...p, uncertain: false })
      }
      p.nextUnit = p.writtenUnits
      p.uncertain = false
      onProgress?.(p.nextUnit)
    }
    const ms = performance.now() - started
    log.info({ units: p.nextUnit - startAt, bytes, ms: Math.round(ms), ippVersion: this.version }, 'print job completed')
    return { jobId: job.id, sentUnits: p.nextUnit, confirmed: true, ippJobId: lastIppJob, bytes, ms }
  }

  /** Get-Job-Attributes until canceled, aborted or completed. */
  private async follow(ippJobId: number, p: PrintProgress, signal?: AbortSignal): Promise<{ state: JobStateName; reasons: string[] }> {
    const until = Date.now() + this.o.jobTimeoutMs
    let failures = 0
    for (;;) {
      if (signal?.aborted) throw await this.cancelAtPrinter(ippJobId, p, signal.reason)
      try {
        const res = await this.call(
          'Get-Job-Attributes',
          { 'job-id': ippJobId, 'requesting-user-name': this.o.userName, 'requested-attributes': ['job-state', 'job-state-reasons'] },
          undefined,
          signal,
        )
        this.expectOk(res, 'Get-Job-Attributes')
        const ja = (res['job-attributes-tag'] as Record<string, unknown>) ?? {}
        const state = jobStateName(ja['job-state'])
        failures = 0
        if (isTerminalJobState(state)) return { state: state!, reasons: normalizeReasons(toArray(ja['job-state-reasons']).map(String)) }
      } catch (err) {
        if (signal?.aborted) throw await this.cancelAtPrinter(ippJobId, p, signal.reason)
        if (++failures >= 5) {
          throw new PrintInterruptedError({ ...p }, `lost track of IPP job ${ippJobId} on ${this.name}: ${(err as Error).message}`, err)
        }
      }
      if (Date.now() > until) throw new PrintInterruptedError({ ...p }, `IPP job ${ippJobId} on ${this.name} did not finish in ${this.o.jobTimeoutMs} ms`)
      await delay(this.o.pollMs, signal)
    }
  }

  /**
   * A job canceled here while the printer processes it: Cancel-Job there too, so it stops
   * printing. Best effort (the printer may have finished it meanwhile); returns the cancel error.
   */
  private async cancelAtPrinter(ippJobId: number, p: PrintProgress, reason: unknown): Promise<PrintCanceledError> {
    try {
      const res = await this.call('Cancel-Job', { 'job-id': ippJobId, 'requesting-user-name': this.o.userName }, undefined)
      this.log.info({ ippJobId, statusCode: res.statusCode }, 'Cancel-Job sent to the printer')
    } catch (err) {
      this.log.warn({ ippJobId, err }, 'Cancel-Job not delivered to the printer')
    }
    return new PrintCanceledError({ ...p }, reason)
  }

  private expectOk(res: IppMessage, op: string): void {
    const code = String(res.statusCode)
    if (!code.startsWith('successful-ok')) {
      throw new PrintRefusedError('IPP_OPERATION_FAILED', `${op} failed on ${this.name}: ${code}`, { printer: this.name, op, statusCode: code })
    }
  }

  /** One IPP operation, with the version fallback. */
  private async call(
    operation: string,
    operationAttributes: Record<string, unknown>,
    jobAttributes: Record<string, unknown> | undefined,
    signal?: AbortSignal,
    data?: Buffer,
    timeoutMs = this.o.requestTimeoutMs,
  ): Promise<IppMessage> {
    for (;;) {
      const msg: Record<string, unknown> = {
        version: this.version,
        operation,
        id: Math.floor(Math.random() * 0x7fffffff) + 1,
        'operation-attributes-tag': {
          'attributes-charset': 'utf-8',
          'attributes-natural-language': 'en',
          'printer-uri': this.uri,
          ...operationAttributes,
        },
        ...(jobAttributes ? { 'job-attributes-tag': jobAttributes } : {}),
        ...(data ? { data } : {}),
      }
      const body = ipp.serialize(msg as unknown as Parameters<typeof ipp.serialize>[0])
      // A Print-Job goes on a connection of its own: whether it was sent is then known for sure
      // (a kept-alive socket gives no connect event, and a stale one fails in ways that look
      // like "nothing sent" though the document may have gone out).
      const res = (await this.post(body, timeoutMs, signal, operation === 'Print-Job')) as IppMessage
      if (res.statusCode === 'server-error-version-not-supported' && this.version === '2.0') {
        this.log.info({ printer: this.name }, 'IPP 2.0 not supported: falling back to 1.1')
        this.version = '1.1'
        continue
      }
      return res
    }
  }

  private post(body: Buffer, timeoutMs: number, signal?: AbortSignal, fresh = false): Promise<unknown> {
    const t = this.target
    const mod = t.secure ? https : http
    return new Promise((resolve, reject) => {
      let sent = false
      const req = mod.request(
        {
          host: t.host,
          port: t.port,
          path: t.path,
          method: 'POST',
          headers: { 'Content-Type': 'application/ipp', 'Content-Length': body.length },
          signal,
          ...(fresh ? { agent: false } : {}),
          ...(t.secure ? { rejectUnauthorized: this.o.rejectUnauthorized } : {}),
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (c: Buffer) => chunks.push(c))
          res.on('error', (err) => reject(new IppHttpError('sent', `IPP response failed: ${err.message}`, err)))
          res.on('end', () => {
            clearTimeout(timer)
            if (res.statusCode !== 200) {
              reject(new IppHttpError('sent', `HTTP ${res.statusCode} from ${this.uri}`))
              return
            }
            try {
              resolve(ipp.parse(Buffer.concat(chunks)))
            } catch (err) {
              reject(new IppHttpError('sent', `unparsable IPP response: ${String(err)}`, err))
            }
          })
        },
      )
      const timer = setTimeout(() => {
        req.destroy()
        reject(sent ? new TransportTimeoutError(this.uri, 'reply', timeoutMs) : new TransportTimeoutError(this.uri, 'connect', timeoutMs))
      }, timeoutMs)
      // Sent from the moment the socket is connected (a reused one is at once).
      req.on('socket', (s) => {
        if (!s.connecting) sent = true
        else s.once('connect', () => (sent = true))
      })
      req.on('error', (err) => {
        clearTimeout(timer)
        if (signal?.aborted) return reject(signal.reason)
        const code = osCode(err)
        if (!sent || code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENOTFOUND') {
          reject(new TransportUnavailableError(this.uri, `cannot reach ${this.uri}: ${code ?? err.message}`, err))
        } else reject(new IppHttpError('sent', `IPP request failed: ${code ?? err.message}`, err))
      })
      req.end(body)
    })
  }

  private unreachable(p: PrintProgress, err: unknown): PrinterUnreachableError {
    return new PrinterUnreachableError({ ...p, uncertain: false }, `printer ${this.name} unreachable: ${(err as Error).message}`, err)
  }

  async close(): Promise<void> {}
}

function toArray(v: unknown): unknown[] {
  return v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(t)
      resolve()
    }
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
