import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config/load-config.ts'

describe('STUDIO_SCAN_EVENTS_POLL_MS', () => {
  it('when it is unset, then station streams poll the scan log every 500 ms; when set, as set', () => {
    expect(loadConfig({}).scanEventsPollMs).toBe(500)
    expect(loadConfig({ STUDIO_SCAN_EVENTS_POLL_MS: '2000' }).scanEventsPollMs).toBe(2000)
  })

  for (const bad of ['0', '49', '60001', 'fast', '-5', '1e3']) {
    it(`when it is "${bad}", then the start stops with CONFIG_INVALID`, () => {
      expect(() => loadConfig({ STUDIO_SCAN_EVENTS_POLL_MS: bad })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }))
    })
  }
})
