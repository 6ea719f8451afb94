/** The DNS-SD advert runs avahi-publish-service (here a stand-in script, or a missing command). */
import { afterEach, describe, expect, it } from 'vitest'
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { startDnsSd, type DnsSdAdvert } from '../../../src/server/ipp/dns-sd.ts'
import { eventually } from '../../support/poll.ts'

/** Log lines as objects (pino to an array). */
function capture(): { log: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = []
  const log = pino({ level: 'info' }, { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) })
  return { log, lines }
}

describe('DNS-SD adverts', () => {
  let advert: DnsSdAdvert | null = null
  afterEach(async () => {
    await advert?.stop()
    advert = null
  })

  it('when avahi-publish-service runs, then it is given _ipp._tcp with the _print subtype, the port and the TXT keys, and is ended at stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'studio-dnssd-'))
    const script = join(dir, 'fake-avahi-publish-service')
    // A stand-in with avahi's command line: records its arguments, then stays up like the real one.
    writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/args-$$"\nexec sleep 30\n`)
    chmodSync(script, 0o755)
    const { log } = capture()
    advert = await startDnsSd({ port: 8631, location: 'studio', printers: async () => [{ name: 'label-zpl', language: 'zpl' }], log, command: script })
    let args: string[] = []
    await eventually(() => {
      const f = readdirSync(dir).find((n: string) => n.startsWith('args-'))
      if (f) args = readFileSync(join(dir, f), 'utf8').trim().split('\n')
      return args.length > 0
    }, 5_000, 'the advert started')
    expect(args.slice(0, 5)).toEqual(['--subtype', '_print._sub._ipp._tcp', 'label-zpl (Studio Print)', '_ipp._tcp', '8631'])
    expect(args).toContain('rp=ipp/print/label-zpl')
    await advert.stop()
    advert = null
  })

  it('when avahi is not installed, then a warning is logged and the server carries on', async () => {
    const { log, lines } = capture()
    advert = await startDnsSd({ port: 8631, location: 'studio', printers: async () => [{ name: 'p', language: 'pdf' }], log, command: '/nonexistent/avahi-publish-service' })
    await eventually(() => lines.some((l) => String(l.msg).startsWith('DNS-SD advert not possible')), 5_000, 'the warning')
    expect(existsSync('/nonexistent')).toBe(false)
  })
})
