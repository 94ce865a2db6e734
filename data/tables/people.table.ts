import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

export type PersonStatus = 'active' | 'suspended' | 'terminated'
export type EmploymentType = 'employee' | 'contractor'

/** Someone the company knows, keyed by normalised email; merged from every source that mentions them. */
export interface PeopleTable {
  id: Generated<number>
  email: string
  name: string | null
  given_name: string | null
  family_name: string | null
  employee_number: string | null
  department: string | null
  title: string | null
  manager_email: string | null
  location: string | null
  employment_type: EmploymentType | null
  status: PersonStatus
  start_date: string | null
  end_date: string | null
  /** JSON array of source ids that said this person exists, e.g. ["hr","okta"]. */
  sources: Generated<string>
  /** Since when (UTC ISO-8601) the latest complete HR roster no longer lists this person; null while it does. */
  roster_missing_since: Generated<string | null>
  created_at: string
  updated_at: string
}

/** A person as one source knows them, by the source's immutable id (emails change, ids don't). */
export interface PersonIdentitiesTable {
  id: Generated<number>
  source: string
  external_id: string
  person_id: number | null
  email: string | null
  display_name: string | null
  /** Normalised: active | suspended | terminated (the source's own word is in attributes.sourceStatus). */
  status: string | null
  /** JSON object of source-specific attributes (org unit, user type, …). */
  attributes: Generated<string>
  first_seen_at: string
  last_seen_at: string
  last_scan_run_id: number | null
  gone_at: string | null
}

export type Person = Selectable<PeopleTable>
export type NewPerson = Insertable<PeopleTable>
export type PersonUpdate = Updateable<PeopleTable>
export type PersonIdentity = Selectable<PersonIdentitiesTable>
