/**
 * The per-label fast paths against the straightforward versions they replaced, on random input:
 * a tenth of the full search here; test/integration/templates/fast-paths-search.test.ts runs it all.
 */
import { fastPathProperties } from './fast-paths-properties.ts'

fastPathProperties((full) => Math.ceil(full / 10))
