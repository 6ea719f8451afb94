import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import net from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { commandPeer } from '../../support/peers.ts'
import { freePort } from '../../support/net.ts'

/** Whether ippeveprinter and dbus-daemon are here (under CI=true a missing one fails the run). */
export function ippeveprinterPeer(): boolean {
  return commandPeer('ippeveprinter', 'cups-ipp-utils') && commandPeer('dbus-daemon', 'dbus-daemon')
}

export interface IppEvePrinterOptions {
  /** Printer name (shows as printer-name). Default 'Studio Test'. */
  name?: string
  /** document-format-supported; default ['application/pdf', 'image/pwg-raster']. */
  formats?: string[]
  /** The -c command each job runs; default /bin/true (completed). /bin/false makes jobs abort. */
  command?: string
  /** How long to wait for it to listen. Default 10 s. */
  startTimeoutMs?: number
}

export interface IppEvePrinter {
  /** ipp://localhost:PORT/ipp/print */
  uri: string
  port: number
  /** Where it keeps documents (-k): byte-identical copies of what was printed. */
  spoolDir: string
  /** Every file in the spool dir, recursively (newest last). */
  spooledFiles(): Promise<string[]>
  /** The kept documents only (the `.prn` files the -c command leaves beside them excluded). */
  spooledDocuments(): Promise<string[]>
  /** Output of ippeveprinter so far (for failure messages). */
  output(): string
  stop(): Promise<void>
}

/**
 * Starts a real `ippeveprinter` on a free port with its own private D-Bus (it wants one), as
 * DEPENDENCIES.md describes: `-r off -n localhost -p PORT -d SPOOL -k -c /bin/true -f FORMATS`.
 * Resolves when it accepts connections. Call stop() after (kills both, removes the dirs).
 */
export async function startIppEvePrinter(opts: IppEvePrinterOptions = {}): Promise<IppEvePrinter> {
  const dir = await mkdtemp(join(tmpdir(), 'ippeve-'))
  const spoolDir = join(dir, 'spool')
  const { mkdir } = await import('node:fs/promises')
  await mkdir(spoolDir)
  const sock = join(dir, 'dbus.sock')
  const procs: ChildProcess[] = []
  let out = ''
  const stop = async () => {
    for (const p of procs.reverse()) {
      if (p.exitCode === null && p.signalCode === null) {
        const exited = new Promise<void>((r) => p.once('exit', () => r()))
        p.kill('SIGTERM')
        await Promise.race([exited, new Promise((r) => setTimeout(r, 2_000))])
        if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL')
      }
    }
    await rm(dir, { recursive: true, force: true })
  }
  try {
    const dbus = spawn('dbus-daemon', ['--session', `--address=unix:path=${sock}`, '--nofork', '--nopidfile'], { stdio: 'ignore' })
    procs.push(dbus)
    await waitFor(async () => (await stat(sock).catch(() => undefined)) !== undefined, 5_000, 'dbus-daemon socket')
    const port = await freePort()
    const env = { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${sock}`, DBUS_SESSION_BUS_ADDRESS: `unix:path=${sock}` }
    const formats = (opts.formats ?? ['application/pdf', 'image/pwg-raster']).join(',')
    const eve = spawn(
      'ippeveprinter',
      ['-r', 'off', '-n', 'localhost', '-p', String(port), '-d', spoolDir, '-k', '-c', opts.command ?? '/bin/true', '-f', formats, opts.name ?? 'Studio Test'],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    )
    procs.push(eve)
    eve.stdout!.on('data', (d) => (out += d))
    eve.stderr!.on('data', (d) => (out += d))
    await waitFor(() => canConnect(port), opts.startTimeoutMs ?? 10_000, `ippeveprinter on port ${port}`, () => out)
    return {
      uri: `ipp://localhost:${port}/ipp/print`,
      port,
      spoolDir,
      spooledFiles: () => listFiles(spoolDir),
      spooledDocuments: async () => (await listFiles(spoolDir)).filter((f) => !f.endsWith('.prn')),
      output: () => out,
      stop,
    }
  } catch (err) {
    await stop()
    throw err
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true })
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath ?? (e as unknown as { path: string }).path, e.name))
  const withTime = await Promise.all(files.map(async (f) => ({ f, t: (await stat(f)).mtimeMs })))
  return withTime.sort((a, b) => a.t - b.t).map((x) => x.f)
}


function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createConnection({ host: 'localhost', port })
    s.once('connect', () => (s.destroy(), resolve(true)))
    s.once('error', () => resolve(false))
  })
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string, output?: () => string): Promise<void> {
  const until = Date.now() + timeoutMs
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`timed out waiting for ${what}${output ? `: ${output().slice(-2000)}` : ''}`)
}
