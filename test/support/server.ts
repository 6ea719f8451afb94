import pino from 'pino'
import { tmpdir } from 'node:os'
import { start, type Running } from '../../src/start.ts'
import { freshDatabase, type TestDatabase } from './databases.ts'
import { loadConfig, serverIdFrom, type Config } from '../../src/config/load-config.ts'
import type { Logger } from 'pino'

export const ADMIN_TOKEN = 'sp_test_admin_token_0123456789'

export interface TestServer {
  running: Running
  database: TestDatabase
  url: string
  /** fetch against the server with the admin token unless `token` says otherwise (null: none). */
  api(path: string, init?: RequestInit & { token?: string | null; json?: unknown }): Promise<Response>
  close(): Promise<void>
}

/** The whole server in-process on port 0 over a fresh database of the given kind. */
export async function startTestServer(
  kind: 'sqlite' | 'mariadb',
  options: {
    demo?: boolean
    /** STUDIO_SERVER_ID of this server (default: as `loadConfig` has it, the printing module's too). */
    serverId?: string
    /** Another test server's database, shared (several locations on one database); `close()` then leaves it to its owner. */
    database?: TestDatabase
    /** STUDIO_FILE_PRINTER_DIR: where file: printers may write (default: the OS temp folder, where the tests make theirs); null: file: printers off. */
    fileSpoolDir?: string | null
    /** More of the server's configuration (e.g. tokenSecret, session timeouts). */
    config?: Partial<Config>
    /** The logger (default: silent, or TEST_LOG_LEVEL). */
    log?: Logger
    /** STUDIO_METRICS_TOKEN of this server. */
    metricsToken?: string
  } = {},
): Promise<TestServer> {
  const shared = options.database
  const database = shared ?? (await freshDatabase(kind))
  // The sections (printing timings, IPP, webhooks, fonts…) as the environment has them: harnesses set STUDIO_* before they start a server.
  const { printing, render, ipp, webhooks, fonts, web } = loadConfig(process.env)
  const running = await start(
    {
      printing,
      render,
      ipp,
      webhooks,
      fonts,
      web,
      port: 0,
      host: '127.0.0.1',
      databaseUrl: database.url,
      adminToken: ADMIN_TOKEN,
      demo: options.demo ?? false,
      logLevel: 'silent',
      dataDir: '/tmp',
      serverId: options.serverId ?? serverIdFrom(process.env),
      fileSpoolDir: options.fileSpoolDir === undefined ? tmpdir() : options.fileSpoolDir,
      ...options.config,
      metricsToken: options.metricsToken ?? null,
    },
    options.log ?? pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
  )
  const api: TestServer['api'] = (path, init = {}) => {
    const { token = ADMIN_TOKEN, json, ...rest } = init
    const headers = new Headers(rest.headers)
    if (token) headers.set('authorization', `Bearer ${token}`)
    if (json !== undefined) headers.set('content-type', 'application/json')
    return fetch(running.url + path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body })
  }
  return {
    running,
    database,
    url: running.url,
    api,
    close: async () => {
      await running.stop()
      if (!shared) await database.dispose()
    },
  }
}
