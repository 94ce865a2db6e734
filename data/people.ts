import type { Kysely } from 'kysely'
import type { Database } from './database.js'
import type { Person } from './tables/people.table.js'
import type { EmploymentType, PersonStatus } from './tables/people.table.js'

export interface PersonFields {
  email: string
  name?: string | null
  given_name?: string | null
  family_name?: string | null
  employee_number?: string | null
  department?: string | null
  title?: string | null
  manager_email?: string | null
  location?: string | null
  employment_type?: EmploymentType | null
  status: PersonStatus
  start_date?: string | null
  end_date?: string | null
}

const FIELDS = [
  'name', 'given_name', 'family_name', 'employee_number', 'department', 'title', 'manager_email', 'location',
  'employment_type', 'start_date', 'end_date',
] as const

/** The source id of the HR roster, the authority on who works here. */
export const HR_SOURCE = 'hr'

export type PersonUpsertOutcome = 'inserted' | 'updated' | 'unchanged'

export interface UpsertOptions {
  source: string
  authoritative: boolean
  now: string
}

function withSource(sources: string, source: string): string {
  const list = JSON.parse(sources) as string[]
  return list.includes(source) ? sources : JSON.stringify([...list, source].sort())
}

/**
 * What to change on a stored person. An authoritative source (the HR roster) sets every field it has,
 * status included; any other source only fills fields that are still empty, so a directory never overrides HR.
 */
export function personChanges(existing: Person, fields: PersonFields, options: UpsertOptions): Record<string, string | null> {
  const changes: Record<string, string | null> = {}
  for (const f of FIELDS) {
    const value = fields[f]
    if (value === undefined) continue
    if (options.authoritative ? value !== existing[f] : existing[f] == null && value != null) changes[f] = value
  }
  // Without a roster, the directories are the only word on status; with one, only the roster changes it.
  const statusFromHere = options.authoritative || !(JSON.parse(existing.sources) as string[]).includes(HR_SOURCE)
  if (statusFromHere && fields.status !== existing.status) changes.status = fields.status
  const sources = withSource(existing.sources, options.source)
  if (sources !== existing.sources) changes.sources = sources
  return changes
}

const CHUNK = 400

/**
 * Inserts or updates people by email, a page at a time: one query to find who exists, one multi-row insert
 * for the new, and an update only for those whose fields changed. Later duplicates of an email in `list` win.
 */
export async function upsertPeople(
  db: Kysely<Database>,
  list: readonly PersonFields[],
  options: UpsertOptions,
): Promise<Map<string, { id: number; outcome: PersonUpsertOutcome }>> {
  const result = new Map<string, { id: number; outcome: PersonUpsertOutcome }>()
  const byEmail = new Map(list.map((p) => [p.email, p]))
  const emails = [...byEmail.keys()]
  for (let i = 0; i < emails.length; i += CHUNK) {
    const chunk = emails.slice(i, i + CHUNK)
    const existing = await db.selectFrom('people').selectAll().where('email', 'in', chunk).execute()
    const found = new Map(existing.map((p) => [p.email, p]))
    const fresh = chunk.filter((e) => !found.has(e)).map((e) => byEmail.get(e)!)
    if (fresh.length > 0) {
      const inserted = await db
        .insertInto('people')
        .values(fresh.map((fields) => ({
          email: fields.email,
          status: fields.status,
          ...Object.fromEntries(FIELDS.map((f) => [f, fields[f] ?? null])),
          sources: JSON.stringify([options.source]),
          created_at: options.now,
          updated_at: options.now,
        })))
        .returning(['id', 'email'])
        .execute()
      for (const row of inserted) result.set(row.email, { id: row.id, outcome: 'inserted' })
    }
    for (const person of existing) {
      const changes = personChanges(person, byEmail.get(person.email)!, options)
      if (Object.keys(changes).length === 0) {
        result.set(person.email, { id: person.id, outcome: 'unchanged' })
        continue
      }
      await db.updateTable('people').set({ ...changes, updated_at: options.now }).where('id', '=', person.id).execute()
      result.set(person.email, { id: person.id, outcome: 'updated' })
    }
  }
  return result
}

/** One person; see upsertPeople. */
export async function upsertPerson(db: Kysely<Database>, fields: PersonFields, options: UpsertOptions): Promise<{ id: number; outcome: PersonUpsertOutcome }> {
  return (await upsertPeople(db, [fields], options)).get(fields.email)!
}
