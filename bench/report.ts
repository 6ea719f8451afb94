/** One figure of `npm run bench`. Ratios compare against a baseline measured in the same run. */
export interface BenchRow {
  group: string // e.g. "records", "templates", "printing", "scanning"
  name: string // what was measured
  value: number
  unit: string // "ms", "ops/s", "MB" …
  /** The baseline measured in the same run, same unit, and what it was. */
  baseline?: { name: string; value: number }
  /** The goal in words, e.g. "p99 <= 20 ms" or "<= 1.5x baseline". */
  goal?: string
  /** Whether the goal was met, when it can be judged. */
  met?: boolean
}

/** Each bench module exports `bench(): Promise<BenchRow[]>`. */
export type BenchModule = { bench: () => Promise<BenchRow[]> }

export function percentile(sortedAscending: number[], p: number): number {
  if (sortedAscending.length === 0) return Number.NaN
  const index = Math.min(sortedAscending.length - 1, Math.max(0, Math.ceil((p / 100) * sortedAscending.length) - 1))
  return sortedAscending[index]
}

export function summarize(samplesMs: number[]): { p50: number; p99: number; mean: number } {
  const sorted = [...samplesMs].sort((a, b) => a - b)
  const mean = sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length)
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), mean }
}

export function formatRows(rows: BenchRow[]): string {
  const lines = ['| group | figure | value | baseline | ratio | goal | met |', '|---|---|---|---|---|---|---|']
  for (const r of rows) {
    const ratio = r.baseline && r.baseline.value !== 0 ? (r.value / r.baseline.value).toFixed(2) + 'x' : ''
    const base = r.baseline ? `${r.baseline.name}: ${round(r.baseline.value)} ${r.unit}` : ''
    const met = r.met === undefined ? '' : r.met ? 'yes' : 'NO'
    lines.push(`| ${r.group} | ${r.name} | ${round(r.value)} ${r.unit} | ${base} | ${ratio} | ${r.goal ?? ''} | ${met} |`)
  }
  return lines.join('\n')
}

function round(x: number): string {
  if (!Number.isFinite(x)) return String(x)
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(2) : x.toPrecision(3)
}
