import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { commandPeer } from '../../support/peers.ts'

const run = promisify(execFile)
const UNIT = new URL('../../../deploy/studio-print.service', import.meta.url)
const dir = mkdtempSync(join(tmpdir(), 'studio-unit-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function verify(text: string): Promise<{ code: number; stderr: string }> {
  const path = join(dir, 'studio-print.service')
  writeFileSync(path, text)
  try {
    const { stderr } = await run('systemd-analyze', ['verify', '--man=no', path], { env: { ...process.env, SYSTEMD_LOG_TARGET: 'console' } })
    return { code: 0, stderr }
  } catch (err) {
    const e = err as { code: number; stderr: string }
    return { code: e.code, stderr: e.stderr }
  }
}

/** The [Service] settings of a unit file, each key with all its values. */
function settings(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z]+)=(.*)$/.exec(line.trim())
    if (m) out.set(m[1], [...(out.get(m[1]) ?? []), m[2]])
  }
  return out
}

describe.skipIf(!commandPeer('systemd-analyze', 'systemd'))('deploy/studio-print.service', () => {
  const text = readFileSync(UNIT, 'utf8')

  it('when systemd-analyze verifies the unit, then it finds nothing wrong', async () => {
    const result = await verify(text)
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
  })

  it('when the unit carries a mistake, then the same check reports it (the check is real)', async () => {
    const result = await verify(text.replace('Restart=on-failure', 'Restart=sometimes'))
    expect(result.stderr, JSON.stringify(result)).toMatch(/restart specifier.*sometimes/)
  })

  it('when read, then it restarts on failure, runs as its own user with a state directory, and is hardened', () => {
    const s = settings(text)
    expect(s.get('Restart')).toEqual(['on-failure'])
    expect(s.get('User')).toEqual(['studio-print'])
    expect(s.get('StateDirectory')).toEqual(['studio-print'])
    expect(s.get('ProtectSystem')).toEqual(['strict'])
    expect(s.get('NoNewPrivileges')).toEqual(['yes'])
    expect(s.get('PrivateTmp')).toEqual(['yes'])
    expect(s.get('DevicePolicy')).toEqual(['closed'])
    expect(s.get('DeviceAllow')).toEqual(expect.arrayContaining(['char-ttyUSB rw', 'char-ttyACM rw', 'char-usb rw']))
    expect(s.get('Environment')).toContain('DATABASE_URL=sqlite:/var/lib/studio-print/studio.db')
  })
})
