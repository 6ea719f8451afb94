import { describe, expect, it } from 'vitest'
import { DEFAULT_DEBOUNCE_MS, ScanDebouncer } from '../../../src/drivers/scanners/scan-debounce.ts'
import { ManualClock } from '../../../hw-sim/scanners/manual-clock.ts'

describe('ScanDebouncer', () => {
  it('when the same code is read twice at one station within the window, then the second is a duplicate', () => {
    const clock = new ManualClock()
    const d = new ScanDebouncer(undefined, clock)
    expect(d.windowMs).toBe(DEFAULT_DEBOUNCE_MS)
    const first = clock.now()
    expect(d.check('lab-out', 'PO-000001')).toEqual({ duplicate: false })
    clock.advance(1499)
    expect(d.check('lab-out', 'PO-000001')).toEqual({ duplicate: true, firstAt: first })
  })

  it('when the window has passed, then the same code is accepted again', () => {
    const clock = new ManualClock()
    const d = new ScanDebouncer(1500, clock)
    d.check('s', 'PO-1')
    clock.advance(1500)
    expect(d.check('s', 'PO-1').duplicate).toBe(false)
  })

  it('when duplicates keep coming, then the window runs from the last accepted read, not the last seen', () => {
    const clock = new ManualClock()
    const d = new ScanDebouncer(1000, clock)
    d.check('s', 'PO-1')
    clock.advance(600)
    expect(d.check('s', 'PO-1').duplicate).toBe(true)
    clock.advance(600)
    expect(d.check('s', 'PO-1').duplicate).toBe(false)
  })

  it('when another station or another code is read, then it is not a duplicate', () => {
    const d = new ScanDebouncer(1500, new ManualClock())
    d.check('a', 'PO-1')
    expect(d.check('b', 'PO-1').duplicate).toBe(false)
    expect(d.check('a', 'PO-2').duplicate).toBe(false)
  })

  it("when the scan's own time is passed, then it is used instead of the clock", () => {
    const d = new ScanDebouncer(1500, { now: () => 0 })
    d.check('s', 'X', 10_000)
    expect(d.check('s', 'X', 11_000).duplicate).toBe(true)
    expect(d.check('s', 'X', 11_600).duplicate).toBe(false)
  })

  it('when many codes age out, then old entries are pruned', () => {
    const clock = new ManualClock()
    const d = new ScanDebouncer(100, clock)
    for (let i = 0; i < 50; i++) d.check('s', `C-${i}`)
    clock.advance(200)
    d.check('s', 'C-new')
    expect(d.size).toBe(1)
  })
})
