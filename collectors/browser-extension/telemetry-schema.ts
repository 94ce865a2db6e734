import { z } from 'zod'

/**
 * One event the browser extension reports. Untrusted input: every field is bounded and checked, and
 * only the origin of a URL is accepted (never a path or query, which could carry personal data).
 */
export const telemetryEventSchema = z.object({
  eventId: z.string().min(1).max(128),
  deviceId: z.string().min(1).max(128),
  userEmail: z.string().trim().toLowerCase().email().max(320).optional().nullable(),
  domain: z
    .string()
    .trim()
    .toLowerCase()
    .max(253)
    .regex(/^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{2,63}$/, 'not a domain name'),
  url: z.string().max(2048).optional().nullable(),
  kind: z.enum(['visit', 'login', 'signup', 'oauth_consent']),
  occurredAt: z.string().refine((v) => !Number.isNaN(Date.parse(v)) && /^\d{4}-\d{2}-\d{2}T/.test(v), 'not an ISO-8601 time'),
})

export type TelemetryEvent = z.infer<typeof telemetryEventSchema>

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `field ${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
}
