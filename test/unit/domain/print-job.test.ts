import { describe, expect, it } from 'vitest'
import { labelRange, reasonWords, resumeChoices, unconfirmedMessage, validResumeAt } from '../../../src/domain/print-job.ts'

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
