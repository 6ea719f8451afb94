import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { availableParallelism, hostname } from 'node:os'
import { ConfigInvalidError, ENV_VARIABLES, loadCliEnv, loadConfig, serverIdFrom, type LoadedConfig } from '../../src/config/load-config.ts'

const STRONG_TOKEN = 'sp_Q7v!Xk2#Lm9@Rt4$Wz8%Yb'
const SECRET = 'k'.repeat(16) + 'K'.repeat(16)

/** Each variable, a value it accepts and where that value lands in the configuration. */
const ACCEPTED: ReadonlyArray<[variable: string, raw: string, read: (c: LoadedConfig) => unknown, expected: unknown]> = [
  ['PORT', '9090', (c) => c.port, 9090],
  ['HOST', '127.0.0.1', (c) => c.host, '127.0.0.1'],
  ['DATABASE_URL', 'mysql://u:p@db:3306/studio', (c) => c.databaseUrl, 'mysql://u:p@db:3306/studio'],
  ['STUDIO_ADMIN_TOKEN', STRONG_TOKEN, (c) => c.adminToken, STRONG_TOKEN],
  ['STUDIO_TOKEN_SECRET', SECRET, (c) => c.tokenSecret, SECRET],
  ['STUDIO_DEMO', '1', (c) => c.demo, true],
  ['LOG_LEVEL', 'debug', (c) => c.logLevel, 'debug'],
  ['STUDIO_DATA_DIR', '/var/lib/studio', (c) => c.dataDir, '/var/lib/studio'],
  ['STUDIO_SERVER_ID', 'north', (c) => c.serverId, 'north'],
  ['STUDIO_FILE_PRINTER_DIR', '/srv/spool', (c) => c.fileSpoolDir, '/srv/spool'],
  ['STUDIO_SESSION_HOURS', '2', (c) => c.sessionMaxAgeMs, 2 * 3_600_000],
  ['STUDIO_SESSION_IDLE_MINUTES', '30', (c) => c.sessionIdleMs, 30 * 60_000],
  ['STUDIO_SCAN_EVENTS_POLL_MS', '2000', (c) => c.scanEventsPollMs, 2000],
  ['STUDIO_METRICS_TOKEN', 'scrape-me', (c) => c.metricsToken, 'scrape-me'],
  ['STUDIO_PRINT_LEASE_MS', '5000', (c) => c.printing.leaseMs, 5000],
  ['STUDIO_PRINT_RETRY_MS', '100', (c) => c.printing.retryMs, 100],
  ['STUDIO_PRINT_RETRY_MAX_MS', '400', (c) => c.printing.retryMaxMs, 400],
  ['STUDIO_PRINT_POLL_MS', '200', (c) => c.printing.pollMs, 200],
  ['STUDIO_PRINT_STATUS_PROBE_MS', '1000', (c) => c.printing.statusProbeMs, 1000],
  ['STUDIO_PRINT_CONNECT_TIMEOUT_MS', '1500', (c) => c.printing.connectTimeoutMs, 1500],
  ['STUDIO_PRINT_WRITE_TIMEOUT_MS', '6000', (c) => c.printing.writeTimeoutMs, 6000],
  ['STUDIO_PRINT_STATUS_TIMEOUT_MS', '700', (c) => c.printing.statusTimeoutMs, 700],
  ['STUDIO_RENDER_WORKERS', '3', (c) => c.render.workers, 3],
  ['STUDIO_RENDER_TIMEOUT_MS', '5000', (c) => c.render.timeoutMs, 5000],
  ['STUDIO_RENDER_MEMORY_MB', '256', (c) => c.render.memoryMb, 256],
  ['STUDIO_RENDER_QUEUE', '8', (c) => c.render.maxQueue, 8],
  ['STUDIO_IPP', '0', (c) => c.ipp.enabled, false],
  ['STUDIO_IPP_MAX_MB', '16', (c) => c.ipp.maxRequestBytes, 16 * 1024 * 1024],
  ['STUDIO_IPP_DNSSD', '1', (c) => c.ipp.dnssd, true],
  ['STUDIO_IPP_PUBLIC_ATTRIBUTES', '1', (c) => c.ipp.publicAttributes, true],
  ['STUDIO_WEBHOOK_POLL_MS', '100', (c) => c.webhooks.pollMs, 100],
  ['STUDIO_WEBHOOK_TIMEOUT_MS', '2000', (c) => c.webhooks.timeoutMs, 2000],
  ['STUDIO_WEBHOOK_RETRY_MS', '50', (c) => c.webhooks.baseMs, 50],
  ['STUDIO_WEBHOOK_RETRY_MAX_MS', '60000', (c) => c.webhooks.maxMs, 60_000],
  ['STUDIO_WEBHOOK_MAX_ATTEMPTS', '3', (c) => c.webhooks.maxAttempts, 3],
  ['STUDIO_PRINT_FONTS', 'none', (c) => c.fonts.off, true],
  ['STUDIO_PRINT_FONT', '/fonts/Body.ttf', (c) => c.fonts.regular, '/fonts/Body.ttf'],
  ['STUDIO_PRINT_FONT_BOLD', '/fonts/Body-Bold.ttf', (c) => c.fonts.bold, '/fonts/Body-Bold.ttf'],
  ['STUDIO_PRINT_FALLBACK_FONTS', '/a.ttf::/b.otf', (c) => c.fonts.fallbacks, ['/a.ttf', '/b.otf']],
  ['NODE_ENV', 'production', (c) => c.web.cachePages, true],
]

/** Each variable that can be wrong, and values it refuses. */
const REFUSED: ReadonlyArray<[variable: string, raws: string[]]> = [
  ['PORT', ['http', '-1', '65536', '80.5']],
  ['STUDIO_ADMIN_TOKEN', ['short', 'a'.repeat(40), 'with spaces in it 0123456789ABCDEF']],
  ['STUDIO_TOKEN_SECRET', ['x'.repeat(31)]],
  ['STUDIO_DEMO', ['', 'yes', '2']],
  ['LOG_LEVEL', ['verbose', 'INFO']],
  ['STUDIO_SESSION_HOURS', ['0', '8761', 'a day']],
  ['STUDIO_SESSION_IDLE_MINUTES', ['0', '525601', '1.5']],
  ['STUDIO_SCAN_EVENTS_POLL_MS', ['0', '49', '60001', 'fast', '-5', '1e3']],
  ...['STUDIO_PRINT_LEASE_MS', 'STUDIO_PRINT_RETRY_MS', 'STUDIO_PRINT_RETRY_MAX_MS', 'STUDIO_PRINT_POLL_MS', 'STUDIO_PRINT_STATUS_PROBE_MS', 'STUDIO_PRINT_CONNECT_TIMEOUT_MS', 'STUDIO_PRINT_WRITE_TIMEOUT_MS', 'STUDIO_PRINT_STATUS_TIMEOUT_MS'].map(
    (v): [string, string[]] => [v, ['0', '-1', 'soon', '2.5']],
  ),
  ['STUDIO_RENDER_WORKERS', ['0', 'many']],
  ['STUDIO_RENDER_TIMEOUT_MS', ['99', 'long']],
  ['STUDIO_RENDER_MEMORY_MB', ['63', 'lots']],
  ['STUDIO_RENDER_QUEUE', ['0', '1.5']],
  ['STUDIO_IPP', ['yes', 'true', '2']],
  ['STUDIO_IPP_MAX_MB', ['0', '513', 'big']],
  ['STUDIO_IPP_DNSSD', ['on']],
  ['STUDIO_IPP_PUBLIC_ATTRIBUTES', ['true']],
  ['STUDIO_WEBHOOK_POLL_MS', ['49', 'often']],
  ['STUDIO_WEBHOOK_TIMEOUT_MS', ['99']],
  ['STUDIO_WEBHOOK_RETRY_MS', ['9']],
  ['STUDIO_WEBHOOK_RETRY_MAX_MS', ['9']],
  ['STUDIO_WEBHOOK_MAX_ATTEMPTS', ['0', 'forever']],
]

function refusal(env: NodeJS.ProcessEnv): ConfigInvalidError {
  try {
    loadConfig(env)
  } catch (err) {
    return err as ConfigInvalidError
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`)
}

describe('the configuration schema', () => {
  it('when nothing is set, then every setting has the default the README gives', () => {
    const c = loadConfig({})
    expect(c).toMatchObject({
      port: 8080, host: '0.0.0.0', databaseUrl: 'sqlite:./data/studio.db', adminToken: null, tokenSecret: null, demo: false, logLevel: 'info',
      dataDir: './data', serverId: hostname().slice(0, 80), fileSpoolDir: null, sessionMaxAgeMs: 7 * 24 * 3_600_000, sessionIdleMs: 12 * 3_600_000,
      scanEventsPollMs: 500, metricsToken: null,
    })
    expect(c.printing).toEqual({ leaseMs: 30_000, retryMs: 1_000, retryMaxMs: 30_000, pollMs: 2_000, statusProbeMs: 2_000, connectTimeoutMs: 3_000, writeTimeoutMs: 15_000, statusTimeoutMs: 2_000 })
    expect(c.render).toEqual({ workers: Math.min(4, Math.max(2, availableParallelism() - 1)), timeoutMs: 30_000, memoryMb: 512, maxQueue: 64, recycleHeapMb: 256, tasksPerWorker: 5_000 })
    expect(c.ipp).toEqual({ enabled: true, maxRequestBytes: 64 * 1024 * 1024, dnssd: false, publicAttributes: false })
    expect(c.webhooks).toEqual({ pollMs: 500, timeoutMs: 10_000, baseMs: 1_000, maxMs: 3_600_000, maxAttempts: 15 })
    expect(c.fonts).toEqual({ off: false, regular: null, bold: null, fallbacks: [] })
    expect(c.web).toEqual({ cachePages: false })
  })

  it('when a variable is empty, then it is at its default as when unset (STUDIO_DEMO apart: refused)', () => {
    const empty = Object.fromEntries(ENV_VARIABLES.filter((v) => v !== 'STUDIO_DEMO').map((v) => [v, '']))
    const { serverId, ...rest } = loadConfig(empty)
    const { serverId: defaultId, ...defaults } = loadConfig({})
    expect(serverId).toBe(defaultId)
    expect(rest).toEqual(defaults)
  })

  it('when the schema is asked for its variables, then every one of them is read by a test below', () => {
    expect(new Set(ACCEPTED.map(([v]) => v))).toEqual(new Set(ENV_VARIABLES))
  })

  for (const [variable, raw, read, expected] of ACCEPTED) {
    it(`when ${variable} is "${raw}", then the configuration has it`, () => {
      expect(read(loadConfig({ [variable]: raw }))).toEqual(expected)
    })
  }

  it('when STUDIO_PRINT_STATUS_PROBE_MS is below 250, then probes still wait 250 ms', () => {
    expect(loadConfig({ STUDIO_PRINT_STATUS_PROBE_MS: '10' }).printing.statusProbeMs).toBe(250)
  })

  it('when STUDIO_PRINT_FONTS is anything but "none", then the fonts stay on', () => {
    expect(loadConfig({ STUDIO_PRINT_FONTS: 'on' }).fonts.off).toBe(false)
  })

  for (const [variable, raws] of REFUSED) {
    for (const raw of raws) {
      it(`when ${variable} is "${raw}", then the start stops with CONFIG_INVALID naming ${variable}`, () => {
        const err = refusal({ [variable]: raw })
        expect(err).toBeInstanceOf(ConfigInvalidError)
        expect(err.code).toBe('CONFIG_INVALID')
        expect(err.message.startsWith(`${variable} `)).toBe(true)
        expect(err.details).toMatchObject({ variables: [variable] })
      })
    }
  }

  it('when a number is refused, then the message says what the variable accepts and what it was given', () => {
    expect(refusal({ PORT: 'http' }).message).toBe('PORT must be a whole number 0..65535, not "http"')
    expect(refusal({ STUDIO_IPP: 'yes' }).message).toBe('STUDIO_IPP must be 0 or 1, not "yes"')
    expect(refusal({ LOG_LEVEL: 'verbose' }).message).toBe('LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, not "verbose"')
  })

  it('when several variables are wrong, then one CONFIG_INVALID names each of them', () => {
    const err = refusal({ PORT: 'x', STUDIO_PRINT_POLL_MS: '0', STUDIO_IPP_MAX_MB: '999', STUDIO_WEBHOOK_MAX_ATTEMPTS: 'no' })
    expect(err.details?.variables).toEqual(['PORT', 'STUDIO_PRINT_POLL_MS', 'STUDIO_IPP_MAX_MB', 'STUDIO_WEBHOOK_MAX_ATTEMPTS'])
    for (const v of ['PORT', 'STUDIO_PRINT_POLL_MS', 'STUDIO_IPP_MAX_MB', 'STUDIO_WEBHOOK_MAX_ATTEMPTS']) expect(err.message).toContain(`${v} must be`)
  })

  it('when a secret is refused, then its value is not in the message', () => {
    const weak = 'abcdefghijklmnopqrstuvwxyz'
    const err = refusal({ STUDIO_ADMIN_TOKEN: weak, STUDIO_TOKEN_SECRET: 'short-secret' })
    expect(err.message).toMatch(/STUDIO_ADMIN_TOKEN is too weak: .*openssl rand/)
    expect(err.message).toMatch(/STUDIO_TOKEN_SECRET must have at least 32 characters/)
    expect(err.message).not.toContain(weak)
    expect(err.message).not.toContain('short-secret')
    expect(JSON.stringify(err.details)).not.toContain(weak)
  })
})

describe("the README's configuration table", () => {
  /** The variable names of the first column of the table under "## Configuration". */
  function readmeVariables(): string[] {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
    const start = readme.indexOf('\n## Configuration')
    expect(start, 'README has a "## Configuration" section').toBeGreaterThan(0)
    const end = readme.indexOf('\n## ', start + 1)
    const rows = readme.slice(start, end === -1 ? undefined : end).split('\n').filter((line) => line.startsWith('| `'))
    return rows.flatMap((row) => [...row.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]))
  }

  it('when the README lists a variable, then the schema reads it', () => {
    const unknown = readmeVariables().filter((v) => !ENV_VARIABLES.includes(v))
    expect(unknown, 'in the README but not in src/config/env-schema.ts').toEqual([])
  })

  it('when the schema reads a variable, then the README lists it', () => {
    const listed = new Set(readmeVariables())
    const missing = ENV_VARIABLES.filter((v) => !listed.has(v))
    expect(missing, 'in src/config/env-schema.ts but not in the README table').toEqual([])
  })
})

describe('server id (STUDIO_SERVER_ID)', () => {
  it('when it is not set (or empty), then the server id is the host name', () => {
    expect(loadConfig({}).serverId).toBe(hostname().slice(0, 80))
    expect(loadConfig({ STUDIO_SERVER_ID: '' }).serverId).toBe(hostname().slice(0, 80))
  })

  it('when it is set, then it is the server id of the config', () => {
    expect(loadConfig({ STUDIO_SERVER_ID: 'studio-north' }).serverId).toBe('studio-north')
  })

  it('when it is longer than 80 characters (the location columns), then it is cut to 80', () => {
    const long = 'x'.repeat(100)
    expect(serverIdFrom({ STUDIO_SERVER_ID: long })).toBe('x'.repeat(80))
    expect(loadConfig({ STUDIO_SERVER_ID: long }).serverId).toHaveLength(80)
  })
})

describe("the command-line tool's variables", () => {
  it('when nothing is set, then it asks this machine on port 8080 without a token and opens ./data/studio.db', () => {
    expect(loadCliEnv({})).toEqual({ url: 'http://127.0.0.1:8080', token: undefined, databaseUrl: 'sqlite:./data/studio.db' })
  })

  it('when STUDIO_URL, PORT, STUDIO_TOKEN and DATABASE_URL are set, then it uses them (STUDIO_URL before PORT)', () => {
    expect(loadCliEnv({ PORT: '9090' }).url).toBe('http://127.0.0.1:9090')
    expect(loadCliEnv({ PORT: '9090', STUDIO_URL: 'http://10.0.0.5:9090' }).url).toBe('http://10.0.0.5:9090')
    expect(loadCliEnv({ STUDIO_TOKEN: 'sp_a', STUDIO_ADMIN_TOKEN: 'sp_b' }).token).toBe('sp_a')
    expect(loadCliEnv({ DATABASE_URL: 'mysql://u:p@db/studio' }).databaseUrl).toBe('mysql://u:p@db/studio')
  })

  it('when only STUDIO_ADMIN_TOKEN is set, then it is the token as it is (its strength is the server\'s check)', () => {
    expect(loadCliEnv({ STUDIO_ADMIN_TOKEN: 'short' }).token).toBe('short')
  })

  it('when PORT is not a port, then CONFIG_INVALID names it', () => {
    expect(() => loadCliEnv({ PORT: 'http' })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID', message: 'PORT must be a whole number 0..65535, not "http"' }))
  })
})
