/** The render worker pool (environment, all optional; read by the configuration schema, src/config/env-schema.ts). */
export interface RenderConfig {
  /** STUDIO_RENDER_WORKERS: worker threads that render (default: cores − 1, 2 to 4). */
  workers: number
  /** STUDIO_RENDER_TIMEOUT_MS: wall-clock limit of one render task; past it the worker is ended. */
  timeoutMs: number
  /** STUDIO_RENDER_MEMORY_MB: JavaScript heap limit of each worker (V8 old generation). */
  memoryMb: number
  /** STUDIO_RENDER_QUEUE: render tasks that may wait for a worker; more: 503 RENDER_BUSY. */
  maxQueue: number
  /**
   * A worker whose JavaScript heap is past this many MB after a finished render is replaced
   * (returns memory a big render made it grow to); default half of memoryMb, at least 96.
   */
  recycleHeapMb: number
  /** A worker is replaced after this many finished renders whatever its heap (a backstop). */
  tasksPerWorker: number
}
