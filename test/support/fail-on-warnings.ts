import { afterAll } from 'vitest'

/**
 * Process warnings fail the test file that raised them (MaxListenersExceededWarning is a leak,
 * a DeprecationWarning a coming break): a green run has none.
 */
// One listener per process: this file runs again for each test file, and unit test files share
// their worker process.
const KEY = Symbol.for('studio-print.test.process-warnings')
const holder = globalThis as typeof globalThis & { [KEY]?: Error[] }
if (!holder[KEY]) {
  const list: Error[] = []
  holder[KEY] = list
  process.on('warning', (w) => list.push(w))
}
const warnings = holder[KEY]

afterAll(() => {
  if (warnings.length === 0) return
  const list = warnings.map((w) => `${w.name}: ${w.message}`).join('\n')
  warnings.length = 0
  throw new Error(`process warnings during this file:\n${list}`)
})
