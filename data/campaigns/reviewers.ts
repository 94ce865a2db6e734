import { z } from 'zod'
import { normalizeEmail } from '../normalize.js'
import { invalid } from './errors.js'

/** Who reviews an item: the person's manager (HR), the app's owner, or one named reviewer. */
export type ReviewerRule = { kind: 'manager' } | { kind: 'owner' } | { kind: 'named'; email: string }

const ruleSchema = z.union([
  z.object({ kind: z.literal('manager') }).strict(),
  z.object({ kind: z.literal('owner') }).strict(),
  z.object({ kind: z.literal('named'), email: z.string().email() }).strict(),
])

export function parseReviewerRule(value: unknown, where = 'reviewer'): ReviewerRule {
  const result = ruleSchema.safeParse(value)
  if (!result.success) throw invalid(`${where}: use manager, owner or an email address`)
  const rule = result.data
  return rule.kind === 'named' ? { kind: 'named', email: cleanEmail(rule.email, where) } : rule
}

/** `manager`, `owner` or an email address, as the CLI and the create form take it. */
export function reviewerRuleFromText(text: string, where = 'reviewer'): ReviewerRule {
  const t = text.trim().toLowerCase()
  if (t === 'manager') return { kind: 'manager' }
  if (t === 'owner') return { kind: 'owner' }
  return parseReviewerRule({ kind: 'named', email: t }, where)
}

export function describeReviewerRule(rule: ReviewerRule): string {
  return rule.kind === 'named' ? rule.email : rule.kind === 'manager' ? "the person's manager" : "the app's owner"
}

export function cleanEmail(value: string, where: string): string {
  const email = normalizeEmail(value)
  if (!email || !z.string().email().safeParse(email).success) throw invalid(`${where}: "${value}" is not an email address`)
  return email
}

export interface ReviewerContext {
  /** The person whose access this is (never their own reviewer). */
  subjectEmail: string | null
  managerEmail: string | null
  ownerEmail: string | null
}

export interface ReviewerChoice {
  email: string
  rule: string
}

/**
 * The reviewer of one item: the rule's reviewer when known and not the subject, else the fallback, else the
 * campaign's creator. Null when every candidate is the subject (the caller refuses the launch).
 */
export function chooseReviewer(rule: ReviewerRule, ctx: ReviewerContext, fallback: string, creator: string | null, ruleLabel: string = rule.kind): ReviewerChoice | null {
  const subject = ctx.subjectEmail ? normalizeEmail(ctx.subjectEmail) : null
  const byRule = rule.kind === 'named' ? rule.email : rule.kind === 'manager' ? ctx.managerEmail : ctx.ownerEmail
  const candidates: Array<[string | null, string]> = [
    [byRule ? normalizeEmail(byRule) : null, ruleLabel],
    [fallback, 'fallback'],
    [creator && creator.includes('@') ? normalizeEmail(creator) : null, 'creator'],
  ]
  for (const [email, label] of candidates) if (email && email !== subject) return { email, rule: label }
  return null
}
