import { sql, type Kysely } from 'kysely'
import { appendAuditEvent } from './audit.js'
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
  /**
   * False: only update people who exist. A directory identity that matches nobody on the HR roster is not a person
   * (a service or shared account, or someone HR does not know): it stays an unmatched identity.
   */
  insertNew?: boolean
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
    const fresh = options.insertNew === false ? [] : chunk.filter((e) => !found.has(e)).map((e) => byEmail.get(e)!)
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

/** Whether an authoritative HR roster has ever been imported: from then on, only the roster makes people. */
export async function hasRoster(db: Kysely<Database>): Promise<boolean> {
  return (await db.selectFrom('person_identities').select('id').where('source', '=', HR_SOURCE).limit(1).executeTakeFirst()) !== undefined
}

/**
 * After a complete roster import (in its transaction): a person whose roster identity is gone becomes missing from
 * the roster since `at` (kept, with the date, until a roster lists them again); one listed again loses the mark.
 * Each change is audited. Returns the emails that changed each way.
 */
export async function recordRosterPresence(db: Kysely<Database>, options: { at: string; actor: string }): Promise<{ missing: string[]; back: string[] }> {
  const listed = sql<boolean>`exists (select 1 from person_identities i where i.person_id = people.id and i.source = ${HR_SOURCE} and i.gone_at is null)`
  const everListed = sql<boolean>`exists (select 1 from person_identities i where i.person_id = people.id and i.source = ${HR_SOURCE})`
  const back = await db.selectFrom('people').select(['id', 'email', 'roster_missing_since']).where('roster_missing_since', 'is not', null).where(listed).orderBy('email').execute()
  const missing = await db.selectFrom('people').select(['id', 'email']).where('roster_missing_since', 'is', null).where(everListed).where(sql<boolean>`not ${listed}`).orderBy('email').execute()
  for (const p of back) {
    await db.updateTable('people').set({ roster_missing_since: null, updated_at: options.at }).where('id', '=', p.id).execute()
    await appendAuditEvent(db, { actor: options.actor, action: 'person.roster.listed-again', subjectType: 'person', subjectId: p.id, payload: { email: p.email, missingSince: p.roster_missing_since }, occurredAt: options.at })
  }
  for (const p of missing) {
    await db.updateTable('people').set({ roster_missing_since: options.at, updated_at: options.at }).where('id', '=', p.id).execute()
    await appendAuditEvent(db, { actor: options.actor, action: 'person.roster.missing', subjectType: 'person', subjectId: p.id, payload: { email: p.email, since: options.at }, occurredAt: options.at })
  }
  return { missing: missing.map((p) => p.email), back: back.map((p) => p.email) }
}

/**
 * Links directory identities, app accounts and OAuth grants that match no person yet to the roster person with the
 * same email: a roster imported after the directories claims the identities it lists.
 */
export async function linkIdentitiesByEmail(db: Kysely<Database>): Promise<number> {
  let linked = 0
  for (const [table, column] of [['person_identities', 'email'], ['accounts', 'email'], ['grants', 'user_email']] as const) {
    const r = await sql`
      update ${sql.table(table)} set person_id = (select p.id from people p where p.email = ${sql.ref(`${table}.${column}`)})
      where person_id is null and ${sql.ref(column)} is not null
        and exists (select 1 from people p where p.email = ${sql.ref(`${table}.${column}`)})
    `.execute(db)
    linked += Number(r.numAffectedRows ?? 0)
  }
  return linked
}

/** People on the roster and those it stopped listing (with since when), for `stats` and the web app. */
export async function rosterPresence(db: Kysely<Database>): Promise<{ roster: boolean; onRoster: number; missing: { email: string; since: string; status: string }[] }> {
  const roster = await hasRoster(db)
  if (!roster) return { roster, onRoster: 0, missing: [] }
  const on = await db.selectFrom('people').select((eb) => eb.fn.countAll<number>().as('n')).where('sources', 'like', '%"hr"%').where('roster_missing_since', 'is', null).executeTakeFirstOrThrow()
  const missing = await db.selectFrom('people').select(['email', 'roster_missing_since', 'status']).where('roster_missing_since', 'is not', null).orderBy('roster_missing_since').orderBy('email').execute()
  return { roster, onRoster: Number(on.n), missing: missing.map((m) => ({ email: m.email, since: m.roster_missing_since!, status: m.status })) }
}
