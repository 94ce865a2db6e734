import { createCampaign, launchCampaign, mintSignInLink, signInUrl } from '../../data/campaigns/index.js'
import type { Store } from '../../data/connection.js'
import { cliActor, mailFromEnv } from './campaign-env.js'

export interface DemoCampaign {
  id: number
  name: string
  items: number
  reviewers: number
  /** A few reviewers' single-use sign-in links (printed once; only their hashes are stored). */
  signIns: Array<{ email: string; url: string }>
}

/**
 * The demo's launched campaign: managers review their reports' risky grants and access unused for 60 days, with IT
 * as the fallback. Prints sign-in links for a few reviewers so `sightline serve` can be tried as one of them.
 */
export async function launchDemoCampaign(store: Store, show = 5): Promise<DemoCampaign> {
  const db = store.db
  const it = await db.selectFrom('people').select('email').where('department', '=', 'IT').where('status', '=', 'active').orderBy('email').executeTakeFirst()
  const fallback = it?.email ?? (await db.selectFrom('people').select('email').orderBy('id').executeTakeFirstOrThrow()).email
  const actor = cliActor()
  const due = new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)
  const campaign = await createCampaign(db, { name: 'Demo access review', scope: { riskyGrants: true, inactiveDays: 60 }, reviewer: { kind: 'manager' }, fallbackReviewer: fallback, dueAt: due, instructions: 'Keep what the person needs for their job today; revoke the rest.' }, actor)
  const launch = await launchCampaign(db, campaign.id, actor)
  const baseUrl = mailFromEnv().baseUrl
  const signIns: DemoCampaign['signIns'] = []
  for (const email of launch.reviewers.slice(0, show)) {
    const token = await mintSignInLink(db, { email, campaignId: campaign.id, now: new Date().toISOString() })
    signIns.push({ email, url: signInUrl(baseUrl, token) })
  }
  return { id: campaign.id, name: campaign.name, items: launch.items, reviewers: launch.reviewers.length, signIns }
}
