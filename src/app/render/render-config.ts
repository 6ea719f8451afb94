import { availableParallelism } from 'node:os'

/** The render worker pool (environment, all optional). */
export interface RenderConfig {
  /** STUDIO_RENDER_WORKERS: worker threads that render (default: cores − 1, 2 to 4). */
  workers: number
  /** STUDIO_RENDER_TIMEOUT_MS: wall-clock limit of one render task; past it the worker is ended. */
  timeoutMs: number
  /** STUDIO_RENDER_MEMORY_MB: JavaScript heap limit of each worker (V8 old generation). */
  memoryMb: number
  /** STUDIO_RENDER_QUEUE: render tasks that may wait for a worker; more: 503 RENDER_BUSY. */
  maxQueue: number
  /** A worker is replaced after this many tasks (returns memory a renderer grew to). */
  tasksPerWorker: number
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number ≥ ${min}, not "${raw}"`)
  return n
}

export function loadRenderConfig(env: NodeJS.ProcessEnv = process.env): RenderConfig {
  return {
    workers: int(env, 'STUDIO_RENDER_WORKERS', Math.min(4, Math.max(2, availableParallelism() - 1)), 1),
    timeoutMs: int(env, 'STUDIO_RENDER_TIMEOUT_MS', 30_000, 100),
    memoryMb: int(env, 'STUDIO_RENDER_MEMORY_MB', 512, 64),
    maxQueue: int(env, 'STUDIO_RENDER_QUEUE', 64, 1),
    tasksPerWorker: 500,
  }
}
