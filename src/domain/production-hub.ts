/**
 * The Production hub: orders by status, due dates and lateness. Pure: the app layer reads the
 * counts and orders and hands them here.
 */
import { findStatus, sequenceOf, trackFor, type StatusKind, type StatusTrack } from './status-track.ts'

/** Whole days from `due` to `today` (both YYYY-MM-DD); 0 when not late. */
export function daysLate(due: string | null, today: string): number {
  if (!due) return 0
  const days = Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / 86_400_000)
  return Number.isFinite(days) && days > 0 ? days : 0
}

export interface StatusCount {
  key: string
  name: string
  kind: StatusKind
  count: number
  late: number
}

export interface TrackSummary {
  orderType: string
  statuses: StatusCount[]
}

/**
 * Counts per status for each track: the track's statuses in sequence, then its hold and terminal
 * statuses, then any status orders hold that the track no longer has. An order type without a
 * track of its own counts in the default track.
 */
export function summarize(tracks: readonly StatusTrack[], counts: ReadonlyArray<{ orderType: string; status: string; count: number; late: number }>): TrackSummary[] {
  return tracks.map((track) => {
    const own = counts.filter((c) => trackFor(tracks, c.orderType) === track)
    const ordered = [...sequenceOf(track), ...track.statuses.filter((s) => s.sort === null)]
    const statuses: StatusCount[] = ordered.map((s) => ({ key: s.key, name: s.name, kind: s.kind, count: 0, late: 0 }))
    for (const c of own) {
      let row = statuses.find((s) => s.key === c.status)
      if (!row) {
        row = { key: c.status, name: findStatus(track, c.status)?.name ?? c.status, kind: 'normal', count: 0, late: 0 }
        statuses.push(row)
      }
      row.count += c.count
      row.late += c.late
    }
    return { orderType: track.orderType, statuses }
  })
}

/** Late orders first (most days late first), then by due date, then by number. */
export function byLateness<T extends { daysLate: number; statusDueDate: string | null; number: number }>(a: T, b: T): number {
  if (a.daysLate !== b.daysLate) return b.daysLate - a.daysLate
  const da = a.statusDueDate ?? '9999-12-31'
  const db = b.statusDueDate ?? '9999-12-31'
  if (da !== db) return da < db ? -1 : 1
  return a.number - b.number
}
