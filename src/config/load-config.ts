import { resolve } from 'node:path'
import type { z } from 'zod'
import { ValidationError } from '../domain/errors.ts'
import { CLI_SECTION, ENV_SECTIONS, serverIdOf, type FontEnvSettings, type IppSettings, type PrintingSettings, type RenderSettings, type ServerSettings, type WebSettings, type WebhookSettings } from './env-schema.ts'

export { ENV_VARIABLES, DEFAULT_SESSION_IDLE_MS, DEFAULT_SESSION_MAX_AGE_MS, LOG_LEVELS } from './env-schema.ts'
export { checkAdminTokenStrength, adminTokenWeakness, ADMIN_TOKEN_MIN_BITS, ADMIN_TOKEN_MIN_DISTINCT, ADMIN_TOKEN_MIN_LENGTH, TOKEN_SECRET_MIN_LENGTH } from './admin-token.ts'
export type { FontEnvSettings, IppSettings, PrintingSettings, RenderSettings, ServerSettings, WebSettings, WebhookSettings } from './env-schema.ts'

/** The sections handed to the modules that use them. */
export interface ConfigSections {
  printing: PrintingSettings
  render: RenderSettings
  ipp: IppSettings
  webhooks: WebhookSettings
  fonts: FontEnvSettings
  web: WebSettings
}

/**
 * What the composition root (start.ts) is started with: the server's own settings, and the
 * sections; a section left out (tests that build a config by hand) is at its defaults.
 */
export interface Config extends Partial<ConfigSections> {
  port: number
  host: string
  databaseUrl: string
  adminToken: string | null
  demo: boolean
  logLevel: string
  /** Where the demo's simulated printers leave what they print. */
  dataDir: string
  /**
   * STUDIO_SERVER_ID: the location this server serves (DOMAIN.md "Several locations"). It sends
   * only to printers and opens only scanners of that location. Default: the host name.
   */
  serverId: string
  /**
   * STUDIO_FILE_PRINTER_DIR: the spool folder `file:` printers write in (like CUPS's FileDevice);
   * unset: `file:` printers are off (the demo uses DATA/printed). See fileSpoolDirOf.
   */
  fileSpoolDir?: string | null
  /** STUDIO_TOKEN_SECRET: the HMAC key API tokens are stored under; unset: a key kept in the database. */
  tokenSecret?: string | null
  /** STUDIO_SESSION_HOURS: a browser session ends this long after sign-in. */
  sessionMaxAgeMs?: number
  /** STUDIO_SESSION_IDLE_MINUTES: a browser session ends after this long without a request. */
  sessionIdleMs?: number
  /** STUDIO_SCAN_EVENTS_POLL_MS: how often an idle station event stream reads the scan log for other servers' scans. */
  scanEventsPollMs?: number
  /** STUDIO_METRICS_TOKEN: a bearer secret that may read /metrics (admin tokens may too). */
  metricsToken?: string | null
}

/** The whole configuration, every section present: what loadConfig gives and the modules are handed. */
export type LoadedConfig = Config & ServerSettings & ConfigSections

/** One bad variable: its name and what it accepts (its value too, unless a secret). */
export interface ConfigProblem {
  variable: string
  message: string
}

/** CONFIG_INVALID: every bad variable of the environment, each named with what it accepts. */
export class ConfigInvalidError extends ValidationError {
  constructor(readonly problems: readonly ConfigProblem[]) {
    const sentences = problems.map((p) => p.message)
    super(sentences.length === 1 ? sentences[0] : `${sentences.length} settings are invalid:\n  ${sentences.join('\n  ')}`, { variables: problems.map((p) => p.variable), problems }, 'CONFIG_INVALID')
  }
}

function problemsOf(error: z.ZodError): ConfigProblem[] {
  return error.issues.map((issue) => {
    const variable = String(issue.path[0] ?? '?')
    return { variable, message: `${variable} ${issue.message}` }
  })
}

type SectionName = keyof typeof ENV_SECTIONS
type SectionOutput<K extends SectionName> = z.output<(typeof ENV_SECTIONS)[K]['schema']>

/** One section of the environment, checked (the CLI reads the pieces it needs this way). */
export function loadSection<K extends SectionName>(name: K, env: NodeJS.ProcessEnv): SectionOutput<K> {
  const result = ENV_SECTIONS[name].schema.safeParse(env)
  if (!result.success) throw new ConfigInvalidError(problemsOf(result.error))
  return result.data as SectionOutput<K>
}

/**
 * The environment, read once at start and checked as a whole: a bad value stops the start with
 * CONFIG_INVALID naming every bad variable and what it accepts.
 */
export function loadConfig(env: NodeJS.ProcessEnv): LoadedConfig {
  const problems: ConfigProblem[] = []
  const values: Record<string, unknown> = {}
  for (const [name, section] of Object.entries(ENV_SECTIONS)) {
    const result = section.schema.safeParse(env)
    if (result.success) values[name] = result.data
    else problems.push(...problemsOf(result.error))
  }
  if (problems.length > 0) throw new ConfigInvalidError(problems)
  const { server, ...sections } = values as unknown as { server: ServerSettings } & ConfigSections
  return { ...server, ...sections }
}

/** The command-line tool's variables (STUDIO_URL, STUDIO_TOKEN, PORT, DATABASE_URL…), checked. */
export function loadCliEnv(env: NodeJS.ProcessEnv): z.output<typeof CLI_SECTION.schema> {
  const result = CLI_SECTION.schema.safeParse(env)
  if (!result.success) throw new ConfigInvalidError(problemsOf(result.error))
  return result.data
}

/** Every section at its default: for a config built by hand (tests) that leaves sections out. */
export function defaultSections(): ConfigSections {
  const none: NodeJS.ProcessEnv = {}
  return { printing: loadSection('printing', none), render: loadSection('render', none), ipp: loadSection('ipp', none), webhooks: loadSection('webhooks', none), fonts: loadSection('fonts', none), web: loadSection('web', none) }
}

/** The given config with every section present (a missing one at its defaults). */
export function withDefaultSections(config: Config): Config & ConfigSections {
  return { ...defaultSections(), ...config } as Config & ConfigSections
}

/** The server id of STUDIO_SERVER_ID, else the host name; at most 80 characters (the location columns). */
export function serverIdFrom(env: NodeJS.ProcessEnv): string {
  return serverIdOf(env.STUDIO_SERVER_ID)
}

/** The spool folder of `file:` printers: STUDIO_FILE_PRINTER_DIR, else DATA/printed for the demo, else none (off). */
export function fileSpoolDirOf(config: Pick<Config, 'fileSpoolDir' | 'demo' | 'dataDir'>): string | null {
  if (config.fileSpoolDir) return resolve(config.fileSpoolDir)
  return config.demo ? resolve(config.dataDir, 'printed') : null
}
