import type { Kysely } from 'kysely'
import type { Database } from './database.js'
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

function withSource(sources: string, source: string): string {
  const list = JSON.parse(sources) as string[]
  return list.includes(source) ? sources : JSON.stringify([...list, source].sort())
}

/**
 * Inserts or updates one person by email. An authoritative source (the HR roster) sets every field it has,
 * status included; any other source only fills fields that are still empty, so a directory never overrides HR.
 */
export async function upsertPerson(
  db: Kysely<Database>,
  fields: PersonFields,
  options: { source: string; authoritative: boolean; now: string },
): Promise<{ id: number; outcome: PersonUpsertOutcome }> {
  const existing = await db.selectFrom('people').selectAll().where('email', '=', fields.email).executeTakeFirst()
  if (!existing) {
    const row = await db
      .insertInto('people')
      .values({
        email: fields.email,
        status: fields.status,
        ...Object.fromEntries(FIELDS.map((f) => [f, fields[f] ?? null])),
        sources: JSON.stringify([options.source]),
        created_at: options.now,
        updated_at: options.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { id: row.id, outcome: 'inserted' }
  }
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
  if (Object.keys(changes).length === 0) return { id: existing.id, outcome: 'unchanged' }
  await db.updateTable('people').set({ ...changes, updated_at: options.now }).where('id', '=', existing.id).execute()
  return { id: existing.id, outcome: 'updated' }
}
