import { z } from 'zod'

/**
 * What the extension posts to `POST /api/v1/telemetry`: one batch of events from one device. Untrusted input:
 * every field is bounded, unknown fields are refused (so nothing beyond the documented schema is ever stored), and
 * only a domain is accepted where a site is named — never a URL, a path or page content.
 */

export const MAX_EVENTS_PER_BATCH = 500
export const MAX_BATCH_BYTES = 256 * 1024

const domain = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$/, 'not a domain name')

const id = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, 'only letters, digits and . _ : -')
const isoTime = z
  .string()
  .max(40)
  .refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), 'not an ISO-8601 time with a zone')
const email = z.string().trim().toLowerCase().max(320).pipe(z.email())

/** A site event: a visit, a log-in or sign-up with a company address, an OAuth consent screen. */
const siteEvent = z.strictObject({
  eventId: id,
  kind: z.enum(['visit', 'login', 'signup']),
  domain,
  userEmail: email.nullable().optional(),
  occurredAt: isoTime,
})

const scope = z.string().min(1).max(300).regex(/^[\x21-\x7e]+$/, 'a scope is printable ASCII without spaces')

const consentEvent = z.strictObject({
  eventId: id,
  kind: z.literal('oauth_consent'),
  /** The app asking: the host of the consent URL's redirect_uri, else the identity provider's host. */
  domain,
  userEmail: email.nullable().optional(),
  occurredAt: isoTime,
  provider: z.enum(['google', 'microsoft', 'other']),
  clientId: z.string().min(1).max(256).regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces'),
  scopes: z.array(scope).max(100),
})

const permission = z.string().min(1).max(300)

/** An installed extension as chrome.management reports it (inventory, not activity). */
const extensionEvent = z.strictObject({
  eventId: id,
  kind: z.literal('extension'),
  userEmail: email.nullable().optional(),
  occurredAt: isoTime,
  extension: z.strictObject({
    id: z.string().regex(/^[a-p]{32}$/, 'not a Chrome extension id'),
    name: z.string().min(1).max(200),
    version: z.string().max(50).nullable().optional(),
    permissions: z.array(permission).max(200),
    hostPermissions: z.array(permission).max(500),
    installType: z.enum(['admin', 'development', 'normal', 'sideload', 'other']),
    enabled: z.boolean(),
  }),
})

export const telemetryBatchEventSchema = z.discriminatedUnion('kind', [siteEvent, consentEvent, extensionEvent])

export const telemetryBatchSchema = z.strictObject({
  batchId: id,
  /** The extension's own id for this browser profile, made once at install (a random UUID). */
  deviceId: id,
  extensionVersion: z.string().max(50).optional(),
  sentAt: isoTime.optional(),
  events: z.array(telemetryBatchEventSchema).min(1).max(MAX_EVENTS_PER_BATCH),
})

export type TelemetryBatch = z.infer<typeof telemetryBatchSchema>
export type TelemetryBatchEvent = z.infer<typeof telemetryBatchEventSchema>

/** One line per problem, naming the field by its path (`events.3.domain: not a domain name`). */
export function describeBatchIssues(error: z.ZodError, limit = 10): string {
  const lines = error.issues.slice(0, limit).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
  if (error.issues.length > limit) lines.push(`… and ${error.issues.length - limit} more`)
  return lines.join('; ')
}
