import { z } from 'zod'
import { FUNCTION_NAMES } from './subcategories.js'

import { CATEGORIES } from './categories.js'

export { CATEGORIES, type Category } from './categories.js'

const kebab = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case kebab-case')

/** `example.com` or `example.com/path` — a path narrows the match to URLs under it. */
const domainLike = z
  .string()
  .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+(\/[a-z0-9._~\-/]*)?$/, 'must be a lower-case host, optionally with a path')

/** `*.slack.com` or `*.atlassian.net/wiki`: any subdomain (the tenant) of the suffix. */
const tenantPattern = z
  .string()
  .regex(/^\*\.[a-z0-9-]+(\.[a-z0-9-]+)+(\/[a-z0-9._~\-/]*)?$/, 'must look like *.example.com[/path]')

/** As printed on card statements; `*` separates a processor or vendor prefix from what follows. */
const merchantPattern = z
  .string()
  .min(2)
  .regex(/^[A-Z0-9][A-Z0-9 .&'*/,+-]*$/, 'must be upper-case statement text')

const availability = z
  .object({
    /** null = not known from public pricing pages */
    available: z.boolean().nullable(),
    /** the cheapest plan that includes it (the "SSO tax"), when known */
    plan: z.string().min(1).nullable(),
  })
  .strict()

const oauthClient = z
  .object({
    name: z.string().min(1),
    /** public OAuth client ids (Google `…apps.googleusercontent.com`, Entra application ids) */
    clientIds: z.array(z.string().min(3)).default([]),
  })
  .strict()

const unknownAvailability = { available: null, plan: null }

export const catalogEntrySchema = z
  .object({
    key: kebab,
    name: z.string().min(1),
    vendor: z.string().min(1),
    category: z.enum(CATEGORIES),
    /** what job the app does; apps sharing a function are substitutes (see `subcategories.ts`) */
    function: z.enum(FUNCTION_NAMES).optional(),
    domains: z.array(domainLike).default([]),
    tenantPatterns: z.array(tenantPattern).default([]),
    merchantPatterns: z.array(merchantPattern).default([]),
    oauthClients: z.array(oauthClient).default([]),
    ssoLabels: z.array(z.string().min(1)).default([]),
    /** the vendor's browser extensions, `chrome:<32 letters a-p>` (Chrome Web Store id) or `firefox:<add-on id>` */
    extensions: z.array(z.string().regex(/^(chrome:[a-p]{32}|firefox:[a-z0-9@._{}-]{3,80})$/, 'must be chrome:<id> or firefox:<add-on id>')).optional(),
    aliases: z.array(z.string().min(1)).default([]),
    /** the bare name is a common word (Notion, Box, Ramp): never match a card descriptor on it alone */
    ambiguousName: z.boolean().default(false),
    sso: availability.default(unknownAvailability),
    scim: availability.default(unknownAvailability),
    tags: z.array(kebab).default([]),
    parent: kebab.optional(),
    /** higher wins when entries share a domain or pattern on purpose */
    precedence: z.number().int().optional(),
    /** where the facts come from: `sightline-curated` (hand-checked on the vendor's site) or a dataset at a commit (SOURCES.md) */
    sources: z.array(z.string().min(1)).min(1).default(['sightline-curated']),
  })
  .strict()

export type CatalogEntry = z.output<typeof catalogEntrySchema>
export type CatalogEntryInput = z.input<typeof catalogEntrySchema>

export const catalogFileSchema = z.array(catalogEntrySchema)
