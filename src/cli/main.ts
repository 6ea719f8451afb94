/**
 * `studio-print`: what a studio's IT does without a browser (README "Admin command").
 * Database commands (tokens, migrate, backup, restore) work on DATABASE_URL directly, on the
 * server's own machine; the others ask the running server (STUDIO_URL, STUDIO_TOKEN).
 * Heavy modules are imported by the command that needs them, so every call starts fast.
 */
import { parseArgs } from 'node:util'
import { hostname } from 'node:os'
import { CliError, EXIT, type ExitCode } from './exit-codes.ts'
import { loadCliEnv } from '../config/load-config.ts'
import { createOutput, table, type Output } from './output.ts'
import { serverClient, type ServerClient } from './server-client.ts'
import type { Db } from '../store/create-db.ts'

export const USAGE = `usage: studio-print [--json] COMMAND …
  tokens list | tokens create admin|client|station [--station NAME] [--label TEXT]
  tokens revoke ID | tokens recover            (a new admin token, straight into the database)
  printers [list] | printers test NAME [--document D] [--record ID] [--wait SECONDS]
  jobs [list] [--state S] [--printer P] [--limit N] | jobs release ID [--resume-at N] | jobs cancel ID
  scanners [list]
  migrate [--status]
  backup FILE [--dump] | restore FILE
  health
options: --json  --url URL (STUDIO_URL)  --token TOKEN (STUDIO_TOKEN)  --database URL (DATABASE_URL)
exit codes: 0 ok, 1 failed, 2 usage, 3 unreachable, 4 unauthorized, 5 not found, 6 refused`

interface Ctx {
  args: string[]
  opts: Record<string, string | boolean | undefined>
  out: Output
  server: ServerClient
  databaseUrl: string
}

type Json = Record<string, unknown>

function usage(message: string): never {
  throw new CliError(EXIT.usage, `${message}\n${USAGE}`, 'USAGE')
}

function idArg(value: string | undefined, what: string): number {
  if (value === undefined || !/^\d{1,15}$/.test(value) || Number(value) < 1) usage(`${what} must be a whole number`)
  return Number(value)
}

async function openDatabase(url: string, migrate = true): Promise<Db> {
  const { createDb } = await import('../store/create-db.ts')
  let db: Db
  try {
    db = await createDb(url)
    const { sql } = await import('kysely')
    await sql`select 1`.execute(db.db)
  } catch (err) {
    throw new CliError(EXIT.unreachable, `cannot open the database ${url.replace(/\/\/([^:@/]*):[^@]*@/, '//$1:***@')}: ${(err as Error).message}`, 'DATABASE_UNREACHABLE')
  }
  if (migrate) {
    const { migrateToLatest } = await import('../store/migrate.ts')
    await migrateToLatest(db.db as never)
  }
  return db
}

async function withTokens<T>(ctx: Ctx, fn: (tokens: import('../store/token-store.ts').TokenStore) => Promise<T>): Promise<T> {
  const db = await openDatabase(ctx.databaseUrl)
  try {
    const { TokenStore } = await import('../store/token-store.ts')
    return await fn(new TokenStore(db.db))
  } finally {
    await db.close()
  }
}

async function tokens(ctx: Ctx): Promise<void> {
  const [sub = 'list', arg] = ctx.args
  switch (sub) {
    case 'list': {
      const items = await withTokens(ctx, (t) => t.list())
      ctx.out.result({ items }, () => table(['ID', 'ROLE', 'STATION', 'LABEL', 'CREATED', 'REVOKED'], items.map((t) => [t.id, t.role, t.station, t.label, t.createdAt, t.revokedAt])))
      return
    }
    case 'create':
    case 'recover': {
      const { parseInput, tokenCreate } = await import('../domain/inputs.ts')
      const input =
        sub === 'recover'
          ? { role: 'admin' as const, label: `recovered on ${hostname()} ${new Date().toISOString()}` }
          : (() => {
              try {
                return parseInput(tokenCreate, { role: arg, ...(ctx.opts.station ? { station: ctx.opts.station } : {}), ...(ctx.opts.label ? { label: ctx.opts.label } : {}) })
              } catch (err) {
                usage((err as Error).message)
              }
            })()
      const made = await withTokens(ctx, (t) => t.create(input.role, 'station' in input ? (input.station ?? null) : null, input.label ?? null))
      ctx.out.result({ ...made, role: input.role }, () => `token ${made.id} (${input.role}) — shown this once, keep it:\n${made.token}`)
      return
    }
    case 'revoke': {
      const id = idArg(arg, 'the token id')
      await withTokens(ctx, async (t) => {
        try {
          await t.revoke(id)
        } catch (err) {
          if ((err as { code?: string }).code === 'TOKEN_NOT_FOUND') throw new CliError(EXIT.notFound, `no token ${id}`, 'TOKEN_NOT_FOUND')
          throw err
        }
      })
      ctx.out.result({ id, revoked: true }, () => `token ${id} revoked`)
      return
    }
    default:
      usage(`unknown tokens command "${sub}"`)
  }
}

const TEST_DOCUMENT: Record<string, { document: string; list: string }> = {
  zpl: { document: 'client-label', list: '/api/clients?limit=1' },
  epl: { document: 'client-label', list: '/api/clients?limit=1' },
  escpos: { document: 'invoice', list: '/api/invoices?limit=1' },
  pdf: { document: 'client-profile', list: '/api/clients?limit=1' },
}
const FINAL = ['completed', 'canceled', 'aborted']

async function printers(ctx: Ctx): Promise<void> {
  const [sub = 'list', name] = ctx.args
  if (sub === 'list') {
    const { items } = await ctx.server.call<{ items: Json[] }>('GET', '/api/printers')
    ctx.out.result({ items }, () =>
      table(
        ['NAME', 'LANGUAGE', 'URI', 'LOCATION', 'STATE', 'REASONS'],
        items.map((p) => {
          const status = p.status as { state: string; reasons: string[] } | null
          return [p.name as string, p.language as string, p.uri as string, p.location as string, status?.state ?? '(other server)', status?.reasons.join(',')]
        }),
      ),
    )
    return
  }
  if (sub !== 'test') usage(`unknown printers command "${sub}"`)
  if (!name) usage('printers test NAME')
  const printer = await ctx.server.call<Json>('GET', `/api/printers/${encodeURIComponent(name)}`)
  const pick = TEST_DOCUMENT[String(printer.language)]
  const document = typeof ctx.opts.document === 'string' ? ctx.opts.document : pick.document
  let recordId = ctx.opts.record === undefined ? undefined : idArg(String(ctx.opts.record), '--record')
  if (recordId === undefined) {
    const { items } = await ctx.server.call<{ items: Json[] }>('GET', pick.list)
    if (items.length === 0) throw new CliError(EXIT.refused, `no record to print a test ${document} of; pass --record ID`, 'RECORD_NOT_FOUND')
    recordId = items[0].id as number
  }
  const accepted = await ctx.server.call<{ id: number; state: string }>('POST', '/api/print-jobs', { document, recordId, printer: name })
  const waitMs = Number(ctx.opts.wait ?? 30) * 1000
  const until = Date.now() + waitMs
  let job: Json = accepted
  while (!FINAL.includes(String(job.state)) && job.state !== 'held' && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200))
    job = await ctx.server.call<Json>('GET', `/api/print-jobs/${accepted.id}`)
  }
  ctx.out.result(job, () => `job ${accepted.id}: ${document} of record ${recordId} on ${name}: ${String(job.state)}${Array.isArray(job.reasons) && job.reasons.length ? ` (${job.reasons.join(', ')})` : ''}`)
  if (job.state !== 'completed') throw new CliError(EXIT.refused, `test job ${accepted.id} is ${String(job.state)}${Array.isArray(job.reasons) ? ` (${job.reasons.join(', ')})` : ''}`, 'TEST_NOT_PRINTED')
}

async function jobs(ctx: Ctx): Promise<void> {
  const [sub = 'list', arg] = ctx.args
  if (sub === 'list') {
    const q = new URLSearchParams({ order: 'newest', limit: String(ctx.opts.limit ?? 50) })
    if (typeof ctx.opts.state === 'string') q.set('state', ctx.opts.state)
    if (typeof ctx.opts.printer === 'string') q.set('printer', ctx.opts.printer)
    const { items } = await ctx.server.call<{ items: Json[] }>('GET', `/api/print-jobs?${q}`)
    ctx.out.result({ items }, () =>
      table(
        ['ID', 'STATE', 'PRINTER', 'DOCUMENT', 'RECORD', 'PROGRESS', 'REASONS', 'CREATED'],
        items.map((j) => {
          const p = j.progress as { sent: number; total: number }
          return [j.id as number, j.state as string, j.printer as string, j.document as string, j.recordId as number, `${p.sent}/${p.total}`, (j.reasons as string[]).join(','), j.createdAt as string]
        }),
      ),
    )
    return
  }
  if (sub !== 'release' && sub !== 'cancel') usage(`unknown jobs command "${sub}"`)
  const id = idArg(arg, 'the job id')
  const body = sub === 'release' && ctx.opts['resume-at'] !== undefined ? { resumeAt: idArg(String(ctx.opts['resume-at']), '--resume-at') } : undefined
  const job = await ctx.server.call<Json>('POST', `/api/print-jobs/${id}/${sub}`, body)
  ctx.out.result(job, () => `job ${id}: ${String(job.state)}`)
}

async function scanners(ctx: Ctx): Promise<void> {
  const [sub = 'list'] = ctx.args
  if (sub !== 'list') usage(`unknown scanners command "${sub}"`)
  const { items } = await ctx.server.call<{ items: Json[] }>('GET', '/api/scanners')
  ctx.out.result({ items }, () =>
    table(
      ['NAME', 'STATION', 'URI', 'LOCATION', 'CONNECTED', 'LAST SCAN', 'LAST ERROR'],
      items.map((s) => {
        const state = s.state as { connected: boolean; lastScanAt: string | null; lastError: { message: string } | null } | null
        return [s.name as string, s.station as string, s.uri as string, s.location as string, state ? (state.connected ? 'yes' : 'NO') : '(other server)', state?.lastScanAt, state?.lastError?.message]
      }),
    ),
  )
}

async function migrate(ctx: Ctx): Promise<void> {
  const db = await openDatabase(ctx.databaseUrl, false)
  try {
    const { migrateToLatest, migrationStatus } = await import('../store/migrate.ts')
    if (ctx.opts.status) {
      const status = await migrationStatus(db.db as never)
      ctx.out.result(status, () => [...status.applied.map((m) => `applied  ${m}`), ...status.pending.map((m) => `PENDING  ${m}`)].join('\n'))
      if (status.pending.length > 0) throw new CliError(EXIT.refused, `${status.pending.length} migration(s) pending`, 'MIGRATIONS_PENDING')
      return
    }
    const result = await migrateToLatest(db.db as never)
    const ran = (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
    ctx.out.result({ ran }, () => (ran.length ? ran.map((m) => `ran  ${m}`).join('\n') : 'nothing to do: every migration has run'))
  } finally {
    await db.close()
  }
}

async function backupCommand(ctx: Ctx): Promise<void> {
  const [file] = ctx.args
  if (!file) usage('backup FILE')
  const { backup } = await import('./backup.ts')
  const db = await openDatabase(ctx.databaseUrl, false)
  try {
    const result = await backup(db, ctx.databaseUrl, file, { dump: ctx.opts.dump === true }).catch((err: unknown) => {
      if ((err as { code?: string }).code === 'EEXIST') throw new CliError(EXIT.refused, `${file} exists already; choose a new file`, 'BACKUP_EXISTS')
      throw err
    })
    ctx.out.result(result, () => `backed up to ${file} (${result.kind === 'sqlite' ? 'SQLite database file' : 'dump'}, ${result.bytes} bytes)`)
  } finally {
    await db.close()
  }
}

async function restoreCommand(ctx: Ctx): Promise<void> {
  const [file] = ctx.args
  if (!file) usage('restore FILE')
  const { restore } = await import('./backup.ts')
  const result = await restore(() => openDatabase(ctx.databaseUrl, false), ctx.databaseUrl, file)
  ctx.out.result(result, () => `restored ${file} into ${ctx.databaseUrl.replace(/\/\/([^:@/]*):[^@]*@/, '//$1:***@')}`)
}

async function health(ctx: Ctx): Promise<void> {
  let res: Response
  try {
    res = await fetch(`${ctx.server.base}/api/health/ready`, { signal: AbortSignal.timeout(10_000) })
  } catch (err) {
    throw new CliError(EXIT.unreachable, `cannot reach Studio Print at ${ctx.server.base}: ${(err as Error).message}`, 'SERVER_UNREACHABLE')
  }
  const body = (await res.json()) as Json
  ctx.out.result(body, () => (res.ok ? `ready (${String(body.database)}, version ${String(body.version)})` : `NOT READY: ${String(body.code)}: ${String(body.detail)}`))
  if (!res.ok) throw new CliError(EXIT.refused, String(body.detail), String(body.code))
}

const COMMANDS: Record<string, (ctx: Ctx) => Promise<void>> = { tokens, printers, jobs, scanners, migrate, backup: backupCommand, restore: restoreCommand, health }

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  let json = argv.includes('--json')
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        url: { type: 'string' },
        token: { type: 'string' },
        database: { type: 'string' },
        station: { type: 'string' },
        label: { type: 'string' },
        document: { type: 'string' },
        record: { type: 'string' },
        wait: { type: 'string' },
        state: { type: 'string' },
        printer: { type: 'string' },
        limit: { type: 'string' },
        'resume-at': { type: 'string' },
        status: { type: 'boolean' },
        dump: { type: 'boolean' },
      },
    })
    json = values.json === true
    const [command, ...args] = positionals
    if (values.help || command === 'help') {
      process.stdout.write(`${USAGE}\n`)
      return EXIT.ok
    }
    const run = command ? COMMANDS[command] : undefined
    if (!run) usage(command ? `unknown command "${command}"` : 'no command given')
    const fromEnv = loadCliEnv(env)
    await run({
      args,
      opts: values,
      out: createOutput(json),
      server: serverClient(values.url ?? fromEnv.url, values.token ?? fromEnv.token),
      databaseUrl: values.database ?? fromEnv.databaseUrl,
    })
    return EXIT.ok
  } catch (err) {
    const e =
      err instanceof CliError
        ? err
        : /^ERR_PARSE_ARGS/.test(String((err as { code?: string }).code)) // node:util parseArgs: an unknown option or a bad value
          ? new CliError(EXIT.usage, `${(err as Error).message}\n${USAGE}`, 'USAGE')
          : new CliError(EXIT.failed, (err as Error).message, (err as { code?: string }).code ?? 'FAILED')
    if (json) process.stdout.write(`${JSON.stringify({ error: { code: e.code, message: e.message, exitCode: e.exitCode } })}\n`)
    else process.stderr.write(`studio-print: ${e.message}\n`)
    return e.exitCode
  }
}

process.exitCode = await main(process.argv.slice(2))
