import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/config/load-config.ts'
import { instanceId } from '../../../src/compose/module.ts'
import { splitUnits, requestHash, printJobInput } from '../../../src/app/printing/print-jobs.ts'
import { hostname } from 'node:os'

describe('printing config', () => {
  it('when nothing is set, then the server id is the host name and the timings have defaults', () => {
    const c = loadConfig({})
    expect(c.serverId).toBe(hostname())
    expect(instanceId()).toMatch(new RegExp(`^${hostname()}:${process.pid}:[0-9a-f]{6}$`))
    expect(c.printing).toMatchObject({ leaseMs: 30_000, retryMs: 1_000, retryMaxMs: 30_000, pollMs: 2_000 })
  })

  it('when a timing is not a positive integer, then loading fails with its name', () => {
    expect(() => loadConfig({ STUDIO_PRINT_LEASE_MS: 'soon' })).toThrow(/STUDIO_PRINT_LEASE_MS/)
    expect(() => loadConfig({ STUDIO_PRINT_POLL_MS: '0' })).toThrow(/STUDIO_PRINT_POLL_MS/)
  })
})

describe('print job helpers', () => {
  it('when a payload is split by its unit lengths, then the units come back in order', () => {
    const units = splitUnits(Buffer.from('aabbbc'), [2, 3, 1]).map((u) => Buffer.from(u).toString())
    expect(units).toEqual(['aa', 'bbb', 'c'])
  })
  it('when two requests differ only in defaults, then their hashes agree; a different copy count differs', () => {
    const a = printJobInput.parse({ document: 'client-label', recordId: 1, printer: 'p' })
    const b = printJobInput.parse({ document: 'client-label', recordId: 1, printer: 'p', copies: 1 })
    const c = printJobInput.parse({ document: 'client-label', recordId: 1, printer: 'p', copies: 2 })
    expect(requestHash(a)).toBe(requestHash(b))
    expect(requestHash(a)).not.toBe(requestHash(c))
  })
  it('when both recordId and recordIds (or neither) are given, then the input is refused', () => {
    expect(printJobInput.safeParse({ document: 'client-label', recordId: 1, recordIds: [1], printer: 'p' }).success).toBe(false)
    expect(printJobInput.safeParse({ document: 'client-label', printer: 'p' }).success).toBe(false)
  })
})
