import { expect } from 'vitest'
import { startTestServer, type TestServer } from '../../support/server.ts'
import { eventually } from '../../support/poll.ts'
import type { PrinterSim } from '../../../hw-sim/printers/printer-sim.ts'
import type { NewPrintJob } from '../../../src/store/print-job-store.ts'
import type { PrintingConfig } from '../../../src/app/printing/printing-config.ts'
import type { PrintingService } from '../../../src/app/printing/printing-service.ts'

export { eventually }

/** Short timings so that backoff, leases and polls fit in a test. Set before the server starts. */
export function fastPrintingEnv(extra: Record<string, string> = {}): void {
  Object.assign(process.env, {
    STUDIO_SERVER_ID: 'test-location',
    STUDIO_PRINT_RETRY_MS: '100',
    STUDIO_PRINT_RETRY_MAX_MS: '400',
    STUDIO_PRINT_POLL_MS: '200',
    STUDIO_PRINT_LEASE_MS: '3000',
    STUDIO_PRINT_CONNECT_TIMEOUT_MS: '1000',
    STUDIO_PRINT_WRITE_TIMEOUT_MS: '3000',
    STUDIO_PRINT_STATUS_TIMEOUT_MS: '400',
    ...extra,
  })
}

/** Every STUDIO_PRINT_* setting at its default. */
export function defaultPrintingEnv(): void {
  for (const k of Object.keys(process.env)) if (k.startsWith('STUDIO_PRINT_')) delete process.env[k]
  process.env.STUDIO_SERVER_ID = 'test-location'
}

/** Job states a job never leaves. */
const FINAL_STATES = ['completed', 'canceled', 'aborted']

export interface JobView {
  id: number
  state: string
  reasons: string[]
  message: string | null
  attempts: number
  progress: { sent: number; total: number; uncertainUpTo?: number }
  release?: Array<{ resumeAt: number; choice: string; label: string; prints: string }>
  confirmed: boolean | null
  printer: string
  document: string
  recordId: number
  completedAt: string | null
}

export async function json<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T
}

export class PrintingHarness {
  constructor(readonly s: TestServer) {}

  static async start(kind: 'sqlite' | 'mariadb'): Promise<PrintingHarness> {
    fastPrintingEnv()
    return new PrintingHarness(await startTestServer(kind))
  }

  /** A server at the default printing settings (no STUDIO_PRINT_* set), for claims about timing and faults as a studio meets them. */
  static async startWithDefaults(kind: 'sqlite' | 'mariadb'): Promise<PrintingHarness> {
    defaultPrintingEnv()
    return new PrintingHarness(await startTestServer(kind))
  }

  /** The printing service of this server (to drive recovery as its timer would). */
  get service(): PrintingService {
    const m = this.s.running.modules.find((x) => x.name === 'printing') as unknown as { service: PrintingService }
    return m.service
  }

  api(path: string, init?: Parameters<TestServer['api']>[1]): Promise<Response> {
    return this.s.api(path, init)
  }

  async client(lastName = 'Okafor'): Promise<number> {
    const res = await this.api('/api/clients', { method: 'POST', json: { lastName, firstName: 'Amara' } })
    expect(res.status).toBe(201)
    return (await json<{ id: number }>(res)).id
  }

  async printer(name: string, language: string, uri: string): Promise<void> {
    const res = await this.api('/api/printers', { method: 'POST', json: { name, language, uri } })
    expect(res.status, await res.clone().text()).toBe(201)
  }

  async printerFor(sim: PrinterSim, language: string): Promise<string> {
    await this.printer(sim.name, language, sim.uri)
    return sim.name
  }

  async submit(body: Record<string, unknown>, key?: string): Promise<{ id: number; state: string }> {
    const res = await this.api('/api/print-jobs', { method: 'POST', json: body, headers: key ? { 'idempotency-key': key } : {} })
    expect(res.status, await res.clone().text()).toBe(202)
    return json(res)
  }

  async job(id: number): Promise<JobView> {
    return json<JobView>(await this.api(`/api/print-jobs/${id}`))
  }

  /** Polls the job until `until` holds (default: a final state). */
  async waitJob(id: number, until: (j: JobView) => boolean = (j) => FINAL_STATES.includes(j.state), timeoutMs = 15_000): Promise<JobView> {
    const end = Date.now() + timeoutMs
    let last: JobView | null = null
    while (Date.now() < end) {
      last = await this.job(id)
      if (until(last)) return last
      await new Promise((r) => setTimeout(r, 25))
    }
    throw new Error(`job ${id} did not get there in ${timeoutMs} ms: ${JSON.stringify(last)}`)
  }

  /**
   * Waits until no job of `printer` is pending or processing, and returns its jobs: from then on
   * nothing more prints for it unless a job is added or released, so a count of printed labels is
   * final (in place of a fixed sleep before counting).
   */
  async waitIdle(printer: string, timeoutMs = 15_000): Promise<JobView[]> {
    let jobs: JobView[] = []
    await eventually(async () => {
      jobs = (await json<{ items: JobView[] }>(await this.api(`/api/print-jobs?printer=${encodeURIComponent(printer)}&limit=100`))).items
      return jobs.every((j) => j.state !== 'pending' && j.state !== 'processing')
    }, timeoutMs, `no job of ${printer} pending or processing`)
    return jobs
  }

  close(): Promise<void> {
    return this.s.close()
  }
}

/** Labels as `Label <client number>`-free text: count by the ^FD of the client number. */
export function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>()
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1)
  return m
}


/** A job as the store takes it: two one-label ZPL units for `printer`, unless overridden. */
export function newJob(printer: string, overrides: Partial<NewPrintJob> = {}): NewPrintJob {
  return {
    printer,
    document: 'client-label',
    recordIds: [1],
    format: 'zpl',
    options: {},
    copies: 1,
    contentType: 'text/plain',
    payload: Buffer.from('^XA^XZ^XA^XZ'),
    unitLengths: [6, 6],
    totalUnits: 2,
    idempotencyKey: null,
    requestHash: null,
    reprintOf: null,
    createdBy: 'test',
    ...overrides,
  }
}

/** Worker timings short enough for a test driving a PrinterWorker directly. */
export function fastWorkerConfig(leaseMs: number): PrintingConfig {
  return {
    serverId: 'here',
    instance: 'host-a:1:aaaaaa',
    leaseMs,
    retryMs: 50,
    retryMaxMs: 100,
    pollMs: 20,
    statusProbeMs: 250,
    connectTimeoutMs: 100,
    writeTimeoutMs: 100,
    statusTimeoutMs: 100,
  }
}

/**
 * Waits (through `read`) until a job whose server died is recovered held job-sent-unconfirmed,
 * and checks that its record is exact: what arrived at the printer lies between the confirmed
 * labels and the uncertain ones. Returns the held job with both bounds.
 */
export async function heldWithExactBounds<J extends { state: string; reasons: string[]; progress: { sent: number; uncertainUpTo?: number } }>(
  read: () => Promise<J>,
  arrived: number,
): Promise<{ job: J; confirmed: number; uncertainUpTo: number }> {
  let job: J | null = null
  await eventually(async () => (job = await read()).state === 'held', 60_000, 'the job recovered held after its server’s lease lapsed')
  const held = job as unknown as J
  expect(held.reasons).toEqual(['job-sent-unconfirmed'])
  const confirmed = held.progress.sent
  const uncertainUpTo = held.progress.uncertainUpTo ?? confirmed
  expect(confirmed).toBeLessThanOrEqual(arrived)
  expect(uncertainUpTo).toBeGreaterThanOrEqual(arrived)
  return { job: held, confirmed, uncertainUpTo }
}
