import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * Real peers the tests talk to (socat, zbarimg, ippeveprinter, chromium, MariaDB …).
 * A missing peer skips its tests on a developer's machine, but under CI=true it fails the run:
 * a green CI must mean every peer was really exercised.
 */
export const IN_CI = process.env.CI === 'true' || process.env.CI === '1'

export function hasCommand(command: string): boolean {
  if (command.startsWith('/')) return existsSync(command)
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/**
 * Returns true when the peer is there. When it is not: throws under CI (the suite fails),
 * returns false elsewhere so the caller can `describe.skipIf(!peer(...))`.
 */
export function peer(name: string, available: boolean, hint: string): boolean {
  if (available) return true
  const message = `peer "${name}" is missing: ${hint}`
  if (IN_CI) throw new Error(`${message} (CI=true: a missing peer fails the run)`)
  console.warn(`skipping tests that need ${message}`)
  return false
}

export function commandPeer(command: string, debianPackage: string): boolean {
  return peer(command, hasCommand(command), `apt-get install ${debianPackage}`)
}
