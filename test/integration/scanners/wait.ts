import { once, type EventEmitter } from 'node:events'

/** The next event of that name, or a rejection after `ms`. */
export async function next<T>(emitter: EventEmitter, event: string, ms = 3000): Promise<T> {
  const [value] = await once(emitter, event, { signal: AbortSignal.timeout(ms) })
  return value as T
}

/** Polls until `check()` is truthy, or throws after `ms`. */
export async function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** Collects every event of that name into an array. */
export function collect<T>(emitter: EventEmitter, event: string): T[] {
  const out: T[] = []
  emitter.on(event, (v: T) => out.push(v))
  return out
}

/**
 * Waits until `n` more connection attempts have failed. Each failed retry leaves a new lastError
 * (stamped with its time) in the state, though it emits no 'state' event; this waits for that
 * instead of sleeping for "long enough to retry".
 */
export async function failedRetries(state: () => { lastError: { at: number } | null } | undefined, n: number, ms = 5000): Promise<void> {
  const from = state()?.lastError?.at
  const seen = new Set<number>()
  await until(() => {
    const at = state()?.lastError?.at
    if (at !== undefined && at !== from) seen.add(at)
    return seen.size >= n
  }, ms, `${n} failed retries`)
}
