import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FileTransport } from '../../../src/drivers/transports/file-transport.ts'
import { TransportUnavailableError, TransportUnsupportedError } from '../../../src/drivers/transports/transport-errors.ts'
import { createPrinterDriver } from '../../../src/drivers/printers/create-printer-driver.ts'
import { silentLog, zplLabel } from './support.ts'

describe('FileTransport', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-printer-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('when a job is written, then only a hidden temp file exists until close() renames it', async () => {
    const t = new FileTransport(`file:${dir}/`, `${dir}/`, { extension: 'zpl', spoolDir: dir })
    await t.open()
    await t.write(zplLabel(1))
    const during = await readdir(dir)
    expect(during).toHaveLength(1)
    expect(during[0]).toMatch(/^\..*\.tmp$/)
    await t.write(zplLabel(2))
    await t.close()
    const after = await readdir(dir)
    expect(after).toHaveLength(1)
    expect(after[0]).toMatch(/\.zpl$/)
    expect(await readFile(join(dir, after[0]))).toEqual(Buffer.concat([zplLabel(1), zplLabel(2)]))
  })

  it('when two jobs go through one transport, then two files appear', async () => {
    const driver = await createPrinterDriver({ name: 'folder', language: 'zpl', uri: `file:${dir}/` }, { log: silentLog, fileSpoolDir: dir })
    expect(await driver.probe()).toMatchObject({ state: 'idle', source: 'none' })
    expect(await driver.print({ id: 'a', units: [zplLabel(1)] })).toMatchObject({ sentUnits: 1, confirmed: false })
    await driver.print({ id: 'b', units: [zplLabel(2), zplLabel(3)] })
    expect((await readdir(dir)).filter((f) => f.endsWith('.zpl'))).toHaveLength(2)
  })

  it('when a job is discarded, then no file is left', async () => {
    const t = new FileTransport(`file:${dir}/`, `${dir}/`, { spoolDir: dir })
    await t.open()
    await t.write(zplLabel(1))
    await t.discard()
    expect(await readdir(dir)).toEqual([])
  })

  it('when the directory is missing, then open() fails as unavailable; request() is unsupported', async () => {
    const t = new FileTransport('file:/nonexistent-printer-dir/', '/nonexistent-printer-dir/', { spoolDir: '/' })
    expect(await t.open().catch((e) => e)).toBeInstanceOf(TransportUnavailableError)
    expect(await t.request().catch((e) => e)).toBeInstanceOf(TransportUnsupportedError)
  })
})
