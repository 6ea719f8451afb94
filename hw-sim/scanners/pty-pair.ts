import { spawn, type ChildProcess } from 'node:child_process'
import { lstat, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A real serial line for tests: `socat pty,raw,echo=0,link=A pty,raw,echo=0,link=B`. The driver
 * opens `a` (as it would /dev/ttyACM0), the simulated scanner writes into `b`.
 *
 * `stop()` ends socat with SIGTERM (SIGKILL would leave the links dangling) and waits until it
 * has exited and removed the links: to the driver that is an unplug. `start()` again brings the
 * line back at the same link paths (new /dev/pts numbers behind them), like a replug.
 */
export interface PtyPair {
  /** The driver's end (link path). */
  readonly a: string
  /** The device's end (link path). */
  readonly b: string
  readonly running: boolean
  start(): Promise<void>
  stop(): Promise<void>
  /** stop() and remove the temporary directory, when it made one. */
  dispose(): Promise<void>
}

export interface PtyPairOptions {
  /** Directory for the links; a fresh temporary one by default. */
  dir?: string
  /** Link names inside `dir` (default `scanner-host`, `scanner-device`). */
  names?: [string, string]
  /** How long to wait for socat to create the links (default 5000 ms). */
  startTimeoutMs?: number
  socat?: string
}

export async function startPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const madeDir = options.dir === undefined
  const dir = options.dir ?? (await mkdtemp(join(tmpdir(), 'studio-pty-')))
  const [nameA, nameB] = options.names ?? ['scanner-host', 'scanner-device']
  const a = join(dir, nameA)
  const b = join(dir, nameB)
  const timeoutMs = options.startTimeoutMs ?? 5_000
  let child: ChildProcess | null = null
  let exited: Promise<void> = Promise.resolve()
  let stderr = ''

  async function start(): Promise<void> {
    if (child) return
    stderr = ''
    const proc = spawn(options.socat ?? 'socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] })
    child = proc
    proc.stderr?.setEncoding('utf8').on('data', (s: string) => {
      stderr = (stderr + s).slice(-4000)
    })
    exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()))
    // Never leave socat running when the test process ends without calling stop().
    const killOnExit = () => proc.kill('SIGTERM')
    process.once('exit', killOnExit)
    proc.once('exit', () => process.removeListener('exit', killOnExit))
    let failed: Error | null = null
    proc.once('error', (err) => (failed = err))
    proc.once('exit', () => {
      if (child === proc) child = null
    })
    const deadline = Date.now() + timeoutMs
    // socat logs "starting data transfer loop" once both ptys exist and the links are made.
    while (!(stderr.includes('starting data transfer loop') && (await exists(a)) && (await exists(b)))) {
      if (failed) throw new Error(`socat could not start: ${(failed as Error).message}`)
      if (child !== proc) throw new Error(`socat exited before the pty pair was ready: ${stderr.trim()}`)
      if (Date.now() > deadline) {
        await stop()
        throw new Error(`socat did not create ${a} and ${b} within ${timeoutMs} ms: ${stderr.trim()}`)
      }
      await new Promise((r) => setTimeout(r, 10))
    }
  }

  async function stop(): Promise<void> {
    const proc = child
    if (!proc) return
    proc.kill('SIGTERM')
    await exited
    child = null
  }

  await start()
  return {
    a,
    b,
    get running() {
      return child !== null
    },
    start,
    stop,
    async dispose() {
      await stop()
      if (madeDir) await rm(dir, { recursive: true, force: true })
    },
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path)
    return true
  } catch {
    return false
  }
}
