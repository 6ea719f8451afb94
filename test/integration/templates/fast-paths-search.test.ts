/** The full property search behind test/unit/templates/fast-paths.test.ts (thousands of runs each). */
import { fastPathProperties } from '../../unit/templates/fast-paths-properties.ts'

fastPathProperties((full) => full)
