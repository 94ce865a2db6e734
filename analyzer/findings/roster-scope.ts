import { sql, type RawBuilder } from 'kysely'

/**
 * Whether the person aliased `p` drives person findings: once an HR roster exists, only people it lists (a directory
 * user HR does not know — a service or shared account — is an unmatched identity, not an idle licence or a leaver);
 * before any roster, everyone the directories know.
 */
export function countsAsPerson(alias = 'p'): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${alias}.sources`)} like '%"hr"%' or not exists (select 1 from person_identities hr_i where hr_i.source = 'hr'))`
}
