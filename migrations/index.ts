import type { Migration } from 'kysely'
import * as m0001 from './0001-foundation.ts'
import * as m0002 from './0002-printing.ts'
import * as m0003 from './0003-scanning.ts'
import * as m0004 from './0004-templates.ts'
import * as m0005 from './0005-locations.ts'
import * as m0006 from './0006-client-search.ts'
import * as m0013 from './0013-webhooks.ts'

/** Every migration, in order. Inline (no file scanning) so that tsx, vitest and the bench agree. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-printing': m0002,
  '0003-scanning': m0003,
  '0004-templates': m0004,
  '0005-locations': m0005,
  '0006-client-search': m0006,
  '0013-webhooks': m0013,
}
