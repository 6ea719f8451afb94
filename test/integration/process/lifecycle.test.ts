import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import http from 'node:http'
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { RENDER_NICE } from '../../../src/app/render/render-nice.ts'
import { freePort } from '../../support/net.ts'
import { processGone, threadsAtNice } from '../../support/proc.ts'
import { eventually } from '../../support/poll.ts'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function startProcess(env: Record<string, string>): { child: ChildProcess; output: () => string; ready: Promise<string> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()))
  const ready = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out)
      if (m) {
        clearInterval(timer)
        resolve(m[1])
      }
    }, 50)
    child.once('exit', (code) => {
      clearInterval(timer)
      reject(new Error(`server exited with ${code}: ${out}`))
    })
  })
  return { child, output: () => out, ready }
}

const exited = (child: ChildProcess) => new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))

describe('the server process', () => {
  it('when started bare the first time, then it prints an admin token once; the second start does not; demo seeds once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-life-'))
    dirs.push(dir)
    const env = { DATABASE_URL: `sqlite:${join(dir, 'studio.db')}`, STUDIO_DEMO: '1' }
    const first = startProcess(env)
    const url = await first.ready
    const token = /\n\s+(sp_[A-Za-z0-9_-]+)\n/.exec(first.output())?.[1]
    expect(token).toBeTruthy()
    expect(first.output().match(new RegExp(token!, 'g'))).toHaveLength(1)
    const clients = (await (await fetch(`${url}/api/clients`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: unknown[] }
    expect(clients.items.length).toBe(3)
    first.child.kill('SIGTERM')
    expect(await exited(first.child)).toBe(0)

    const second = startProcess(env)
    const url2 = await second.ready
    expect(second.output()).not.toMatch(/sp_[A-Za-z0-9_-]{20,}/)
    const again = (await (await fetch(`${url2}/api/clients`, { headers: { authorization: `Bearer ${token}` } })).json()) as { items: unknown[] }
    expect(again.items.length).toBe(3)
    second.child.kill('SIGTERM')
    expect(await exited(second.child)).toBe(0)
  })

  it('when the server starts, then its render workers start with it, at the render priority, before any render is asked for', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-life-'))
    dirs.push(dir)
    const p = startProcess({ DATABASE_URL: `sqlite:${join(dir, 'studio.db')}`, STUDIO_ADMIN_TOKEN: 'sp_lifecycle_token_1234567890', STUDIO_RENDER_WORKERS: '2' })
    await p.ready
    const pid = p.child.pid!
    // Threads of the process at the render priority: the two workers' own, and the thread each
    // starts as it loads (under tsx, its loader's). Before, none until the first render.
    try {
      await eventually(() => threadsAtNice(pid, RENDER_NICE) >= 4, 20_000, 'the render workers at nice 10')
    } catch (err) {
      // Not left running when the check fails.
      p.child.kill('SIGKILL')
      throw err
    }
    p.child.kill('SIGTERM')
    expect(await exited(p.child)).toBe(0)
  })

  it('when the process that started the server is gone (nothing reads its output any more), then SIGTERM still stops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-life-'))
    dirs.push(dir)
    // A parent that starts the server with piped output, waits until it listens, and exits.
    const parent = `
      const { spawn } = require('node:child_process')
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { stdio: ['ignore', 'pipe', 'pipe'] })
      let out = ''
      child.stdout.on('data', (d) => { out += d; if (out.includes('listening')) { console.log(child.pid); process.exit(0) } })`
    const env = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', DATABASE_URL: `sqlite:${join(dir, 'studio.db')}`, STUDIO_ADMIN_TOKEN: 'sp_lifecycle_token_1234567890' }
    const launcher = spawn(process.execPath, ['-e', parent], { env, stdio: ['ignore', 'pipe', 'inherit'] })
    let printed = ''
    launcher.stdout!.on('data', (d: Buffer) => (printed += d.toString()))
    expect(await exited(launcher)).toBe(0)
    const pid = Number(printed.trim())
    expect(pid).toBeGreaterThan(0)
    const gone = () => processGone(pid)
    expect(gone()).toBe(false)
    process.kill(pid, 'SIGTERM')
    try {
      // Before, it logged "stopped" to a closed pipe and then retried that write every 100 ms for ever.
      await eventually(gone, 15_000, 'the server gone after SIGTERM')
    } finally {
      if (!gone()) process.kill(pid, 'SIGKILL')
    }
  })

  it('when what reads the server\'s output is stuck (a full pipe nobody reads), then SIGTERM still stops it, within seconds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-life-'))
    dirs.push(dir)
    const fifo = join(dir, 'output')
    execFileSync('mkfifo', [fifo])
    // A reader that holds the pipe open and never reads it.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK)
    const writer = openSync(fifo, 'w')
    const port = await freePort()
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', DATABASE_URL: `sqlite:${join(dir, 'studio.db')}`, STUDIO_ADMIN_TOKEN: 'sp_lifecycle_token_1234567890' },
      stdio: ['ignore', writer, 'ignore'],
    })
    closeSync(writer)
    const exitCode = exited(child)
    try {
      // The port is chosen here: the log that says it is never read.
      await eventually(() => fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false), 30_000, 'the server answering')
      // Each request logs a line of ~300 bytes: 600 of them are far more than the pipe holds (64 KiB).
      const long = 'x'.repeat(200)
      for (let i = 0; i < 600; i++) await fetch(`http://127.0.0.1:${port}/api/nothing-${long}-${i}`).then((r) => r.arrayBuffer())
      child.kill('SIGTERM')
      // Before, pino's exit-time flush retried the write to the full pipe every 100 ms for ever.
      let bound: NodeJS.Timeout | undefined
      const code = await Promise.race([exitCode, new Promise<string>((r) => (bound = setTimeout(() => r('still running 15 s after SIGTERM'), 15_000)))])
      clearTimeout(bound)
      expect(code).toBe(0)
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      closeSync(reader)
    }
  })

  it('when SIGTERM arrives during a request, then the request finishes and the process exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-life-'))
    dirs.push(dir)
    const p = startProcess({ DATABASE_URL: `sqlite:${join(dir, 'studio.db')}`, STUDIO_ADMIN_TOKEN: 'sp_lifecycle_token_1234567890' })
    const url = await p.ready
    // A slow upload: the body comes after the signal. `Expect: 100-continue` makes the server say
    // when it has taken the request (before, the test waited 100 ms and hoped it had).
    const body = Buffer.from(JSON.stringify({ lastName: 'Inflight', notes: 'x'.repeat(15_000) }))
    const { port } = new URL(url)
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/clients', headers: { authorization: 'Bearer sp_lifecycle_token_1234567890', 'content-type': 'application/json', 'content-length': body.length, expect: '100-continue' } })
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let text = ''
        res.on('data', (d: Buffer) => (text += d.toString()))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      })
      req.on('error', reject)
    })
    req.write(body.subarray(0, 100))
    await new Promise<void>((resolve) => req.once('continue', () => resolve()))
    p.child.kill('SIGTERM')
    // The rest of the body only once the server is stopping: the request is in flight through it.
    await eventually(() => p.output().includes('"msg":"stopping'), 10_000, 'the server stopping')
    req.end(body.subarray(100))
    const res = await answered
    expect(res.status, res.text).toBe(201)
    expect(await exited(p.child)).toBe(0)
    expect(p.output()).toMatch(/"msg":"stopped"/)
    expect(p.output()).not.toContain('sp_lifecycle_token_1234567890')
  })
})
