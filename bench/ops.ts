/**
 * Start-up of the command-line tools, each beside `node -e 0` (the floor) measured in the same
 * run: `npm run sim`'s script as it was (`tsx hw-sim/cli.ts`: the tsx CLI starts a second node
 * process that loads the TypeScript loader) and as it is (`node hw-sim/run-sim.mjs`: cli.ts stripped
 * to JavaScript once, cached), and `studio-print --help` (through tsx, like npm start).
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { summarize, type BenchRow } from './report.ts'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const RUNS = 7

function time(cmd: string, args: string[]): number {
  const samples: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now()
    execFileSync(cmd, args, { cwd: ROOT, stdio: 'ignore', env: { ...process.env, STUDIO_URL: 'http://127.0.0.1:9' } })
    samples.push(performance.now() - t)
  }
  return summarize(samples).p50
}

export async function bench(): Promise<BenchRow[]> {
  const floor = time(process.execPath, ['-e', '0'])
  const before = time(`${ROOT}node_modules/.bin/tsx`, ['hw-sim/cli.ts'])
  const sim = time(process.execPath, ['hw-sim/run-sim.mjs'])
  const admin = time(process.execPath, ['bin/studio-print.js', '--help'])
  const baseline = { name: 'node -e 0', value: floor }
  return [
    { group: 'ops', name: 'sim usage, old script (tsx CLI), p50', value: before, unit: 'ms', baseline },
    { group: 'ops', name: 'sim usage, npm run sim (cached plain JS), p50', value: sim, unit: 'ms', baseline, goal: '<= 2x node -e 0 and < 1000 ms', met: sim <= 2 * floor && sim < 1000 },
    { group: 'ops', name: 'studio-print --help, p50', value: admin, unit: 'ms', baseline, goal: '< 1000 ms', met: admin < 1000 },
  ]
}
