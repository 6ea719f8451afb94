/** What a command prints: JSON under --json, else a plain table or lines. */
export interface Output {
  json: boolean
  /** The command's result: `value` as JSON, or `text()` for people. */
  result(value: unknown, text: () => string): void
}

export function createOutput(json: boolean, write: (s: string) => void = (s) => process.stdout.write(s)): Output {
  return {
    json,
    result(value, text) {
      const s = json ? JSON.stringify(value, null, 2) : text()
      if (s !== '') write(s.endsWith('\n') ? s : `${s}\n`)
    },
  }
}

/** Columns padded to their widest cell; '-' for null. */
export function table(headers: string[], rows: Array<Array<string | number | boolean | null | undefined>>): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null || c === undefined || c === '' ? '-' : String(c))))]
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i].length)))
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n')
}
