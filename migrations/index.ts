import type { Migration } from 'kysely'
import * as m0001 from './0001-foundation.ts'
import * as m0002 from './0002-printing.ts'
import * as m0003 from './0003-scanning.ts'
import * as m0004 from './0004-templates.ts'
import * as m0005 from './0005-locations.ts'
import * as m0006 from './0006-client-search.ts'
import * as m0007 from './0007-print-job-chunks.ts'
import * as m0008 from './0008-auth-sessions.ts'
import * as m0009 from './0009-exact-keys.ts'
import * as m0010 from './0010-production-floor.ts'
import * as m0013 from './0013-webhooks.ts'
import * as m0014 from './0014-station-event-log.ts'
import * as m0015 from './0015-studio-logo-row.ts'

/** Every migration, in order. Inline (no file scanning) so that tsx, vitest and the bench agree. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-printing': m0002,
  '0003-scanning': m0003,
  '0004-templates': m0004,
  '0005-locations': m0005,
  '0006-client-search': m0006,
  '0007-print-job-chunks': m0007,
  '0008-auth-sessions': m0008,
  '0009-exact-keys': m0009,
  '0010-production-floor': m0010,
  '0013-webhooks': m0013,
  '0014-station-event-log': m0014,
  '0015-studio-logo-row': m0015,
}
