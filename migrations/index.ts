import type { Migration } from 'kysely'
import * as m0001 from './0001-foundation.ts'

/** Every migration, in order. Inline (no file scanning) so that tsx, vitest and the bench agree. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': m0001,
}
