/**
 * Slows repeated failed sign-ins per client address (bearer tokens and the sign-in form alike).
 * The first FREE_FAILURES failures cost nothing; from then on every failure locks the address out
 * for a delay that doubles (1 s, 2 s, 4 s … up to 15 minutes), and every request from it during
 * the lock-out is refused (429 with Retry-After) without its credential being looked at. A
 * success, or 15 minutes without a failure, forgets the address. In memory, per server.
 */
export const FREE_FAILURES = 10
export const FIRST_DELAY_MS = 1_000
export const MAX_DELAY_MS = 15 * 60_000
export const FORGET_AFTER_MS = 15 * 60_000
/** At most this many addresses are remembered; the longest-quiet one is forgotten first. */
export const MAX_ADDRESSES = 10_000

interface Entry {
  failures: number
  lastFailureAt: number
  blockedUntil: number
}

export class AuthThrottle {
  private readonly entries = new Map<string, Entry>()

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds to wait when the address is locked out now, else null. */
  retryAfter(address: string): number | null {
    const e = this.current(address)
    if (!e || e.blockedUntil <= this.now()) return null
    return Math.max(1, Math.ceil((e.blockedUntil - this.now()) / 1000))
  }

  /** Counts a failure; returns how many this address has now. */
  fail(address: string): number {
    const now = this.now()
    const e = this.current(address) ?? { failures: 0, lastFailureAt: now, blockedUntil: 0 }
    e.failures++
    e.lastFailureAt = now
    if (e.failures >= FREE_FAILURES) e.blockedUntil = now + Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (e.failures - FREE_FAILURES))
    this.entries.delete(address)
    this.entries.set(address, e)
    if (this.entries.size > MAX_ADDRESSES) this.entries.delete(this.entries.keys().next().value as string)
    return e.failures
  }

  succeed(address: string): void {
    this.entries.delete(address)
  }

  private current(address: string): Entry | null {
    const e = this.entries.get(address)
    if (!e) return null
    if (this.now() - e.lastFailureAt > FORGET_AFTER_MS && e.blockedUntil <= this.now()) {
      this.entries.delete(address)
      return null
    }
    return e
  }
}
