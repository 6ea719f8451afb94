import { AppError, ValidationError } from './errors.ts'

/** How a status behaves (DOMAIN.md "Production statuses"). */
export const STATUS_KINDS = ['initial', 'normal', 'final', 'hold', 'terminal'] as const
export type StatusKind = (typeof STATUS_KINDS)[number]
/** The kinds that sit in the sequence (with a sort order); hold and terminal sit outside it. */
export const SEQUENCE_KINDS: readonly StatusKind[] = ['initial', 'normal', 'final']

export interface ProductionStatus {
  key: string
  name: string
  /** Position in the sequence; hold and terminal statuses sit outside it (null). */
  sort: number | null
  /** Default duration in days: gives the due date when an order enters this status. */
  durationDays: number
  kind: StatusKind
}

/** One ordered track per order type; `default` serves order types without their own. */
export interface StatusTrack {
  orderType: string
  statuses: ProductionStatus[]
}

export const DEFAULT_ORDER_TYPE = 'default'

export const DEFAULT_TRACK: StatusTrack = {
  orderType: DEFAULT_ORDER_TYPE,
  statuses: [
    { key: 'entered', name: 'Order Entered', sort: 10, durationDays: 1, kind: 'initial' },
    { key: 'retouching', name: 'Retouching', sort: 20, durationDays: 3, kind: 'normal' },
    { key: 'ready-to-send', name: 'Ready to Send', sort: 30, durationDays: 1, kind: 'normal' },
    { key: 'sent-to-lab', name: 'Sent to Lab', sort: 40, durationDays: 7, kind: 'normal' },
    { key: 'received-from-lab', name: 'Received from Lab', sort: 50, durationDays: 1, kind: 'normal' },
    { key: 'finishing', name: 'Finishing / QC', sort: 60, durationDays: 2, kind: 'normal' },
    { key: 'ready-for-pickup', name: 'Ready for Pickup', sort: 70, durationDays: 14, kind: 'normal' },
    { key: 'picked-up', name: 'Picked Up', sort: 80, durationDays: 0, kind: 'final' },
    { key: 'waiting-on-client', name: 'Waiting on Client', sort: null, durationDays: 7, kind: 'hold' },
    { key: 'on-hold', name: 'On Hold', sort: null, durationDays: 7, kind: 'hold' },
    { key: 'cancelled', name: 'Cancelled', sort: null, durationDays: 0, kind: 'terminal' },
  ],
}

const STATUS_KEY = /^[a-z0-9][a-z0-9-]{0,39}$/

/** Checks a track a studio submits: keys unique and well-formed, one initial, at least one final. */
export function validateTrack(track: StatusTrack): StatusTrack {
  const problems: string[] = []
  if (!STATUS_KEY.test(track.orderType)) problems.push(`orderType "${track.orderType}" must be lowercase letters, digits and -`)
  const keys = new Set<string>()
  for (const s of track.statuses) {
    if (!STATUS_KEY.test(s.key)) problems.push(`status key "${s.key}" must be lowercase letters, digits and - (at most 40)`)
    if (keys.has(s.key)) problems.push(`status key "${s.key}" appears twice`)
    keys.add(s.key)
    if (!s.name.trim()) problems.push(`status "${s.key}" needs a name`)
    const inSequence = SEQUENCE_KINDS.includes(s.kind)
    if (inSequence && s.sort === null) problems.push(`status "${s.key}" (${s.kind}) needs a sort order`)
    if (!inSequence && s.sort !== null) problems.push(`status "${s.key}" (${s.kind}) sits outside the sequence: its sort must be null`)
    if (!Number.isInteger(s.durationDays) || s.durationDays < 0) problems.push(`status "${s.key}" durationDays must be a whole number >= 0`)
  }
  const sequence = sequenceOf(track)
  if (sequence.filter((s) => s.kind === 'initial').length !== 1) problems.push('a track needs exactly one initial status')
  if (!sequence.some((s) => s.kind === 'final')) problems.push('a track needs at least one final status')
  if (sequence[0] && sequence[0].kind !== 'initial') problems.push('the initial status must come first in sort order')
  const sorts = sequence.map((s) => s.sort)
  if (new Set(sorts).size !== sorts.length) problems.push('sort orders must be unique')
  if (problems.length) throw new ValidationError('The status track is not valid.', { problems }, 'STATUS_TRACK_INVALID')
  return track
}

/** The statuses in sequence (initial, normal, final) by sort order. */
export function sequenceOf(track: StatusTrack): ProductionStatus[] {
  return track.statuses.filter((s) => s.sort !== null).sort((a, b) => (a.sort ?? 0) - (b.sort ?? 0))
}

export function initialStatus(track: StatusTrack): ProductionStatus {
  const first = sequenceOf(track).find((s) => s.kind === 'initial')
  if (!first) throw new Error(`track ${track.orderType} has no initial status`)
  return first
}

export function findStatus(track: StatusTrack, key: string): ProductionStatus | undefined {
  return track.statuses.find((s) => s.key === key)
}

export function trackFor(tracks: readonly StatusTrack[], orderType: string): StatusTrack {
  const track = tracks.find((t) => t.orderType === orderType) ?? tracks.find((t) => t.orderType === DEFAULT_ORDER_TYPE)
  if (!track) throw new Error(`no status track for order type ${orderType} and no default track`)
  return track
}

/** Why an advance can't happen. Codes are the scan outcome codes of CONTRACT.md. */
export const ADVANCE_REFUSALS = {
  ALREADY_AT_STATUS: 'warning',
  FINAL_STATUS: 'error',
  ORDER_ON_HOLD: 'error',
  ORDER_CANCELLED: 'error',
  STATUS_NOT_IN_TRACK: 'error',
  /** A scan would move the order back in its sequence, at a station not set to allow it. */
  BACKWARD_MOVE: 'error',
  /** A scan would take the order out of its final status (re-open a delivered order), at a station not set to allow it. */
  LEAVES_FINAL_STATUS: 'error',
} as const
export type AdvanceRefusalCode = keyof typeof ADVANCE_REFUSALS

export class AdvanceRefusedError extends AppError {
  constructor(
    readonly refusal: AdvanceRefusalCode,
    message: string,
    details: Record<string, unknown>,
  ) {
    super(refusal, refusal === 'STATUS_NOT_IN_TRACK' ? 'invalid' : 'conflict', message, details)
  }
}

export type AdvanceFlag = 'skips-steps' | 'backwards' | 'leaves-hold'

export interface AdvanceDecision {
  from: ProductionStatus
  to: ProductionStatus
  flags: AdvanceFlag[]
  /** Days until the order is due in its new status. */
  durationDays: number
}

export interface AdvanceOptions {
  /** The station is set to allow backward moves (and moves out of a final status) by scan. */
  allowBackward?: boolean
}

/**
 * Decides an advance of an order from `current`. Without a target: the next status in the
 * sequence. A scan never changes an order on hold or cancelled; a person (the API) may move an
 * order off hold to a chosen status. A scan never moves an order backwards or out of its final
 * status unless the station allows it (a stray bag must not re-open a delivered order); a person
 * may. Pure: the caller applies it as a compare-and-set.
 */
export function decideAdvance(
  track: StatusTrack,
  currentKey: string,
  targetKey: string | undefined,
  source: 'scan' | 'person',
  options: AdvanceOptions = {},
): AdvanceDecision {
  const from = findStatus(track, currentKey)
  if (!from) {
    // The order's status was removed from its track since: only an explicit target can fix it.
    throw new AdvanceRefusedError('STATUS_NOT_IN_TRACK', `The order's status "${currentKey}" is no longer in the ${track.orderType} track.`, { status: currentKey, orderType: track.orderType })
  }
  if (from.kind === 'terminal') {
    throw new AdvanceRefusedError('ORDER_CANCELLED', `The order is ${from.name}; it can't change status.`, { status: from.key })
  }
  if (from.kind === 'hold' && (source === 'scan' || targetKey === undefined)) {
    throw new AdvanceRefusedError('ORDER_ON_HOLD', `The order is ${from.name}; release it by choosing a status, not by a scan.`, { status: from.key })
  }
  let to: ProductionStatus | undefined
  if (targetKey === undefined) {
    const sequence = sequenceOf(track)
    const index = sequence.findIndex((s) => s.key === from.key)
    if (from.kind === 'final' || index === sequence.length - 1) {
      throw new AdvanceRefusedError('FINAL_STATUS', `The order is already at its final status, ${from.name}.`, { status: from.key })
    }
    to = sequence[index + 1]
  } else {
    to = findStatus(track, targetKey)
    if (!to) {
      throw new AdvanceRefusedError('STATUS_NOT_IN_TRACK', `"${targetKey}" is not a status of the ${track.orderType} track.`, { status: targetKey, orderType: track.orderType })
    }
  }
  if (to.key === from.key) {
    throw new AdvanceRefusedError('ALREADY_AT_STATUS', `The order is already ${from.name}.`, { status: from.key })
  }
  const flags: AdvanceFlag[] = []
  if (from.kind === 'hold') flags.push('leaves-hold')
  if (from.sort !== null && to.sort !== null) {
    const sequence = sequenceOf(track)
    const step = sequence.findIndex((s) => s.key === to.key) - sequence.findIndex((s) => s.key === from.key)
    if (step > 1) flags.push('skips-steps')
    if (step < 0) flags.push('backwards')
  }
  if (source === 'scan' && !options.allowBackward) {
    if (from.kind === 'final') {
      throw new AdvanceRefusedError('LEAVES_FINAL_STATUS', `The order is ${from.name}, its final status; this station does not take orders out of it (to ${to.name}).`, { status: from.key, to: to.key })
    }
    if (flags.includes('backwards')) {
      throw new AdvanceRefusedError('BACKWARD_MOVE', `The order is ${from.name}; ${to.name} would move it backwards, which this station does not do.`, { status: from.key, to: to.key })
    }
  }
  return { from, to, flags, durationDays: to.durationDays }
}

/** The due date (YYYY-MM-DD) of an order entering a status on `today`. */
export function dueDate(today: Date, durationDays: number): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + durationDays))
  return d.toISOString().slice(0, 10)
}
