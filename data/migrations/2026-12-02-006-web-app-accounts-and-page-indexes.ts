import { PostgresAdapter, type Kysely } from 'kysely'

// Frozen in time (Kysely<any>, no app helpers). What `sightline serve` needs: single sign-on identities and
// bookkeeping on UI users, sliding and absolute expiry on sessions, a login-attempt log for rate limiting,
// UI jobs (statement uploads run off the request path), and the indexes the pages read through.

export async function up(db: Kysely<any>): Promise<void> {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter
  const withId = (table: string) =>
    pg
      ? db.schema.createTable(table).addColumn('id', 'serial', (c) => c.primaryKey())
      : db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())

  await db.schema.alterTable('ui_users').addColumn('oidc_issuer', 'text').execute()
  await db.schema.alterTable('ui_users').addColumn('oidc_subject', 'text').execute()
  await db.schema.alterTable('ui_users').addColumn('updated_at', 'text').execute()
  await db.schema.alterTable('ui_users').addColumn('password_changed_at', 'text').execute()

  // expires_at (migration 001) slides with use; absolute_expires_at never moves.
  await db.schema.alterTable('ui_sessions').addColumn('absolute_expires_at', 'text').execute()
  await db.schema.alterTable('ui_sessions').addColumn('last_seen_at', 'text').execute()
  await db.schema.alterTable('ui_sessions').addColumn('auth_method', 'text').execute()

  await withId('ui_login_attempts')
    // `account:<email>` or `address:<ip>`: one row per key, so one index serves both limits.
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('attempted_at', 'text', (c) => c.notNull())
    .addColumn('succeeded', 'integer', (c) => c.notNull().defaultTo(0))
    .execute()

  await withId('ui_jobs')
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('scan_run_id', 'integer')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('rejects_csv', 'text')
    .addColumn('error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute()

  const indexes: [name: string, table: string, columns: string[], unique?: boolean][] = [
    // Single sign-on: the user an ID token's (iss, sub) belongs to.
    ['ui_users_oidc', 'ui_users', ['oidc_issuer', 'oidc_subject'], true],
    // Sign out everywhere, and disabling a user: every session of one user.
    ['ui_sessions_user', 'ui_sessions', ['user_id']],
    // Rate limit: recent attempts for one account or one address.
    ['ui_login_attempts_key_at', 'ui_login_attempts', ['key', 'attempted_at']],
    // Imports & scans page (newest first) and the Overview's freshness of each source.
    ['scan_runs_started_at', 'scan_runs', ['started_at']],
    // Per-app and per-person pages: the findings about one subject.
    ['findings_subject', 'findings', ['subject_type', 'subject_id']],
    // Per-app page: spend by month and by cardholder for one app (migration 004 left it to the pages).
    ['spend_transactions_app_posted', 'spend_transactions', ['app_id', 'posted_on']],
    // Per-person page: one person's card lines by month.
    ['spend_transactions_person_posted', 'spend_transactions', ['person_id', 'posted_on']],
    // Per-app page: users of one app with their last sign-in (the existing index leads with person_id).
    ['signin_daily_app_person', 'signin_daily', ['app_id', 'person_id']],
    // Upload page: the job that started a run.
    ['ui_jobs_scan_run', 'ui_jobs', ['scan_run_id']],
  ]
  for (const [name, table, columns, unique] of indexes) {
    const builder = db.schema.createIndex(name).on(table).columns(columns)
    await (unique ? builder.unique() : builder).execute()
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'ui_jobs_scan_run', 'signin_daily_app_person', 'spend_transactions_person_posted', 'spend_transactions_app_posted',
    'findings_subject', 'scan_runs_started_at', 'ui_sessions_user', 'ui_users_oidc',
  ]) {
    await db.schema.dropIndex(name).ifExists().execute()
  }
  await db.schema.dropTable('ui_jobs').ifExists().execute()
  await db.schema.dropTable('ui_login_attempts').ifExists().execute()
  for (const column of ['auth_method', 'last_seen_at', 'absolute_expires_at']) await db.schema.alterTable('ui_sessions').dropColumn(column).execute()
  for (const column of ['password_changed_at', 'updated_at', 'oidc_subject', 'oidc_issuer']) await db.schema.alterTable('ui_users').dropColumn(column).execute()
}
