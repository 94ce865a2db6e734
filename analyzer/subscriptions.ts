import { sql, type Kysely } from 'kysely'
import { findCandidateApp } from '../data/candidates.js'
import type { Database } from '../data/database.js'
import { detectSubscriptions } from './resolve/subscriptions.js'

function titleCase(value: string): string {
  return value.toLowerCase().replace(/\b[a-z]/g, (c) => c.toUpperCase())
}

/**
 * Card merchants that match no catalog app but bill at a monthly or annual rhythm are likely SaaS: each
 * becomes an unknown candidate app (grouped by its normalised key) and its charges are attributed to it.
 */
export async function promoteRecurringMerchants(db: Kysely<Database>, options: { now: string }): Promise<number> {
  const charges = await sql<{ candidate_key: string; posted_on: string; amount_minor: number; currency: string; example: string }>`
    select i.candidate_key, s.posted_on, s.amount_minor, s.currency, i.value as example
    from spend_transactions s join identifiers i on i.id = s.identifier_id
    where s.app_id is null and i.candidate_key is not null and i.confirmed = 0
    order by i.candidate_key, s.posted_on
  `.execute(db)
  if (charges.rows.length === 0) return 0
  const names = new Map<string, string>()
  for (const c of charges.rows) if (!names.has(c.candidate_key)) names.set(c.candidate_key, c.example)
  const subscriptions = detectSubscriptions(
    charges.rows.map((c) => ({ candidateKey: c.candidate_key, date: c.posted_on, amountMinor: Number(c.amount_minor), currency: c.currency })),
  )
  let promoted = 0
  for (const s of subscriptions) {
    let app: { id: number } | null = await findCandidateApp(db, s.candidateKey)
    if (!app) {
      app = await db
        .insertInto('apps')
        .values({
          candidate_key: s.candidateKey,
          name: titleCase(names.get(s.candidateKey) ?? s.candidateKey).slice(0, 200),
          status: 'unknown',
          notes: `Recurring ${s.cadence} charges (${s.charges} so far) from a merchant no catalog entry matches.`,
          first_seen_at: options.now,
          updated_at: options.now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
      promoted += 1
    }
    const identifiers = db.selectFrom('identifiers').select('id').where('candidate_key', '=', s.candidateKey).where('confirmed', '=', 0)
    await db.updateTable('identifiers').set({ app_id: app.id }).where('candidate_key', '=', s.candidateKey).where('confirmed', '=', 0).where('app_id', 'is', null).execute()
    await db.updateTable('spend_transactions').set({ app_id: app.id }).where('app_id', 'is', null).where('identifier_id', 'in', identifiers).execute()
  }
  return promoted
}
