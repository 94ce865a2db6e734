import { sql, type Kysely } from 'kysely'
import { ensureCandidateApp, ensureCatalogApp } from '../data/apps.js'
import { findCandidateApp } from '../data/candidates.js'
import { pointIdentifiersAtApp } from '../data/identifiers.js'
import type { Database } from '../data/database.js'
import { loadCatalog } from '../data/catalog/index.js'
import { candidateKey } from './resolve/index.js'
import { detectSubscriptions } from './resolve/subscriptions.js'

function titleCase(value: string): string {
  return value.toLowerCase().replace(/\b[a-z]/g, (c) => c.toUpperCase())
}

/**
 * Card merchants that match no catalog app but bill at a monthly or annual rhythm are likely SaaS: each
 * becomes an unknown candidate app (grouped by its normalised key) and its identifiers point at it; the charges
 * follow when data/spend-attribution.ts runs.
 */
export async function promoteRecurringMerchants(db: Kysely<Database>, options: { now: string; nonSoftware: RegExp; software: RegExp }): Promise<number> {
  const all = await sql<{ candidate_key: string; posted_on: string; amount_minor: number; currency: string; example: string; category: string | null }>`
    select i.candidate_key, s.posted_on, s.amount_minor, s.currency, i.value as example, s.category
    from spend_transactions s join identifiers i on i.id = s.identifier_id
    where s.app_id is null and i.candidate_key is not null and i.confirmed = 0
    order by i.candidate_key, s.posted_on
  `.execute(db)
  // A lunch place charged every month is still a lunch place: the card's own category rules it out.
  const excluded = new Set(all.rows.filter((c) => c.category !== null && options.nonSoftware.test(c.category)).map((c) => c.candidate_key))
  const charges = { rows: all.rows.filter((c) => !excluded.has(c.candidate_key)) }
  if (charges.rows.length === 0) return 0
  const names = new Map<string, string>()
  for (const c of charges.rows) if (!names.has(c.candidate_key)) names.set(c.candidate_key, c.example)
  const recurring = detectSubscriptions(
    charges.rows.map((c) => ({ candidateKey: c.candidate_key, date: c.posted_on, amountMinor: Number(c.amount_minor), currency: c.currency })),
  ).map((s) => ({ candidateKey: s.candidateKey, why: `Recurring ${s.cadence} charges (${s.charges.length} so far) from a merchant no catalog entry matches.` }))
  // The card network already filed some charges under software: no rhythm needed to call those SaaS.
  const software = [...new Set(charges.rows.filter((c) => c.category !== null && options.software.test(c.category)).map((c) => c.candidate_key))]
    .filter((key) => !recurring.some((r) => r.candidateKey === key))
    .map((key) => ({ candidateKey: key, why: 'Charged under a software category by the card network; no catalog entry matches the merchant.' }))
  const subscriptions = [...recurring, ...software]
  // A recurring charge whose merchant is exactly a catalogued app's name ("Loom" typed into an expense report)
  // is that app: names too common to match on a card line alone are trusted once they bill like a subscription.
  const byName = new Map(loadCatalog().entries.map((e) => [candidateKey('name', e.name), e]))
  let promoted = 0
  for (const s of subscriptions) {
    const catalogued = byName.get(s.candidateKey)
    let app: { id: number } | null = catalogued
      ? { id: await ensureCatalogApp(db, { catalogKey: catalogued.key, name: catalogued.name, vendor: catalogued.vendor, category: catalogued.category }, options.now) }
      : await findCandidateApp(db, s.candidateKey)
    if (!app) {
      const made = await ensureCandidateApp(db, { candidateKey: s.candidateKey, name: titleCase(names.get(s.candidateKey) ?? s.candidateKey), category: null, notes: s.why }, options.now)
      app = { id: made.id }
      if (made.created) promoted += 1
    }
    // The card lines follow their identifiers in data/spend-attribution.ts (rule "candidate-app").
    await pointIdentifiersAtApp(db, { candidateKey: s.candidateKey, onlyUnattributed: true }, app.id)
  }
  return promoted
}
