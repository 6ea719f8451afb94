import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTransport } from '../../../src/drivers/transports/create-transport.ts'
import { createPrinterDriver } from '../../../src/drivers/printers/create-printer-driver.ts'
import { FileTransport } from '../../../src/drivers/transports/file-transport.ts'
import { checkDeviceNode } from '../../../src/drivers/transports/printer-uri-policy.ts'
import { commandPeer } from '../../support/peers.ts'
import { pollFor } from '../../support/poll.ts'
import { ZplPrinterSim } from '../../../hw-sim/printers/index.ts'
import { silentLog, zplLabel } from './support.ts'

describe('file: printers are confined to the spool folder', () => {
  let root: string
  let spool: string
  let outside: string
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'spool-test-'))
    spool = join(root, 'spool')
    outside = join(root, 'outside')
    mkdirSync(join(spool, 'office'), { recursive: true })
    mkdirSync(outside)
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it('when no spool folder is named, then no file: transport is made (FILE_PRINTERS_DISABLED)', async () => {
    await expect(createTransport(`file:${spool}/office/`)).rejects.toMatchObject({ code: 'FILE_PRINTERS_DISABLED' })
    await expect(createTransport(`file:${outside}/`, { fileSpoolDir: spool })).rejects.toMatchObject({ code: 'PRINTER_FILE_OUTSIDE_SPOOL' })
  })

  it('when a symlink planted in the spool folder points out of it, then the job is refused and nothing is written outside', async () => {
    symlinkSync(outside, join(spool, 'escape'))
    const driver = await createPrinterDriver({ name: 'planted', language: 'zpl', uri: `file:${spool}/escape/` }, { log: silentLog, fileSpoolDir: spool })
    const err = await driver.print({ id: 'a', units: [zplLabel(1)] }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'PRINTER_UNREACHABLE' })
    expect(String((err as Error).message)).toContain('outside the spool folder')
    expect(readdirSync(outside)).toEqual([])
    expect(readdirSync(join(spool, 'office'))).toEqual([])
  })

  it('when the spool folder itself is reached through a symlink, then jobs inside it still print', async () => {
    const alias = join(root, 'alias')
    symlinkSync(spool, alias)
    const t = new FileTransport(`file:${alias}/office/`, `${alias}/office/`, { spoolDir: spool, extension: 'zpl' })
    await t.open()
    await t.write(zplLabel(1))
    await t.close()
    expect(readdirSync(join(spool, 'office'))).toHaveLength(1)
  })

  it('when a job is written, then the file is owner-only (0600)', async () => {
    const t = new FileTransport(`file:${spool}/office/`, `${spool}/office/`, { spoolDir: spool, extension: 'zpl' })
    await t.open()
    await t.write(zplLabel(1))
    await t.close()
    expect(statSync(t.lastPath!).mode & 0o777).toBe(0o600)
    expect(readFileSync(t.lastPath!)).toEqual(Buffer.from(zplLabel(1)))
  })
})

describe('usb: and serial: paths must resolve to device nodes', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'devnode-test-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('when a device path resolves to a plain file or a non-printer device, then it is refused before anything is opened', async () => {
    const keys = join(dir, 'authorized_keys')
    writeFileSync(keys, 'ssh-ed25519 AAAA original\n')
    symlinkSync(keys, join(dir, 'to-file'))
    symlinkSync('/dev/null', join(dir, 'to-null'))
    for (const path of [join(dir, 'to-file'), join(dir, 'to-null'), keys]) {
      await expect(checkDeviceNode({ kind: 'serial', uri: `serial:${path}`, path, baudRate: 9600 })).rejects.toMatchObject({ code: 'PRINTER_DEVICE_PATH_INVALID' })
      await expect(checkDeviceNode({ kind: 'usb-lp', uri: `usb:${path}`, path })).rejects.toMatchObject({ code: 'PRINTER_DEVICE_PATH_INVALID' })
    }
    expect(readFileSync(keys, 'utf8')).toBe('ssh-ed25519 AAAA original\n')
  })

  it('when the device is not plugged in, then the check leaves it to the transport (unavailable, retried)', async () => {
    await expect(checkDeviceNode({ kind: 'usb-lp', uri: 'usb:/dev/usb/lp97', path: '/dev/usb/lp97' })).resolves.toBeUndefined()
  })

  describe.skipIf(!commandPeer('socat', 'socat'))('a real pty (socat)', () => {
    let socat: ChildProcess | undefined
    afterEach(() => {
      socat?.kill('SIGTERM')
    })
    it('when a link points to a real pty, then the pty is accepted; the link itself is not a device path', async () => {
      socat = spawn('socat', [`pty,raw,echo=0,link=${dir}/a`, `pty,raw,echo=0,link=${dir}/b`], { stdio: 'ignore' })
      const until = Date.now() + 5_000
      while (!existsSync(`${dir}/a`)) {
        if (Date.now() > until) throw new Error('socat did not create the ptys')
        await new Promise((r) => setTimeout(r, 20))
      }
      const pty = realpathSync(`${dir}/a`)
      expect(pty).toMatch(/^\/dev\/pts\/\d+$/)
      await expect(checkDeviceNode({ kind: 'serial', uri: `serial:${pty}`, path: pty, baudRate: 9600 })).resolves.toBeUndefined()
      await expect(createTransport(`serial:${dir}/a`)).rejects.toMatchObject({ code: 'PRINTER_DEVICE_PATH_INVALID' })
    })
  })
})

describe('what the demo printers leave on disk', () => {
  it('when a simulated printer renders a label, then its files are owner-only (0600) in a 0700 folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sim-render-'))
    const out = join(root, 'printed')
    const sim = new ZplPrinterSim('demo-zpl', { renderTo: out })
    try {
      await sim.listen()
      const driver = await createPrinterDriver({ name: 'demo', language: 'zpl', uri: sim.uri }, { log: silentLog })
      await driver.print({ id: 'm', units: [zplLabel(1)] })
      const files = await pollFor('the rendered files', async () => {
        const names = existsSync(out) ? readdirSync(out) : []
        return names.length === 2 ? names.sort() : null
      })
      expect(files).toEqual(['demo-zpl-0001.png', 'demo-zpl-0001.zpl'])
      expect(files.map((f) => statSync(join(out, f)).mode & 0o777)).toEqual([0o600, 0o600])
      expect(statSync(out).mode & 0o777).toBe(0o700)
    } finally {
      await sim.close()
      rmSync(root, { recursive: true, force: true })
    }
  })
})
