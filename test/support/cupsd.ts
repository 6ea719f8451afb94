/**
 * A private CUPS scheduler for tests and the bench: its own folders and loopback port, never the
 * machine's cupsd. Null when CUPS is not installed (Debian `cups`, `cups-client`).
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { freePort } from './net.ts'

const run = promisify(execFile)

export const CUPS_PRESENT = ['/usr/sbin/cupsd', '/usr/bin/lp', '/usr/sbin/lpadmin', '/usr/bin/lpstat'].every((f) => existsSync(f))

export interface PrivateCups {
  dir: string
  env: NodeJS.ProcessEnv
  /** Runs a CUPS client command (lpadmin, lp, lpstat …) against this scheduler. */
  cmd(command: string, args: string[]): Promise<string>
  stop(): Promise<void>
}

export async function startPrivateCups(): Promise<PrivateCups | null> {
  if (!CUPS_PRESENT) return null
  const dir = mkdtempSync(join(tmpdir(), 'studio-cups-'))
  for (const d of ['spool', 'cache', 'state', 'log', 'tmp']) mkdirSync(join(dir, d))
  const port = await freePort()
  writeFileSync(
    join(dir, 'cupsd.conf'),
    `Listen 127.0.0.1:${port}\nLogLevel debug\nWebInterface No\nBrowsing No\n<Location />\n  Order allow,deny\n  Allow all\n</Location>\n<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n`,
  )
  writeFileSync(
    join(dir, 'cups-files.conf'),
    `ServerRoot ${dir}\nRequestRoot ${join(dir, 'spool')}\nCacheDir ${join(dir, 'cache')}\nStateDir ${join(dir, 'state')}\nTempDir ${join(dir, 'tmp')}\nErrorLog ${join(dir, 'log', 'error_log')}\nAccessLog ${join(dir, 'log', 'access_log')}\nPageLog ${join(dir, 'log', 'page_log')}\nServerBin /usr/lib/cups\nDataDir /usr/share/cups\nSystemGroup root\n`,
  )
  const cupsd = spawn('/usr/sbin/cupsd', ['-f', '-c', join(dir, 'cupsd.conf'), '-s', join(dir, 'cups-files.conf')], { stdio: 'ignore' })
  const exited = new Promise<void>((r) => cupsd.once('exit', () => r()))
  const env = { ...process.env, CUPS_SERVER: `127.0.0.1:${port}` }
  const cmd = async (command: string, args: string[]) => (await run(command, args, { env })).stdout
  for (let i = 0; ; i++) {
    try {
      await cmd('lpstat', ['-r'])
      break
    } catch (err) {
      if (i > 100 || cupsd.exitCode !== null) throw new Error(`private cupsd did not start: ${(err as Error).message}`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }
  return {
    dir,
    env,
    cmd,
    stop: async () => {
      if (cupsd.exitCode === null) cupsd.kill('SIGTERM')
      await exited
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
