import type { EmploymentType, PersonStatus } from '../../data/tables/people.table.js'

/**
 * What an HR export's status or employment-status cell says, as far as Sightline needs it. HR tools mix the two
 * in one column (BambooHR's *Employment Status* holds `Full-Time`, `Contractor` and `Terminated`), so one word
 * may set the status, the employment type, or both.
 */
export interface HrWord {
  status?: PersonStatus
  employmentType?: EmploymentType
}

// Words as the vendors document them (case, spaces, hyphens and underscores ignored):
// - BambooHR: Status Active | Inactive; Employment Status Full-Time, Part-Time, Contractor, Intern, Terminated, …
// - Rippling roleState: INIT, HIRED, ACCEPTED (offer stage, not started), ACTIVE, TERMINATED
// - Gusto: Active, Onboarding, Terminated, Dismissed; employment type Salary/Hourly, (non-)exempt, Contractor
// - Workday: Active, On Leave, Terminated, Pre-Hire; worker type Employee, Contingent Worker
// - HiBob lifecycle: Employed, Garden leave, Leave, Terminated, Inactive
// - Personio: active, onboarding, leave, inactive
// - Deel: Onboarding, Active, Offboarding, Terminated, Inactive; hiring type employee | contractor | EOR
const WORDS: ReadonlyArray<[RegExp, HrWord]> = [
  [/^(terminated|term|inactive|former( employee)?|separated|deactivated|offboarded|disabled|left|dismissed|resigned|retired|deceased|ex ?employee|no longer employed|not active|cancell?ed|ended|contract ended|ended contract)$/, { status: 'terminated' }],
  [/^(suspended|on leave|leave|leave of absence|loa|paused|garden leave|furlough(ed)?|sabbatical|parental leave|medical leave|unpaid leave)$/, { status: 'suspended' }],
  [/^(active|employed|current|enabled|onboarding|offboarding|init|hired|accepted|pre ?hire|pending|new hire|probation(ary)?|notice period|working)$/, { status: 'active' }],
  [/^(contractor|contract|consultant|freelance(r)?|temp(orary)?|vendor|contingent( worker)?|1099|1099 contractor|external|agency|eor contractor|independent contractor)$/, { employmentType: 'contractor' }],
  [/^(employee|full ?time|part ?time|permanent|regular|intern(ship)?|salaried|salary|hourly|fte|w ?2|seasonal( employee)?|exempt|non ?exempt|eor|eor employee|direct employee|fixed term|apprentice|working student|trainee)$/, { employmentType: 'employee' }],
  // Gusto writes the pay basis: "Salary/No overtime", "Hourly/Eligible for overtime".
  [/^(salary|hourly)\/.*$/, { employmentType: 'employee' }],
  // "Full-Time Contractor", "Part-time contractor".
  [/^(full|part) ?time contractor$/, { employmentType: 'contractor' }],
]

function normalizeWord(value: string): string {
  return value.trim().toLowerCase().replace(/[\s_-]+/g, ' ').replace(/\s*\(.*\)$/, '').trim()
}

/** The meaning of one HR status word, or undefined when Sightline does not know it. */
export function classifyHrWord(value: string): HrWord | undefined {
  const v = normalizeWord(value)
  if (v === '') return undefined
  const direct = WORDS.find(([re]) => re.test(v))?.[1]
  if (direct) return direct
  // "Active - Full Time", "Terminated / Voluntary": every part must be known, and they are combined.
  const parts = value.split(/\s*[/,;–—]\s*|\s+-\s+/).map(normalizeWord).filter(Boolean)
  if (parts.length < 2) return undefined
  const combined: HrWord = {}
  for (const part of parts) {
    const w = WORDS.find(([re]) => re.test(part))?.[1]
    if (!w) return undefined
    if (w.status) combined.status = combined.status === 'terminated' ? 'terminated' : w.status
    if (w.employmentType) combined.employmentType = w.employmentType
  }
  return combined
}

export const KNOWN_WORDS_HINT = 'active, terminated/inactive, on leave/suspended, onboarding/hired, full-time, part-time, contractor, intern …'

/** The stronger of two statuses: terminated over suspended over active. */
export function strongerStatus(a: PersonStatus | undefined, b: PersonStatus | undefined): PersonStatus | undefined {
  const rank = (s: PersonStatus | undefined) => (s === 'terminated' ? 3 : s === 'suspended' ? 2 : s === 'active' ? 1 : 0)
  return rank(a) >= rank(b) ? a : b
}
