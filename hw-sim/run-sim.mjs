// `npm run sim`: runs hw-sim/cli.ts as plain JavaScript. The TypeScript is stripped once (with
// esbuild, which tsx ships) into node_modules/.cache and again only when cli.ts changes, so a
// call costs one bare node start, not a TypeScript loader's.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'

const source = new URL('./cli.ts', import.meta.url)
const compiled = new URL('../node_modules/.cache/studio-print/sim-cli.mjs', import.meta.url)
let fresh = false
try {
  fresh = statSync(compiled).mtimeMs >= statSync(source).mtimeMs
} catch {
  fresh = false
}
if (!fresh) {
  const { transformSync } = await import('esbuild')
  const { code } = transformSync(readFileSync(source, 'utf8'), { loader: 'ts', format: 'esm', target: 'node20', sourcefile: 'hw-sim/cli.ts' })
  mkdirSync(new URL('.', compiled), { recursive: true })
  const temporary = new URL(`sim-cli.${process.pid}.mjs`, compiled)
  writeFileSync(temporary, code)
  renameSync(temporary, compiled)
}
await import(compiled.href)
