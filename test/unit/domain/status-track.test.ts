import { describe, expect, it } from 'vitest'
import { DEFAULT_TRACK, decideAdvance, dueDate, validateTrack, sequenceOf, type StatusTrack } from '../../../src/domain/status-track.ts'
import { thrownBy } from '../../support/thrown.ts'

const refusal = (code: string) => expect.objectContaining({ code })

describe('status tracks', () => {
  it('when the default track is checked, then it is valid and in DOMAIN.md order', () => {
    expect(() => validateTrack(DEFAULT_TRACK)).not.toThrow()
    expect(sequenceOf(DEFAULT_TRACK).map((s) => s.key)).toEqual([
      'entered', 'retouching', 'ready-to-send', 'sent-to-lab', 'received-from-lab', 'finishing', 'ready-for-pickup', 'picked-up',
    ])
  })

  it('when an order advances without a target, then it moves to the next status', () => {
    const d = decideAdvance(DEFAULT_TRACK, 'sent-to-lab', undefined, 'scan')
    expect([d.from.key, d.to.key, d.flags]).toEqual(['sent-to-lab', 'received-from-lab', []])
  })

  it('when the target skips steps, then it is allowed and flagged; backwards, a person may and it is flagged', () => {
    expect(decideAdvance(DEFAULT_TRACK, 'entered', 'finishing', 'scan').flags).toEqual(['skips-steps'])
    expect(decideAdvance(DEFAULT_TRACK, 'finishing', 'retouching', 'person').flags).toEqual(['backwards'])
    expect(decideAdvance(DEFAULT_TRACK, 'picked-up', 'ready-for-pickup', 'person').flags).toEqual(['backwards'])
  })

  it('when a scan would move an order backwards or out of its final status, then BACKWARD_MOVE / LEAVES_FINAL_STATUS, unless the station allows backward moves', () => {
    expect(() => decideAdvance(DEFAULT_TRACK, 'finishing', 'retouching', 'scan')).toThrow(refusal('BACKWARD_MOVE'))
    expect(() => decideAdvance(DEFAULT_TRACK, 'picked-up', 'ready-for-pickup', 'scan')).toThrow(refusal('LEAVES_FINAL_STATUS'))
    // Out of the final status to a hold status is leaving it too.
    expect(() => decideAdvance(DEFAULT_TRACK, 'picked-up', 'on-hold', 'scan')).toThrow(refusal('LEAVES_FINAL_STATUS'))
    expect(decideAdvance(DEFAULT_TRACK, 'finishing', 'retouching', 'scan', { allowBackward: true }).flags).toEqual(['backwards'])
    expect(decideAdvance(DEFAULT_TRACK, 'picked-up', 'ready-for-pickup', 'scan', { allowBackward: true }).to.key).toBe('ready-for-pickup')
    // Forward to a hold status is not backwards.
    expect(decideAdvance(DEFAULT_TRACK, 'finishing', 'on-hold', 'scan').flags).toEqual([])
  })

  it('when the order is at the final status and auto-advance is asked, then FINAL_STATUS', () => {
    expect(() => decideAdvance(DEFAULT_TRACK, 'picked-up', undefined, 'scan')).toThrow(refusal('FINAL_STATUS'))
  })

  it('when the target equals the current status, then ALREADY_AT_STATUS', () => {
    expect(() => decideAdvance(DEFAULT_TRACK, 'retouching', 'retouching', 'scan')).toThrow(refusal('ALREADY_AT_STATUS'))
  })

  it('when the order is on hold, then a scan never moves it but a person may choose a status', () => {
    expect(() => decideAdvance(DEFAULT_TRACK, 'on-hold', undefined, 'scan')).toThrow(refusal('ORDER_ON_HOLD'))
    expect(() => decideAdvance(DEFAULT_TRACK, 'waiting-on-client', 'finishing', 'scan')).toThrow(refusal('ORDER_ON_HOLD'))
    expect(() => decideAdvance(DEFAULT_TRACK, 'on-hold', undefined, 'person')).toThrow(refusal('ORDER_ON_HOLD'))
    expect(decideAdvance(DEFAULT_TRACK, 'on-hold', 'finishing', 'person').flags).toEqual(['leaves-hold'])
  })

  it('when the order is cancelled, then nothing moves it', () => {
    expect(() => decideAdvance(DEFAULT_TRACK, 'cancelled', 'entered', 'person')).toThrow(refusal('ORDER_CANCELLED'))
  })

  it('when the target is not in the track, then STATUS_NOT_IN_TRACK', () => {
    expect(() => decideAdvance(DEFAULT_TRACK, 'entered', 'shipped', 'scan')).toThrow(refusal('STATUS_NOT_IN_TRACK'))
  })

  it('when a track has two initials, duplicate keys or no final, then it is refused with each problem', () => {
    const bad: StatusTrack = {
      orderType: 'albums',
      statuses: [
        { key: 'a', name: 'A', sort: 1, durationDays: 1, kind: 'initial' },
        { key: 'a', name: 'A2', sort: 2, durationDays: 1, kind: 'initial' },
      ],
    }
    const err = thrownBy(() => validateTrack(bad))
    expect(err).toMatchObject({ details: { problems: expect.any(Array) } })
    const problems = (err as { details: { problems: string[] } }).details.problems
    expect(problems.join('\n')).toMatch(/appears twice/)
    expect(problems.join('\n')).toMatch(/exactly one initial/)
    expect(problems.join('\n')).toMatch(/at least one final/)
  })

  it('when an order enters a status, then its due date is today plus the status duration', () => {
    expect(dueDate(new Date('2026-11-25T23:30:00Z'), 7)).toBe('2026-12-02')
  })
})
