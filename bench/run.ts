/** `npm run bench`: every area's figures, each beside a baseline measured in the same run. */
import { existsSync } from 'node:fs'
import { formatRows, type BenchModule, type BenchRow } from './report.ts'

const MODULES = ['records', 'templates', 'printing-drivers', 'printing', 'ipp', 'scanning-drivers', 'scanning', 'render', 'ops']
const only = process.argv.slice(2)

const all: BenchRow[] = []
for (const name of MODULES) {
  if (only.length && !only.includes(name)) continue
  const file = new URL(`./${name}.ts`, import.meta.url)
  if (!existsSync(file)) continue
  process.stderr.write(`bench: ${name}…\n`)
  const mod = (await import(file.href)) as BenchModule
  const rows = await mod.bench()
  all.push(...rows)
  console.log(`\n## ${name}\n\n${formatRows(rows)}`)
}
const missed = all.filter((r) => r.met === false)
console.log(`\n${all.length} figures; ${missed.length} goals not met${missed.length ? ': ' + missed.map((r) => `${r.group} ${r.name}`).join('; ') : ''}`)
process.exit(0)
