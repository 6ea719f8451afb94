import { describe, expect, it } from 'vitest'
import { ACTIVE_STATES, FINAL_STATES, JOB_STATES, JOB_TRANSITIONS, SETTLE_EVENT, labelRange, nextState, reasonWords, resumeChoices, statesFor, unconfirmedMessage, validResumeAt, type JobEvent, type JobState } from '../../../src/domain/print-job.ts'

describe('print job: labels numbered from 1', () => {
  it.each([
    [{ total: 500, confirmed: 37, uncertainUpTo: 52 }, [
      { resumeAt: 38, choice: 'after-confirmed', prints: 'prints labels 38–500 (463 labels)' },
      { resumeAt: 53, choice: 'after-uncertain', prints: 'prints labels 53–500 (448 labels)' },
      { resumeAt: 1, choice: 'all', prints: 'prints labels 1–500 (500 labels)' },
    ]],
    [{ total: 20, confirmed: 0, uncertainUpTo: 20 }, [
      { resumeAt: 1, choice: 'after-confirmed', prints: 'prints labels 1–20 (20 labels)' },
      { resumeAt: 21, choice: 'after-uncertain', prints: 'prints nothing more; the job completes' },
    ]],
    [{ total: 10, confirmed: 9, uncertainUpTo: 9 }, [
      { resumeAt: 10, choice: 'after-confirmed', prints: 'prints label 10 (1 label)' },
      { resumeAt: 1, choice: 'all', prints: 'prints labels 1–10 (10 labels)' },
    ]],
  ])('when a held job stands at %o, then the release choices are %o (the same print offered once)', (progress, expected) => {
    expect(resumeChoices(progress).map(({ resumeAt, choice, prints }) => ({ resumeAt, choice, prints }))).toEqual(expected)
  })

  it.each([
    [{ total: 10, confirmed: 4, uncertainUpTo: 5 }, 'lost: labels 1–4 confirmed, label 5 may have printed. Release to choose where to resume, or cancel.'],
    [{ total: 10, confirmed: 0, uncertainUpTo: 10 }, 'lost: no label confirmed, labels 1–10 may have printed. Release to choose where to resume, or cancel.'],
    [{ total: 10, confirmed: 1, uncertainUpTo: 1 }, 'lost: label 1 confirmed, nothing after them was sent. Release to choose where to resume, or cancel.'],
  ])('when a job is held at %o, then its message reads %s', (progress, message) => {
    expect(unconfirmedMessage('lost', progress)).toBe(message)
  })

  it.each([
    [0, 10, false],
    [1, 10, true],
    [10, 10, true],
    [11, 10, true],
    [12, 10, false],
    [1.5, 10, false],
  ])('when resumeAt is %d of a %d-label job, then valid is %s', (resumeAt, total, valid) => {
    expect(validResumeAt(resumeAt, total)).toBe(valid)
  })

  it('when a range or a reason is put in words, then it reads as the pages show it', () => {
    expect(labelRange(7, 7)).toBe('label 7')
    expect(labelRange(7, 12)).toBe('labels 7–12')
    expect(reasonWords('media-empty-error')).toBe('out of paper or labels')
    expect(reasonWords('some-printer-keyword')).toBe('some-printer-keyword')
  })
})

describe("a job's life: the transition table", () => {
  // Spelled out by hand: each state, what may happen in it and where that leads.
  const expected: Record<JobState, Partial<Record<JobEvent, JobState>>> = {
    pending: { claim: 'processing', cancel: 'canceled' },
    held: { cancel: 'canceled', release: 'pending', 'attach-document': 'pending', 'expire-incoming': 'aborted' },
    processing: {
      complete: 'completed',
      requeue: 'pending',
      hold: 'held',
      fail: 'aborted',
      'stop-canceled': 'canceled',
      'recover-sent': 'held',
      'recover-unsent': 'pending',
      'recover-canceled': 'canceled',
    },
    completed: {},
    canceled: {},
    aborted: {},
  }

  it.each(JOB_STATES.flatMap((state) => (Object.keys(JOB_TRANSITIONS) as JobEvent[]).map((event) => [state, event] as const)))('%s + %s', (state, event) => {
    expect(nextState(state, event)).toBe(expected[state][event] ?? null)
  })

  it('final states lead nowhere; every other state has a way to a final one', () => {
    for (const state of FINAL_STATES) expect((Object.keys(JOB_TRANSITIONS) as JobEvent[]).filter((e) => nextState(state, e) !== null)).toEqual([])
    const reachesFinal = (from: JobState, seen = new Set<JobState>()): boolean => {
      if (FINAL_STATES.includes(from)) return true
      seen.add(from)
      return (Object.keys(JOB_TRANSITIONS) as JobEvent[]).some((e) => {
        const to = nextState(from, e)
        return to !== null && !seen.has(to) && reachesFinal(to, seen)
      })
    }
    for (const state of ACTIVE_STATES) expect(reachesFinal(state)).toBe(true)
  })

  it("a worker's settle leads to the state it names, and only from processing", () => {
    for (const [to, event] of Object.entries(SETTLE_EVENT)) {
      expect(JOB_TRANSITIONS[event].to).toBe(to)
      expect(statesFor(event)).toEqual(['processing'])
    }
  })
})
