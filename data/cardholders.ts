// Which person a card line belongs to, from the cardholder name a statement prints ("PRIYA K SHAH",
// "SHAH, PRIYA", "Priya Shah"), and the department a linked line takes from its person when the export has none.
import { sql, type Kysely } from 'kysely'
import type { Database } from './database.js'

const SUFFIXES = new Set(['jr', 'sr', 'ii', 'iii', 'iv', 'phd', 'md', 'cpa', 'esq'])

/** Lower-case name words, "LAST, FIRST M" turned around, accents and punctuation dropped, suffixes removed. */
function nameWords(name: string): string[] {
  let text = name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim()
  const comma = text.indexOf(',')
  if (comma > 0) {
    const after = text.slice(comma + 1).trim()
    // "Shah, Priya K" — but not "Priya Shah, Jr."
    const afterWords = after.replace(/[.]/g, '').split(/\s+/).filter(Boolean)
    if (afterWords.length > 0 && !afterWords.every((w) => SUFFIXES.has(w))) text = `${after} ${text.slice(0, comma)}`
  }
  return text
    .replace(/[.]/g, ' ').replace(/[^a-z0-9' -]+/g, ' ')
    .replace(/'/g, '')
    .split(/[\s]+/)
    .filter((w) => w !== '' && w !== '-' && !SUFFIXES.has(w))
}

/**
 * Two keys per name: `full` (every word, initials included) and `core` (first and last name, initials and middle
 * names ignored). A card printing "PRIYA K SHAH" meets a roster's "Priya Shah" on core.
 */
export function cardholderKeys(name: string): { full: string; core: string } | null {
  const words = nameWords(name)
  const names = words.filter((w) => w.replace(/-/g, '').length > 1)
  if (names.length < 2) return null
  return { full: words.join(' '), core: `${names[0]} ${names[names.length - 1]}` }
}

export interface NamedPerson {
  id: number
  name: string | null
  given_name?: string | null
  family_name?: string | null
}

/** Matches cardholder names to people; a name two people share (after ignoring initials) matches nobody. */
export class CardholderIndex {
  private readonly full = new Map<string, number | null>()
  private readonly core = new Map<string, number | null>()

  constructor(people: readonly NamedPerson[]) {
    for (const p of people) {
      const names = new Set([p.name, [p.given_name, p.family_name].filter(Boolean).join(' ')].filter((n): n is string => Boolean(n && n.trim())))
      const fulls = new Set<string>()
      const cores = new Set<string>()
      for (const n of names) {
        const k = cardholderKeys(n)
        if (!k) continue
        fulls.add(k.full)
        cores.add(k.core)
      }
      for (const k of fulls) this.full.set(k, this.full.has(k) && this.full.get(k) !== p.id ? null : p.id)
      for (const k of cores) this.core.set(k, this.core.has(k) && this.core.get(k) !== p.id ? null : p.id)
    }
  }

  /** The one person this printed name belongs to, or null (unknown, or ambiguous). */
  match(cardholder: string): number | null {
    const k = cardholderKeys(cardholder)
    if (!k) return null
    const exact = this.full.get(k.full)
    if (exact !== undefined) return exact
    // Unique only once initials and middle names are ignored: still that person; shared by two: nobody.
    return this.core.get(k.core) ?? null
  }
}

/**
 * Links the card lines that have a cardholder name or email but no person yet, and gives every linked line
 * without a department its person's department. Runs after a spend import and after a roster import (either
 * may come first). Returns the number of lines newly linked.
 */
export async function linkCardLines(db: Kysely<Database>): Promise<number> {
  let linked = 0
  const byEmail = await sql<{ n: number | string }>`
    update spend_transactions set person_id = (select p.id from people p where p.email = spend_transactions.cardholder_email)
    where person_id is null and cardholder_email is not null
      and exists (select 1 from people p where p.email = spend_transactions.cardholder_email)
  `.execute(db)
  linked += Number(byEmail.numAffectedRows ?? 0)
  const names = await db
    .selectFrom('spend_transactions')
    .select('cardholder')
    .distinct()
    .where('person_id', 'is', null)
    .where('cardholder', 'is not', null)
    .execute()
  if (names.length > 0) {
    const index = new CardholderIndex(await db.selectFrom('people').select(['id', 'name', 'given_name', 'family_name']).execute())
    for (const { cardholder } of names) {
      const id = index.match(cardholder!)
      if (id === null) continue
      const r = await db.updateTable('spend_transactions').set({ person_id: id }).where('person_id', 'is', null).where('cardholder', '=', cardholder).executeTakeFirst()
      linked += Number(r.numUpdatedRows)
    }
  }
  await sql`
    update spend_transactions set department = (select p.department from people p where p.id = spend_transactions.person_id)
    where department is null and person_id is not null
      and exists (select 1 from people p where p.id = spend_transactions.person_id and p.department is not null)
  `.execute(db)
  return linked
}
