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
