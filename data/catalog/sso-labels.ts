import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { z } from 'zod'
import type { CatalogEntry } from './schema.js'

/**
 * SSO app labels as identity providers' app galleries list them (`Zoom for Government`, `Twilio Sendgrid`), kept
 * apart from the entries so a rebuild of `generated/` keeps them: `loadCatalog` adds each file's labels to the
 * entries it names, with the file's source.
 */
export const SSO_LABEL_DIR = fileURLToPath(new URL('./sso-labels/', import.meta.url))

const ssoLabelFileSchema = z
  .object({
    /** `<gallery>@<commit>`, added to the `sources` of every entry the file labels */
    source: z.string().regex(/^[a-z0-9-]+@[0-9a-f]{7,40}$/, 'expected <gallery>@<commit>'),
    /** where the labels were read, in words */
    from: z.string().min(1),
    labels: z.record(z.string().min(1), z.array(z.string().trim().min(1)).min(1)),
  })
  .strict()

export interface SsoLabelFile {
  file: string
  source: string
  labels: Readonly<Record<string, readonly string[]>>
}

/** Reads every `sso-labels/*.json`; a malformed file is an error naming the file and field. */
export function loadSsoLabelFiles(dir: string = SSO_LABEL_DIR): SsoLabelFile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      let raw: unknown
      try {
        raw = JSON.parse(readFileSync(join(dir, f), 'utf8'))
      } catch (cause) {
        throw new Error(`catalog: read sso-labels/${f}: not valid JSON`, { cause })
      }
      const parsed = ssoLabelFileSchema.safeParse(raw)
      if (!parsed.success) {
        const first = parsed.error.issues[0]
        throw new Error(`catalog: validate sso-labels/${f}: ${first?.path.join('.') || '(file)'}: ${first?.message}`, { cause: parsed.error })
      }
      return { file: f, source: parsed.data.source, labels: parsed.data.labels }
    })
}

/**
 * The entries with the gallery labels added (each label once) and the gallery named among their sources. A label
 * for a key the catalog does not hold is an error: a rebuild that renamed or dropped an entry must not lose it quietly.
 */
export function withSsoLabels(entries: readonly CatalogEntry[], files: readonly SsoLabelFile[]): CatalogEntry[] {
  const added = new Map<string, { labels: string[]; sources: string[] }>()
  const keys = new Set(entries.map((e) => e.key))
  for (const f of files) {
    for (const [key, labels] of Object.entries(f.labels)) {
      if (!keys.has(key)) throw new Error(`catalog: sso-labels/${f.file}: labels.${key}: no catalog entry has this key`)
      const a = added.get(key) ?? { labels: [], sources: [] }
      a.labels.push(...labels)
      a.sources.push(f.source)
      added.set(key, a)
    }
  }
  return entries.map((e) => {
    const a = added.get(e.key)
    if (!a) return e
    return {
      ...e,
      ssoLabels: [...new Set([...e.ssoLabels, ...a.labels])],
      sources: [...new Set([...e.sources, ...a.sources])],
    }
  })
}
