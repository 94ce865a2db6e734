import type { AccountsTable, EntitlementsTable, GrantsTable } from './tables/access.table.js'
import type { DeviceSoftwareTable, SigninDailyTable, SigninEventsTable, TelemetryBatchesTable, TelemetryEventsTable } from './tables/activity.table.js'
import type { AppsTable, CatalogCustomEntriesTable, IdentifiersTable, SourceAppsTable } from './tables/apps.table.js'
import type { AuditEventsTable } from './tables/audit.table.js'
import type { ApiTokensTable, SettingsTable, UiJobsTable, UiLoginAttemptsTable, UiSessionsTable, UiUsersTable } from './tables/auth.table.js'
import type { FindingsTable } from './tables/findings.table.js'
import type { PeopleTable, PersonIdentitiesTable } from './tables/people.table.js'
import type {
  CampaignSchedulesTable, CampaignsTable, DecisionsTable, OutboxTable, ReassignmentsTable, RemediationsTable, ReviewerSignInLinksTable, ReviewItemsTable,
} from './tables/reviews.table.js'
import type { ScanCheckpointsTable, ScanRunsTable } from './tables/scans.table.js'
import type { SpendTransactionsTable } from './tables/spend.table.js'

/** Every table of the inventory, as the latest migration leaves it. */
export interface Database {
  people: PeopleTable
  person_identities: PersonIdentitiesTable
  apps: AppsTable
  identifiers: IdentifiersTable
  catalog_custom_entries: CatalogCustomEntriesTable
  source_apps: SourceAppsTable
  accounts: AccountsTable
  entitlements: EntitlementsTable
  grants: GrantsTable
  signin_events: SigninEventsTable
  signin_daily: SigninDailyTable
  telemetry_events: TelemetryEventsTable
  telemetry_batches: TelemetryBatchesTable
  device_software: DeviceSoftwareTable
  spend_transactions: SpendTransactionsTable
  scan_runs: ScanRunsTable
  scan_checkpoints: ScanCheckpointsTable
  findings: FindingsTable
  campaigns: CampaignsTable
  review_items: ReviewItemsTable
  decisions: DecisionsTable
  remediations: RemediationsTable
  reassignments: ReassignmentsTable
  outbox: OutboxTable
  campaign_schedules: CampaignSchedulesTable
  reviewer_sign_in_links: ReviewerSignInLinksTable
  audit_events: AuditEventsTable
  ui_users: UiUsersTable
  ui_sessions: UiSessionsTable
  ui_login_attempts: UiLoginAttemptsTable
  ui_jobs: UiJobsTable
  api_tokens: ApiTokensTable
  settings: SettingsTable
}
