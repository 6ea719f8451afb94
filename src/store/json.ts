/** Row helpers shared by the stores. */
export const iso = (ms: number): string => new Date(Number(ms)).toISOString()
export const today = (now: Date): string => now.toISOString().slice(0, 10)

export function parseData<T>(text: string): T {
  return JSON.parse(text) as T
}

export interface Page<T> {
  items: T[]
  /** Pass as `after` to get the next page; null on the last page. */
  nextAfter: number | null
}

export const DEFAULT_PAGE = 50
export const MAX_PAGE = 500

export function toPage<T extends { id: number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit)
  return { items, nextAfter: rows.length > limit ? items[items.length - 1].id : null }
}
