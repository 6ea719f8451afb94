import { CliError, EXIT, exitOfStatus } from './exit-codes.ts'

export interface ServerClient {
  base: string
  call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>
}

/** The running server's API, as the commands that need it (printers, jobs, scanners) use it. */
export function serverClient(base: string, token: string | undefined): ServerClient {
  const root = base.replace(/\/$/, '')
  return {
    base: root,
    async call<T>(method: string, path: string, body?: unknown): Promise<T> {
      if (!token) throw new CliError(EXIT.unauthorized, 'set STUDIO_TOKEN (or --token) to an admin or client token of the server; make one with: studio-print tokens create admin', 'TOKEN_MISSING')
      const headers: Record<string, string> = { authorization: `Bearer ${token}` }
      if (body !== undefined) headers['content-type'] = 'application/json'
      let res: Response
      try {
        res = await fetch(root + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(30_000) })
      } catch (err) {
        throw new CliError(EXIT.unreachable, `cannot reach Studio Print at ${root} (${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}); is it running? set STUDIO_URL`, 'SERVER_UNREACHABLE')
      }
      const text = await res.text()
      let parsed: unknown = undefined
      try {
        parsed = text ? JSON.parse(text) : undefined
      } catch {
        parsed = undefined
      }
      if (res.status >= 400) {
        const problem = (parsed ?? {}) as { code?: string; detail?: string }
        throw new CliError(exitOfStatus(res.status), `${res.status} ${problem.code ?? ''}: ${problem.detail ?? text.slice(0, 200)}`, problem.code ?? `HTTP_${res.status}`)
      }
      return parsed as T
    },
  }
}
