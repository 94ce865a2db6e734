import type { Migration } from 'kysely'
import * as inventory from './2026-11-28-001-inventory.js'
import * as rollupsAndIndexes from './2026-11-28-002-rollups-and-indexes.js'
import * as leanBulkIndexes from './2026-11-28-003-lean-bulk-indexes.js'
import * as cardLinesWithoutAppIndex from './2026-11-28-004-card-lines-without-app-index.js'
import * as auditAppendOnly from './2026-12-02-008-audit-append-only.js'
import * as webAppAccountsAndPageIndexes from './2026-12-02-006-web-app-accounts-and-page-indexes.js'
import * as telemetryIngest from './2026-12-02-009-telemetry-ingest.js'
import * as rosterPresence from './2026-12-02-011-roster-presence.js'
import * as campaigns from './2026-12-02-007-campaigns.js'
import * as reviewInboxIndex from './2026-12-02-016-review-inbox-index.js'

/** Every migration, by its date-prefixed name; the order of names is the order they run in. */
export const migrations: Record<string, Migration> = {
  '2026-11-28-001-inventory': inventory,
  '2026-11-28-002-rollups-and-indexes': rollupsAndIndexes,
  '2026-11-28-003-lean-bulk-indexes': leanBulkIndexes,
  '2026-11-28-004-card-lines-without-app-index': cardLinesWithoutAppIndex,
  '2026-12-02-006-web-app-accounts-and-page-indexes': webAppAccountsAndPageIndexes,
  '2026-12-02-007-campaigns': campaigns,
  '2026-12-02-008-audit-append-only': auditAppendOnly,
  '2026-12-02-009-telemetry-ingest': telemetryIngest,
  '2026-12-02-011-roster-presence': rosterPresence,
  '2026-12-02-016-review-inbox-index': reviewInboxIndex,
}
