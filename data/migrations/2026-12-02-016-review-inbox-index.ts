import type { Kysely } from 'kysely'

// Frozen in time. The reviewer inbox filters and counts a reviewer's items by status, sign-off, findings and
// inactivity, and orders them by person and app, on every page view. Those columns come after the large `snapshot`
// in each row, so on SQLite every such read walked the snapshot's overflow pages. One index that carries them lets
// the inbox pick, count and order a reviewer's items from the index alone and read only the 50 rows it shows. It
// replaces the narrower (campaign, reviewer, stage) index, which is its prefix, so a launch still maintains three.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('review_items_inbox')
    .on('review_items')
    .columns(['campaign_id', 'reviewer_email', 'stage', 'status', 'signed_off_at', 'subject_email', 'app_id', 'finding_count', 'last_activity_at'])
    .execute()
  await db.schema.dropIndex('review_items_campaign_reviewer').execute()
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('review_items_campaign_reviewer').on('review_items').columns(['campaign_id', 'reviewer_email', 'stage']).execute()
  await db.schema.dropIndex('review_items_inbox').execute()
}
