/**
 * The error `fn` throws, for a test to look into; fails the test when `fn` returns instead.
 * (An `expect.unreachable()` inside a `try` is caught by its own `catch`, which then checks the
 * assertion error instead of the error under test.)
 */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a throw, but it returned')
}
