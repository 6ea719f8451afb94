import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { freePort } from '../../support/net.ts'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))

export interface ServerProcess {
  child: ChildProcess
  url: string
  /** Everything the process wrote so far (pino JSON lines). */
  output(): string
  api(path: string, init?: RequestInit & { json?: unknown }): Promise<Response>
  /** SIGKILL, then waits for the exit. */
  kill9(): Promise<void>
  /** SIGTERM (graceful stop), then waits for the exit. */
  stop(): Promise<void>
}


/** A real Studio Print server process (`node --import tsx src/main.ts`) on a free port; resolves once /api/health answers. `nodeArgs` go before the script (e.g. `--cpu-prof`). */
export async function spawnServer(env: Record<string, string>, token: string, options: { nodeArgs?: string[] } = {}): Promise<ServerProcess> {
  const port = await freePort()
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', STUDIO_DEMO: '0', STUDIO_ADMIN_TOKEN: token, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()))
  let exitCode: number | null | undefined
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code
      resolve()
    }),
  )
  const url = `http://127.0.0.1:${port}`
  // Generous: a loaded CI machine may take a while to start a process.
  const until = Date.now() + 60_000
  for (;;) {
    if (exitCode !== undefined) throw new Error(`server exited with ${exitCode}:\n${out}`)
    if (Date.now() > until) {
      child.kill('SIGKILL')
      throw new Error(`server did not start:\n${out}`)
    }
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false)
    if (ok) break
    await new Promise((r) => setTimeout(r, 50))
  }
  return {
    child,
    url,
    output: () => out,
    api: (path, init = {}) => {
      const { json, ...rest } = init
      const headers = new Headers(rest.headers)
      headers.set('authorization', `Bearer ${token}`)
      if (json !== undefined) headers.set('content-type', 'application/json')
      return fetch(url + path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body })
    },
    kill9: async () => {
      child.kill('SIGKILL')
      await exited
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
  }
}
