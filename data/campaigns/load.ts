import type { Kysely, Transaction } from 'kysely'
import type { Database } from '../database.js'
import type { Campaign, ReviewItem } from '../tables/reviews.table.js'
import { invalid, notFound } from './errors.js'

type Db = Kysely<Database> | Transaction<Database>

export async function loadCampaign(db: Db, id: number): Promise<Campaign> {
  const campaign = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst()
  if (!campaign) throw notFound(`campaign ${id}`)
  return campaign
}

export async function loadActiveCampaign(db: Db, id: number): Promise<Campaign> {
  const campaign = await loadCampaign(db, id)
  if (campaign.status === 'draft') throw invalid(`campaign ${id} has not been launched`)
  if (campaign.status === 'closed') throw invalid(`campaign ${id} is closed: its decisions are final`)
  return campaign
}

export async function loadItem(db: Db, id: number): Promise<ReviewItem> {
  const item = await db.selectFrom('review_items').selectAll().where('id', '=', id).executeTakeFirst()
  if (!item) throw notFound(`review item ${id}`)
  return item
}

/** Rows in batches that stay under SQLite's 32,766 bound parameters. */
export function batches<T>(rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(30_000 / columns))
  const out: T[][] = []
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size))
  return out
}
