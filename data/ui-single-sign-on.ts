import type { Kysely } from 'kysely'
import { appendAuditEvent } from './audit.js'
import type { Database } from './database.js'
import type { UiUser } from './tables/auth.table.js'

/** What the issuer vouched for, read from a verified ID token. */
export interface OidcIdentity {
  issuer: string
  subject: string
  /** The `email` claim, as sent (normalised here). */
  email: string | null
  /** The `email_verified` claim; absent (Microsoft Entra sends none) counts as the company issuer's word. */
  emailVerified: boolean | null
}

export type OidcRefusal =
  /** The issuer sent no email and the subject is linked to nobody. */
  | 'no-email'
  /** The issuer says the email is not verified: it cannot be trusted to pick an account. */
  | 'email-unverified'
  /** The account with this email is linked to another identity at the same issuer. */
  | 'linked-elsewhere'
  | 'disabled'
  /** Not a Sightline user, and no review is assigned to this address. */
  | 'no-account'

export type OidcSignInResult = { user: UiUser; created: boolean; linked: boolean } | { refused: OidcRefusal }

/**
 * Decides who a single sign-on identity is, in one transaction:
 * 1. the account already linked to (issuer, subject);
 * 2. else the account with the verified email, which is then linked (audited) — unless it is linked to someone
 *    else at this issuer (an email handed on to a new employee must not inherit the old one's account);
 * 3. else, when a review in an active campaign is assigned to the email, a new `reviewer` account linked to the
 *    identity (audited). Nobody else gets in by single sign-on alone.
 */
export async function resolveOidcSignIn(db: Kysely<Database>, identity: OidcIdentity, at: string): Promise<OidcSignInResult> {
  const email = identity.email?.trim().toLowerCase() || null
  return db.transaction().execute(async (trx) => {
    const linked = await trx
      .selectFrom('ui_users')
      .selectAll()
      .where('oidc_issuer', '=', identity.issuer)
      .where('oidc_subject', '=', identity.subject)
      .executeTakeFirst()
    if (linked) return linked.disabled !== 0 ? { refused: 'disabled' } : { user: linked, created: false, linked: false }

    if (email === null) return { refused: 'no-email' }
    if (identity.emailVerified === false) return { refused: 'email-unverified' }

    const byEmail = await trx.selectFrom('ui_users').selectAll().where('email', '=', email).executeTakeFirst()
    if (byEmail) {
      if (byEmail.oidc_subject !== null && byEmail.oidc_issuer === identity.issuer) return { refused: 'linked-elsewhere' }
      if (byEmail.disabled !== 0) return { refused: 'disabled' }
      const user = await trx
        .updateTable('ui_users')
        .set({ oidc_issuer: identity.issuer, oidc_subject: identity.subject, updated_at: at })
        .where('id', '=', byEmail.id)
        .returningAll()
        .executeTakeFirstOrThrow()
      await appendAuditEvent(trx, {
        actor: email, action: 'ui.user.sso.link', subjectType: 'ui_user', subjectId: user.id,
        payload: { email, issuer: identity.issuer, replaced: byEmail.oidc_issuer !== null }, occurredAt: at,
      })
      return { user, created: false, linked: true }
    }

    const assigned = await trx
      .selectFrom('review_items')
      .innerJoin('campaigns', 'campaigns.id', 'review_items.campaign_id')
      .select('review_items.campaign_id')
      .where('review_items.reviewer_email', '=', email)
      .where('campaigns.status', '=', 'active')
      .limit(1)
      .executeTakeFirst()
    if (!assigned) return { refused: 'no-account' }
    const user = await trx
      .insertInto('ui_users')
      .values({
        email, role: 'reviewer', name: null, password_hash: null, disabled: 0, created_at: at, updated_at: at,
        password_changed_at: null, oidc_issuer: identity.issuer, oidc_subject: identity.subject, last_login_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    await appendAuditEvent(trx, {
      actor: email, action: 'ui.user.add', subjectType: 'ui_user', subjectId: user.id,
      payload: { email, role: 'reviewer', password: false, singleSignOn: true, reason: `reviewer in campaign ${assigned.campaign_id}, first single sign-on` },
      occurredAt: at,
    })
    return { user, created: true, linked: true }
  })
}
