import { afterAll } from 'vitest'

/**
 * Process warnings fail the test file that raised them (MaxListenersExceededWarning is a leak,
 * a DeprecationWarning a coming break): a green run has none.
 */
const warnings: Error[] = []
process.on('warning', (w) => warnings.push(w))

afterAll(() => {
  if (warnings.length === 0) return
  const list = warnings.map((w) => `${w.name}: ${w.message}`).join('\n')
  warnings.length = 0
  throw new Error(`process warnings during this file:\n${list}`)
})
