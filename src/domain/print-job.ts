/**
 * A print job's life: its states, the reasons it can carry (one closed set, with the words the
 * pages show), and how labels are numbered. Labels (units: a label, a receipt, a document) are
 * numbered from 1 everywhere — API, messages, pages. A job's progress is two counts:
 * - `confirmed`: labels 1..confirmed are known to have reached the printer (a status round trip,
 *   a completed IPP job, or a statusless printer's clean close after them) and recorded so;
 * - `uncertainUpTo`: labels confirmed+1..uncertainUpTo may have reached it (written, or about
 *   to be written, when the server lost track of them). Never below `confirmed`.
 */
export const JOB_STATES = ['pending', 'held', 'processing', 'completed', 'canceled', 'aborted'] as const
export type JobState = (typeof JOB_STATES)[number]
export const ACTIVE_STATES: readonly JobState[] = ['pending', 'held', 'processing']
export const FINAL_STATES: readonly JobState[] = ['completed', 'canceled', 'aborted']

export function isJobState(v: string): v is JobState {
  return (JOB_STATES as readonly string[]).includes(v)
}

/**
 * What can happen to a job, from which states, and the state it leads to: the one table of a
 * job's life. The store applies each as a guarded update (`WHERE state IN from`), so a change
 * that lost a race (a cancel and a claim at once, a stale worker) changes nothing.
 */
export const JOB_TRANSITIONS = {
  /** A worker takes the oldest pending job of its printer. */
  claim: { from: ['pending'], to: 'processing' },
  /** Every label went out (and was confirmed where the printer can). */
  complete: { from: ['processing'], to: 'completed' },
  /** Back in the queue: the printer was unreachable, or the server stopped between labels. */
  requeue: { from: ['processing'], to: 'pending' },
  /** The printer reported an error, or labels may have printed unconfirmed: a person or the printer's recovery resumes it. */
  hold: { from: ['processing'], to: 'held' },
  /** It can never print (refused format, damaged document). */
  fail: { from: ['processing'], to: 'aborted' },
  /** A cancel asked while it printed took effect between labels. */
  'stop-canceled': { from: ['processing'], to: 'canceled' },
  /** A person cancels a job that waits. */
  cancel: { from: ['pending', 'held'], to: 'canceled' },
  /** A person (or the printer's error clearing) releases a held job. */
  release: { from: ['held'], to: 'pending' },
  /** An IPP Create-Job's document came in. */
  'attach-document': { from: ['held'], to: 'pending' },
  /** An IPP Create-Job's document never came. */
  'expire-incoming': { from: ['held'], to: 'aborted' },
  /** Its server died after labels may have gone out. */
  'recover-sent': { from: ['processing'], to: 'held' },
  /** Its server died before anything went out. */
  'recover-unsent': { from: ['processing'], to: 'pending' },
  /** Its server died after a cancel was asked. */
  'recover-canceled': { from: ['processing'], to: 'canceled' },
} as const satisfies Record<string, { from: readonly JobState[]; to: JobState }>
export type JobEvent = keyof typeof JOB_TRANSITIONS

/** The state `event` leads to from `state`; null when it can't happen there. */
export function nextState(state: JobState, event: JobEvent): JobState | null {
  const t: { from: readonly JobState[]; to: JobState } = JOB_TRANSITIONS[event]
  return t.from.includes(state) ? t.to : null
}

/** The states `event` may happen in (the guard of the store's update). */
export function statesFor(event: JobEvent): JobState[] {
  return [...JOB_TRANSITIONS[event].from]
}

/** How a worker ends an attempt, by the state it ends in. */
export const SETTLE_EVENT = {
  completed: 'complete',
  pending: 'requeue',
  held: 'hold',
  aborted: 'fail',
  canceled: 'stop-canceled',
} as const satisfies Record<Exclude<JobState, 'processing'>, JobEvent>

/** The reasons a job carries (IPP job-state-reasons and printer-state-reasons keywords), with the page's words. */
export const JOB_REASONS = {
  'job-queued': 'waiting for the printer',
  'job-incoming': 'waiting for its document (IPP Create-Job)',
  'job-printing': 'printing',
  'job-completed-successfully': 'printed',
  'job-canceled-by-user': 'canceled',
  'job-sent-unconfirmed': 'some labels may have printed: choose where to resume, or cancel',
  'aborted-by-system': 'stopped by the server',
  'document-format-error': 'the printer does not take this kind of document',
  'document-unprintable-error': 'the stored document is missing or damaged',
  'printer-stopped': 'printer stopped',
  'printer-unreachable': 'printer unreachable',
  'offline-report': 'printer unreachable',
  'media-empty-error': 'out of paper or labels',
  'media-needed-error': 'load paper or labels',
  'media-jam-error': 'jammed',
  'cover-open-error': 'cover or head open',
  'marker-supply-empty-error': 'out of ribbon',
  paused: 'printer paused',
  'other-error': 'printer error',
} as const satisfies Record<string, string>
export type JobReason = keyof typeof JOB_REASONS

/** The words for a reason; a printer keyword outside the set is shown as it is. */
export function reasonWords(reason: string): string {
  return (JOB_REASONS as Record<string, string>)[reason] ?? reason
}

/** "label 7", "labels 7–12". */
export function labelRange(first: number, last: number): string {
  return first === last ? `label ${first}` : `labels ${first}–${last}`
}

export interface JobProgress {
  total: number
  confirmed: number
  /** ≥ confirmed; > confirmed when some labels after the confirmed ones may have printed. */
  uncertainUpTo: number
}

export interface ResumeChoice {
  /** What POST /release takes: the first label printed (1-based); total + 1 prints nothing more. */
  resumeAt: number
  choice: 'after-confirmed' | 'after-uncertain' | 'all'
  /** What a person reads: the choice and what it will print. */
  label: string
  prints: string
}

function printsFrom(resumeAt: number, total: number): string {
  if (resumeAt > total) return 'prints nothing more; the job completes'
  const n = total - resumeAt + 1
  return `prints ${labelRange(resumeAt, total)} (${n} label${n === 1 ? '' : 's'})`
}

/**
 * What a person may choose when releasing a held job: resume after the last confirmed label
 * (may print the uncertain ones twice), after the last uncertain one (may skip them), or print
 * everything again. Choices that would print the same are given once.
 */
export function resumeChoices(p: JobProgress): ResumeChoice[] {
  const choices: ResumeChoice[] = []
  const add = (resumeAt: number, choice: ResumeChoice['choice'], label: string) => {
    if (choices.some((c) => c.resumeAt === resumeAt)) return
    choices.push({ resumeAt, choice, label, prints: printsFrom(resumeAt, p.total) })
  }
  const uncertain = p.uncertainUpTo > p.confirmed
  add(p.confirmed + 1, 'after-confirmed', p.confirmed === 0 ? 'Resume from the start' : `Resume after label ${p.confirmed}, the last confirmed one`)
  if (uncertain) add(p.uncertainUpTo + 1, 'after-uncertain', `Resume after label ${p.uncertainUpTo}, the last that may have printed`)
  add(1, 'all', 'Print all again')
  return choices
}

/** The message of a job held because labels may have printed, numbered from 1 as everywhere. */
export function unconfirmedMessage(cause: string, p: JobProgress): string {
  const confirmed = p.confirmed === 0 ? 'no label confirmed' : `${labelRange(1, p.confirmed)} confirmed`
  const uncertain = p.uncertainUpTo > p.confirmed ? `${labelRange(p.confirmed + 1, p.uncertainUpTo)} may have printed` : 'nothing after them was sent'
  return `${cause}: ${confirmed}, ${uncertain}. Release to choose where to resume, or cancel.`
}

/** Whether `resumeAt` (1-based first label to print) is a valid release point of a job of `total` labels. */
export function validResumeAt(resumeAt: number, total: number): boolean {
  return Number.isSafeInteger(resumeAt) && resumeAt >= 1 && resumeAt <= total + 1
}
