import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface CliRun {
  code: number
  stdout: string
  stderr: string
  json<T = Record<string, unknown>>(): T
}

/** Runs `studio-print ARGS…` as its own process (bin/studio-print.js), as IT would. */
export function cli(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/studio-print.js', ...args], { cwd: ROOT, env: { ...process.env, STUDIO_TOKEN: '', STUDIO_ADMIN_TOKEN: '', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0
      resolve({ code, stdout, stderr, json: <T>() => JSON.parse(stdout) as T })
    })
  })
}
