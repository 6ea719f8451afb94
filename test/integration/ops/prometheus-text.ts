/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line must be a
 * comment, `# HELP`, `# TYPE` or a sample `name{label="value",…} number`; anything else throws.
 * (The npm parser parse-prometheus-text-format drops the labels of histograms, so it can't check ours.)
 */
export interface PromSample {
  name: string
  labels: Record<string, string>
  value: number
}
export interface PromFamily {
  name: string
  type: string
  help: string
  samples: PromSample[]
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped'])

function parseValue(raw: string): number {
  // As Prometheus reads it (Go's ParseFloat: case-insensitive; prom-client writes an unset lag as "Nan").
  if (/^\+?inf$/i.test(raw)) return Infinity
  if (/^-inf$/i.test(raw)) return -Infinity
  if (/^nan$/i.test(raw)) return NaN
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(raw)) throw new Error(`not a number: ${raw}`)
  return Number(raw)
}

function parseLabels(text: string): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {}
  let i = 1 // after '{'
  for (;;) {
    if (text[i] === '}') return { labels, rest: text.slice(i + 1) }
    const name = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(text.slice(i))
    if (!name || text[i + name[0].length] !== '=' || text[i + name[0].length + 1] !== '"') throw new Error(`bad label at: ${text.slice(i)}`)
    i += name[0].length + 2
    let value = ''
    while (text[i] !== '"') {
      if (i >= text.length) throw new Error('unterminated label value')
      if (text[i] === '\\') {
        const next = text[i + 1]
        value += next === 'n' ? '\n' : next
        i += 2
      } else value += text[i++]
    }
    if (name[0] in labels) throw new Error(`label ${name[0]} twice`)
    labels[name[0]] = value
    i++
    if (text[i] === ',') i++
  }
}

export function parsePrometheusText(text: string): PromFamily[] {
  const families = new Map<string, PromFamily>()
  const familyOf = (sampleName: string): PromFamily => {
    const exact = families.get(sampleName)
    if (exact) return exact
    for (const suffix of ['_bucket', '_sum', '_count', '_total', '_created']) {
      if (sampleName.endsWith(suffix)) {
        const f = families.get(sampleName.slice(0, -suffix.length))
        if (f) return f
      }
    }
    throw new Error(`sample ${sampleName} has no # TYPE`)
  }
  for (const line of text.split('\n')) {
    if (line === '') continue
    const meta = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ?(.*)$/.exec(line)
    if (meta) {
      const f = families.get(meta[2]) ?? { name: meta[2], type: 'untyped', help: '', samples: [] }
      if (meta[1] === 'TYPE') {
        if (!TYPES.has(meta[3])) throw new Error(`bad type: ${line}`)
        f.type = meta[3]
      } else f.help = meta[3]
      families.set(meta[2], f)
      continue
    }
    if (line.startsWith('#')) continue
    const name = NAME.exec(line)
    if (!name) throw new Error(`bad line: ${line}`)
    let rest = line.slice(name[0].length)
    let labels: Record<string, string> = {}
    if (rest.startsWith('{')) ({ labels, rest } = parseLabels(rest))
    const parts = rest.trim().split(/\s+/)
    if (parts.length < 1 || parts.length > 2 || !rest.startsWith(' ')) throw new Error(`bad sample: ${line}`)
    familyOf(name[0]).samples.push({ name: name[0], labels, value: parseValue(parts[0]) })
  }
  return [...families.values()]
}
