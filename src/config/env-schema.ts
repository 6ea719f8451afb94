/**
 * The environment Studio Print reads, in one schema: every variable, its default and what it
 * accepts (README "Configuration" is the same list; a test keeps the two equal). Read once at
 * start by loadConfig (load-config.ts); the sections are handed to what uses them.
 */
import { availableParallelism, hostname } from 'node:os'
import { z } from 'zod'
import { envField, flag, list, oneOf, optionalText, text, wholeNumber } from './env-fields.ts'
import { TOKEN_SECRET_MIN_LENGTH, adminTokenRefusal, adminTokenWeakness } from './admin-token.ts'

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const

export const DEFAULT_SESSION_MAX_AGE_MS = 7 * 24 * 3_600_000
export const DEFAULT_SESSION_IDLE_MS = 12 * 3_600_000

/** The server id of STUDIO_SERVER_ID, else the host name; at most 80 characters (the location columns). */
export function serverIdOf(raw: string | undefined): string {
  return (raw || hostname()).slice(0, 80)
}

/** A section: the variables it reads (zod shape) and the settings made of them. */
function section<S extends z.ZodRawShape, T>(shape: S, build: (values: z.output<z.ZodObject<S>>) => T) {
  return { variables: Object.keys(shape), schema: z.object(shape).transform(build) }
}

const PORT = wholeNumber({ fallback: 8080, min: 0, max: 65535 })
const DATABASE_URL = text('sqlite:./data/studio.db')

/** The server itself: HTTP, database, tokens, sessions, the demo. */
const server = section(
  {
    PORT,
    HOST: text('0.0.0.0'),
    DATABASE_URL,
    STUDIO_ADMIN_TOKEN: envField(
      (raw, refuse) => {
        if (!raw) return null
        const why = adminTokenWeakness(raw)
        if (why !== null) refuse(adminTokenRefusal(why))
        return raw
      },
      { secret: true },
    ),
    STUDIO_TOKEN_SECRET: envField(
      (raw, refuse) => {
        if (!raw) return null
        if (raw.length < TOKEN_SECRET_MIN_LENGTH) refuse(`must have at least ${TOKEN_SECRET_MIN_LENGTH} characters (make one with: openssl rand -base64 48)`)
        return raw
      },
      { secret: true },
    ),
    STUDIO_DEMO: flag(false, { emptyRefused: true }),
    LOG_LEVEL: oneOf(LOG_LEVELS, 'info'),
    STUDIO_DATA_DIR: text('./data'),
    STUDIO_SERVER_ID: envField((raw) => serverIdOf(raw)),
    STUDIO_FILE_PRINTER_DIR: optionalText(),
    STUDIO_SESSION_HOURS: wholeNumber({ fallback: DEFAULT_SESSION_MAX_AGE_MS / 3_600_000, min: 1, max: 24 * 365 }),
    STUDIO_SESSION_IDLE_MINUTES: wholeNumber({ fallback: DEFAULT_SESSION_IDLE_MS / 60_000, min: 1, max: 60 * 24 * 365 }),
    STUDIO_SCAN_EVENTS_POLL_MS: wholeNumber({ fallback: 500, min: 50, max: 60_000, unit: ' (ms)', digits: 5 }),
    STUDIO_METRICS_TOKEN: optionalText(),
  },
  (v) => ({
    port: v.PORT,
    host: v.HOST,
    databaseUrl: v.DATABASE_URL,
    adminToken: v.STUDIO_ADMIN_TOKEN,
    demo: v.STUDIO_DEMO,
    logLevel: v.LOG_LEVEL as string,
    dataDir: v.STUDIO_DATA_DIR,
    serverId: v.STUDIO_SERVER_ID,
    fileSpoolDir: v.STUDIO_FILE_PRINTER_DIR,
    tokenSecret: v.STUDIO_TOKEN_SECRET,
    sessionMaxAgeMs: v.STUDIO_SESSION_HOURS * 3_600_000,
    sessionIdleMs: v.STUDIO_SESSION_IDLE_MINUTES * 60_000,
    scanEventsPollMs: v.STUDIO_SCAN_EVENTS_POLL_MS,
    metricsToken: v.STUDIO_METRICS_TOKEN,
  }),
)

const ms = (fallback: number) => wholeNumber({ fallback, min: 1, unit: ' (ms)' })

/** The print queue's timings (the server id and this process's instance are added by the printing module). */
const printing = section(
  {
    STUDIO_PRINT_LEASE_MS: ms(30_000),
    STUDIO_PRINT_RETRY_MS: ms(1_000),
    STUDIO_PRINT_RETRY_MAX_MS: ms(30_000),
    STUDIO_PRINT_POLL_MS: ms(2_000),
    STUDIO_PRINT_STATUS_PROBE_MS: ms(2_000),
    STUDIO_PRINT_CONNECT_TIMEOUT_MS: ms(3_000),
    STUDIO_PRINT_WRITE_TIMEOUT_MS: ms(15_000),
    STUDIO_PRINT_STATUS_TIMEOUT_MS: ms(2_000),
  },
  (v) => ({
    leaseMs: v.STUDIO_PRINT_LEASE_MS,
    retryMs: v.STUDIO_PRINT_RETRY_MS,
    retryMaxMs: v.STUDIO_PRINT_RETRY_MAX_MS,
    pollMs: v.STUDIO_PRINT_POLL_MS,
    // Probing more often than every 250 ms would only load the printers.
    statusProbeMs: Math.max(250, v.STUDIO_PRINT_STATUS_PROBE_MS),
    connectTimeoutMs: v.STUDIO_PRINT_CONNECT_TIMEOUT_MS,
    writeTimeoutMs: v.STUDIO_PRINT_WRITE_TIMEOUT_MS,
    statusTimeoutMs: v.STUDIO_PRINT_STATUS_TIMEOUT_MS,
  }),
)

/** The render worker pool (see app/render/render-config.ts). */
const render = section(
  {
    STUDIO_RENDER_WORKERS: wholeNumber({ fallback: () => Math.min(4, Math.max(2, availableParallelism() - 1)), min: 1 }),
    STUDIO_RENDER_TIMEOUT_MS: wholeNumber({ fallback: 30_000, min: 100, unit: ' (ms)' }),
    STUDIO_RENDER_MEMORY_MB: wholeNumber({ fallback: 512, min: 64, unit: ' (MB)' }),
    STUDIO_RENDER_QUEUE: wholeNumber({ fallback: 64, min: 1 }),
  },
  (v) => ({
    workers: v.STUDIO_RENDER_WORKERS,
    timeoutMs: v.STUDIO_RENDER_TIMEOUT_MS,
    memoryMb: v.STUDIO_RENDER_MEMORY_MB,
    maxQueue: v.STUDIO_RENDER_QUEUE,
    // Half the heap limit, and never below 96 MB: a worker holds ~20 MB after a label and 35–50 MB
    // after a PDF (measured), so a lower line would restart it after nearly every render.
    recycleHeapMb: Math.max(96, Math.floor(v.STUDIO_RENDER_MEMORY_MB / 2)),
    // Starting a worker costs ~0.3–1 s of CPU (measured under a print load, 2 cores): it is
    // replaced for the memory it holds, and for its count only now and then (memory outside the
    // JavaScript heap is not in that figure).
    tasksPerWorker: 5_000,
  }),
)

/** The IPP printers (see server/ipp/ipp-config.ts). */
const ipp = section(
  {
    STUDIO_IPP: flag(true),
    STUDIO_IPP_MAX_MB: wholeNumber({ fallback: 64, min: 1, max: 512, unit: ' (MB)' }),
    STUDIO_IPP_DNSSD: flag(false),
    STUDIO_IPP_PUBLIC_ATTRIBUTES: flag(false),
  },
  (v) => ({ enabled: v.STUDIO_IPP, maxRequestBytes: v.STUDIO_IPP_MAX_MB * 1024 * 1024, dnssd: v.STUDIO_IPP_DNSSD, publicAttributes: v.STUDIO_IPP_PUBLIC_ATTRIBUTES }),
)

/** The webhook dispatcher (this process's instance is added by the webhooks module). */
const webhooks = section(
  {
    STUDIO_WEBHOOK_POLL_MS: wholeNumber({ fallback: 500, min: 50, unit: ' (ms)' }),
    STUDIO_WEBHOOK_TIMEOUT_MS: wholeNumber({ fallback: 10_000, min: 100, unit: ' (ms)' }),
    STUDIO_WEBHOOK_RETRY_MS: wholeNumber({ fallback: 1_000, min: 10, unit: ' (ms)' }),
    STUDIO_WEBHOOK_RETRY_MAX_MS: wholeNumber({ fallback: 3_600_000, min: 10, unit: ' (ms)' }),
    STUDIO_WEBHOOK_MAX_ATTEMPTS: wholeNumber({ fallback: 15, min: 1 }),
  },
  (v) => ({ pollMs: v.STUDIO_WEBHOOK_POLL_MS, timeoutMs: v.STUDIO_WEBHOOK_TIMEOUT_MS, baseMs: v.STUDIO_WEBHOOK_RETRY_MS, maxMs: v.STUDIO_WEBHOOK_RETRY_MAX_MS, maxAttempts: v.STUDIO_WEBHOOK_MAX_ATTEMPTS }),
)

/**
 * The text fonts (handed to templates/font-settings.ts). A font file that does not exist is
 * passed over when the fonts are looked up, not refused here; STUDIO_PRINT_FONTS turns them off
 * only when it is `none`.
 */
const fonts = section(
  {
    STUDIO_PRINT_FONTS: optionalText(),
    STUDIO_PRINT_FONT: optionalText(),
    STUDIO_PRINT_FONT_BOLD: optionalText(),
    STUDIO_PRINT_FALLBACK_FONTS: list(':'),
  },
  (v) => ({ off: v.STUDIO_PRINT_FONTS === 'none', regular: v.STUDIO_PRINT_FONT, bold: v.STUDIO_PRINT_FONT_BOLD, fallbacks: v.STUDIO_PRINT_FALLBACK_FONTS }),
)

/** The web pages: in production their HTML fragments are read once and kept. */
const web = section({ NODE_ENV: optionalText() }, (v) => ({ cachePages: v.NODE_ENV === 'production' }))

export const ENV_SECTIONS = { server, printing, render, ipp, webhooks, fonts, web } as const

/**
 * The command-line tool's own variables (README "Command line"), made of the same readers: the
 * server it asks (STUDIO_URL, else this machine at PORT), the token it asks with (STUDIO_TOKEN,
 * else STUDIO_ADMIN_TOKEN, taken as it is) and the database the offline commands open.
 */
export const CLI_SECTION = section(
  { STUDIO_URL: optionalText(), STUDIO_TOKEN: optionalText(), STUDIO_ADMIN_TOKEN: optionalText(), PORT, DATABASE_URL },
  (v) => ({ url: v.STUDIO_URL ?? `http://127.0.0.1:${v.PORT}`, token: v.STUDIO_TOKEN ?? v.STUDIO_ADMIN_TOKEN ?? undefined, databaseUrl: v.DATABASE_URL }),
)

export type ServerSettings = z.output<typeof server.schema>
export type PrintingSettings = z.output<typeof printing.schema>
export type RenderSettings = z.output<typeof render.schema>
export type IppSettings = z.output<typeof ipp.schema>
export type WebhookSettings = z.output<typeof webhooks.schema>
export type FontEnvSettings = z.output<typeof fonts.schema>
export type WebSettings = z.output<typeof web.schema>

/** Every variable the server reads, in the schema's order. */
export const ENV_VARIABLES: readonly string[] = Object.values(ENV_SECTIONS).flatMap((s) => s.variables)
