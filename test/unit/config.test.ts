import { describe, expect, it } from 'vitest'
import { hostname } from 'node:os'
import { loadConfig, serverIdFrom } from '../../src/config.ts'
import { loadPrintingConfig } from '../../src/app/printing/printing-config.ts'

describe('server id (STUDIO_SERVER_ID)', () => {
  it('when it is not set (or empty), then the server id is the host name, for printing too', () => {
    expect(loadConfig({}).serverId).toBe(hostname().slice(0, 80))
    expect(loadConfig({ STUDIO_SERVER_ID: '' }).serverId).toBe(hostname().slice(0, 80))
    expect(loadPrintingConfig({}).serverId).toBe(loadConfig({}).serverId)
  })

  it('when it is set, then it is the server id of the config and of printing', () => {
    expect(loadConfig({ STUDIO_SERVER_ID: 'studio-north' }).serverId).toBe('studio-north')
    expect(loadPrintingConfig({ STUDIO_SERVER_ID: 'studio-north' }).serverId).toBe('studio-north')
  })

  it('when it is longer than 80 characters (the location columns), then it is cut to 80', () => {
    const long = 'x'.repeat(100)
    expect(serverIdFrom({ STUDIO_SERVER_ID: long })).toBe('x'.repeat(80))
    expect(loadConfig({ STUDIO_SERVER_ID: long }).serverId).toHaveLength(80)
    expect(loadPrintingConfig({ STUDIO_SERVER_ID: long }).serverId).toHaveLength(80)
  })
})
