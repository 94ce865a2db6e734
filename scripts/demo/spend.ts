// spend/*.csv — a year of card and expense lines in the Brex, Ramp, Amex (extended) and Expensify layouts that
// collectors/spend-csv/LAYOUTS.md documents: company SaaS, shadow SaaS, duplicates, refunds, typos, foreign
// currency, consumer subscriptions and everyday non-software spend.
import { join } from 'node:path'
import { APPS, NON_SAAS_MERCHANTS, appByKey, type AppProfile } from './apps.js'
import type { AccessPlan } from './access-plan.js'
import { managerEmail, type Company, type Person } from './company.js'
import { csvRow } from './csv.js'
import type { WrittenFile } from './directories.js'
import { LineWriter } from './line-writer.js'
import type { Rng } from './prng.js'
import { DAY_MS, iso, isoDay } from './time.js'

export type SpendFile = 'brex' | 'ramp' | 'amex' | 'expensify'
export type SpendKind = 'saas' | 'personal' | 'non-saas' | 'payment'

interface Charge {
  file: SpendFile
  t: number
  payer: number
  descriptor: string
  merchantName: string
  amountMinor: number
  currency: 'USD' | 'EUR' | 'GBP'
  app: string | null
  kind: SpendKind
  category: string
  memo: string
}

export interface SpendLine {
  readonly file: string
  /** 1-based data row (the header is row 0). */
  readonly row: number
  readonly app: string | null
  readonly kind: SpendKind
  readonly cardholder: string
  readonly department: string
  readonly amountMinor: number
  readonly currency: string
  readonly date: string
}

export interface SpendResult {
  readonly files: WrittenFile[]
  readonly lines: SpendLine[]
  readonly chargesAfterTermination: { email: string; app: string; file: string; descriptor: string; terminationDate: string; charges: number; totalMinor: number; currency: string }[]
}

export const SPEND_HEADERS: Readonly<Record<SpendFile, readonly string[]>> = {
  brex: ['Swipe Date (UTC)', 'Posted Date', 'Type', 'Amount', 'Outstanding Balance', 'User', 'Department', 'Location', 'Transaction Source', 'Statement Descriptor', 'Merchant Name', 'Brex Category', 'Integration Category', 'Last 4', 'Memo', 'Id'],
  ramp: ['Transaction Date', 'Settlement Date', 'User', 'User Email', 'Card Name', 'Card Last 4', 'Merchant Name', 'Merchant Descriptor', 'Amount', 'Currency', 'Department', 'Location', 'Ramp Category', 'Accounting Category', 'Memo', 'Transaction ID'],
  amex: ['Date', 'Description', 'Card Member', 'Account #', 'Amount', 'Extended Details', 'Appears On Your Statement As', 'Address', 'City/State', 'Zip Code', 'Country', 'Reference', 'Category'],
  expensify: ['Date', 'Merchant', 'Description', 'From', 'To', 'Category', 'Tag', 'Tax', 'Amount', 'Currency', 'Type', 'Receipt URL'],
}

/** Planted duplicate subscriptions: an extra payer for an app someone else already pays for. */
const DUPLICATE_PLANTS: readonly { readonly app: string; readonly dept: string; readonly file: SpendFile; readonly priceMinor: number; readonly currency: 'USD' | 'EUR' }[] = [
  { app: 'zoom', dept: 'Sales', file: 'amex', priceMinor: 1599, currency: 'USD' },
  { app: 'notion', dept: 'Engineering', file: 'expensify', priceMinor: 1000, currency: 'USD' },
  { app: 'chatgpt', dept: 'Sales', file: 'ramp', priceMinor: 2000, currency: 'USD' },
  { app: 'chatgpt', dept: 'Finance', file: 'expensify', priceMinor: 2000, currency: 'USD' },
  { app: 'canva', dept: 'Marketing', file: 'ramp', priceMinor: 1500, currency: 'USD' },
  { app: 'miro', dept: 'Design', file: 'ramp', priceMinor: 1600, currency: 'EUR' },
]

export const HAND_TYPED: Readonly<Record<string, readonly string[]>> = {
  notion: ['Notion', 'Notoin', 'notion.so'],
  chatgpt: ['ChatGPT Plus', 'Chat GPT', 'OpenAI'],
  canva: ['Canva Pro', 'canva.com'],
  grammarly: ['Grammarly', 'Grammerly Premium'],
  cursor: ['Cursor Pro', 'Cursor IDE'],
  midjourney: ['Midjourney', 'Mid journey'],
  claude: ['Claude Pro', 'Anthropic Claude'],
}

const FOREIGN: Readonly<Record<string, 'EUR' | 'GBP'>> = { deepl: 'EUR', typeform: 'EUR', 'unknown:synclayer': 'EUR' }

function monthDates(endMs: number, day: number, from: number, to: number): number[] {
  const end = new Date(endMs)
  const out: number[] = []
  for (let m = 11; m >= 0; m--) {
    const t = Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - m, day, 17, 5, 0)
    if (t >= from && t <= to) out.push(t)
  }
  return out
}

export async function writeSpend(rng: Rng, outDir: string, c: Company, plan: AccessPlan): Promise<SpendResult> {
  const charges: Charge[] = []
  const yearAgo = c.endMs - 364 * DAY_MS
  const endOfDay = c.endMs + DAY_MS - 1
  const hr = c.people.slice(0, c.hrCount)
  const itHead = hr.find((p) => p.title === 'Head of IT') as Person
  const ceo = hr[0] as Person
  const lastDayOf = (p: Person): number => (p.hrStatus === 'Inactive' && p.endMs !== null ? p.endMs : endOfDay)
  const add = (ch: Omit<Charge, 'kind' | 'category'> & Partial<Pick<Charge, 'kind' | 'category'>>): void => {
    charges.push({ kind: ch.app ? (appByKey(ch.app).personal ? 'personal' : 'saas') : 'non-saas', category: 'Software', ...ch })
  }

  // Sanctioned apps: billed to IT's Brex card (seats × price, or the flat plan); annual plans once a year.
  const seats = new Map<string, number>()
  for (const acc of plan.accounts) if (acc.removedMs === null) seats.set(acc.app, (seats.get(acc.app) ?? 0) + 1)
  for (const a of APPS) {
    if (!a.sanctioned || a.merchants.length === 0) continue
    const monthly = a.seatPriceMinor > 0 ? a.seatPriceMinor * (seats.get(a.key) ?? 0) : a.flatPriceMinor
    if (monthly <= 0) continue
    const day = 1 + (a.key.length * 7 + a.key.charCodeAt(0)) % 27
    const dates = monthDates(c.endMs, day, yearAgo, endOfDay)
    if (a.billing === 'annual') {
      const t = dates[Math.floor(dates.length / 2)]
      if (t !== undefined) add({ file: 'brex', t, payer: itHead.idx, descriptor: a.merchants[0] as string, merchantName: a.name, amountMinor: monthly * 12, currency: 'USD', app: a.key, memo: `${a.name} annual renewal` })
    } else {
      for (const t of dates) add({ file: 'brex', t, payer: itHead.idx, descriptor: a.merchants[0] as string, merchantName: a.name, amountMinor: monthly, currency: 'USD', app: a.key, memo: '' })
    }
  }
  // LastPass: the old password manager's annual renewal still goes through on IT's Amex.
  const lastpass = appByKey('lastpass')
  add({ file: 'amex', t: c.endMs - 75 * DAY_MS + 61_200_000, payer: itHead.idx, descriptor: lastpass.merchants[0] as string, merchantName: lastpass.name, amountMinor: lastpass.flatPriceMinor, currency: 'USD', app: 'lastpass', memo: '' })

  // Unsanctioned paid apps: one adopter pays monthly on their own card or by reimbursement.
  const fileFor = (p: Person): SpendFile => {
    if (['Marketing', 'Sales', 'Operations', 'Customer Success'].includes(p.department)) return 'ramp'
    if (['Engineering', 'Design', 'Product'].includes(p.department)) return 'expensify'
    return 'amex'
  }
  const shadowPayer = new Map<string, number>()
  const leaverPlant = rng.shuffle(hr.filter((p) => p.offboarding === 'clean' && p.endMs !== null && p.endMs < c.endMs - 45 * DAY_MS && p.endMs > c.endMs - 170 * DAY_MS))[0]
  const afterTerminationApp = 'unknown:quillmate'
  const monthlyFor = (a: AppProfile, payer: Person, file: SpendFile, priceMinor: number, currency: Charge['currency'], from: number, to: number): void => {
    // The first charge is the sign-up day, then the same day every month (so a new subscription always shows).
    const start = new Date(from)
    const dates: number[] = []
    for (let k = 0; ; k++) {
      const t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + k, start.getUTCDate(), 16, 30, 0)
      if (t > to || t > c.endMs + DAY_MS - 1) break
      if (t >= from) dates.push(t)
    }
    for (const t of dates) {
      const typed = HAND_TYPED[a.key]
      const merchantName = file === 'expensify' && typed ? rng.pick(typed) : a.name
      add({ file, t: t + rng.int(0, 6) * 3600_000, payer: payer.idx, descriptor: rng.pick(a.merchants), merchantName, amountMinor: priceMinor, currency, app: a.key, memo: file === 'expensify' ? `${a.name} subscription` : '' })
    }
  }
  for (const a of APPS) {
    if (a.sanctioned || a.personal || a.merchants.length === 0 || a.key === 'lastpass') continue
    const adopters = plan.adoptions.filter((ad) => ad.app === a.key)
    if (adopters.length === 0) continue
    let payer: Person
    let from: number
    let to: number
    if (a.key === afterTerminationApp && leaverPlant) {
      // Planted: a leaver's card keeps paying after their last day.
      payer = leaverPlant
      from = Math.max(yearAgo, (leaverPlant.endMs as number) - 200 * DAY_MS)
      to = endOfDay
    } else {
      const active = adopters.filter((ad) => (c.people[ad.person] as Person).hrStatus === 'Active')
      const chosen = (active.length > 0 ? active : adopters).reduce((best, ad) => (ad.person < best.person ? ad : best))
      payer = c.people[chosen.person] as Person
      from = Math.max(yearAgo, chosen.sinceMs)
      to = lastDayOf(payer)
    }
    shadowPayer.set(a.key, payer.idx)
    let file = a.key === afterTerminationApp && payer === leaverPlant ? 'ramp' : fileFor(payer)
    const currency = FOREIGN[a.key] ?? 'USD'
    if (currency !== 'USD' && (file === 'amex')) file = 'ramp'
    monthlyFor(a, payer, file, a.flatPriceMinor || a.seatPriceMinor, currency, from, to)
  }
  // Planted duplicate subscriptions.
  const used = new Set<number>([itHead.idx, ...shadowPayer.values()])
  for (const d of DUPLICATE_PLANTS) {
    const pool = hr.filter((p) => p.department === d.dept && p.hrStatus === 'Active' && p.endMs === null && !used.has(p.idx))
    const payer = pool.length > 0 ? rng.pick(pool) : ceo
    used.add(payer.idx)
    monthlyFor(appByKey(d.app), payer, d.file, d.priceMinor, d.currency, c.endMs - rng.int(120, 300) * DAY_MS, endOfDay)
  }
  // Refunds: a handful of SaaS charges are reversed a few days later.
  const refundable = charges.filter((ch) => ch.kind === 'saas' && ch.amountMinor < 500_000 && ch.t < c.endMs - 10 * DAY_MS)
  for (let i = 0; i < 4 && refundable.length > 0; i++) {
    const ch = rng.pick(refundable)
    charges.push({ ...ch, t: ch.t + rng.int(2, 6) * DAY_MS, amountMinor: -ch.amountMinor, memo: 'Refund - duplicate charge' })
  }
  // Consumer subscriptions on company cards (hard negatives), and everyday non-software spend.
  const personal = APPS.filter((a) => a.personal)
  const cardholders = hr.filter((p) => p.hrStatus === 'Active')
  for (let i = 0; i < Math.max(6, Math.round(c.hrCount * 0.012)); i++) {
    const a = personal[i % personal.length] as AppProfile
    const payer = rng.pick(cardholders)
    const descriptor = rng.pick(a.merchants)
    const gbp = descriptor.includes(' GB')
    const file: SpendFile = gbp ? 'ramp' : rng.pick(['ramp', 'amex', 'expensify', 'brex'] as const)
    const t = c.endMs - rng.int(3, 330) * DAY_MS + rng.int(10, 20) * 3600_000
    add({ file, t, payer: payer.idx, descriptor, merchantName: a.name, amountMinor: gbp ? 1199 : a.flatPriceMinor, currency: gbp ? 'GBP' : 'USD', app: a.key, memo: '' })
  }
  const perMonth = Math.max(20, Math.round(c.hrCount * 0.25))
  for (let i = 0; i < perMonth * 12; i++) {
    const m = rng.pick(NON_SAAS_MERCHANTS)
    const payer = rng.pick(cardholders)
    let file: SpendFile = rng.pick(['brex', 'ramp', 'amex', 'expensify'] as const)
    if (m.currency !== 'USD' && (file === 'brex' || file === 'amex')) file = 'ramp'
    const t = yearAgo + rng.int(0, 363) * DAY_MS + rng.int(12, 23) * 3600_000
    charges.push({ file, t, payer: payer.idx, descriptor: m.descriptor, merchantName: m.descriptor.split(/ \d| \*|\*/)[0] ?? m.descriptor, amountMinor: rng.int(m.minMinor, m.maxMinor), currency: m.currency, app: null, kind: 'non-saas', category: m.category, memo: '' })
  }

  // Write the four files in date order.
  const lines: SpendLine[] = []
  const files: WrittenFile[] = []
  const last4 = new Map<string, string>()
  const cardOf = (file: SpendFile, p: Person): string => {
    const k = `${file}:${p.idx}`
    let v = last4.get(k)
    if (!v) last4.set(k, (v = rng.digits(4)))
    return v
  }
  for (const file of ['brex', 'ramp', 'amex', 'expensify'] as const) {
    const rows = charges.filter((ch) => ch.file === file).sort((a, b) => a.t - b.t || a.payer - b.payer || a.descriptor.localeCompare(b.descriptor))
    const rel = `spend/${file}.csv`
    const w = new LineWriter(join(outDir, rel))
    await w.write(csvRow(SPEND_HEADERS[file]))
    let balance = 0
    let row = 0
    let lastMonth = -1
    for (const ch of rows) {
      const p = c.people[ch.payer] as Person
      const name = `${p.firstName} ${p.lastName}`
      const amount = (ch.amountMinor / 100).toFixed(2)
      const cats = ch.kind === 'non-saas' ? ch.category : ch.kind === 'personal' ? 'Entertainment' : 'Software'
      if (file === 'brex') {
        const month = new Date(ch.t).getUTCMonth()
        if (lastMonth !== -1 && month !== lastMonth && balance > 0) {
          // Paying the card bill: a row the parser skips, as real exports have.
          row++
          w.records++
          await w.write(csvRow([iso(ch.t - 3600_000), iso(ch.t - 3600_000), 'Payment to Brex', (-balance / 100).toFixed(2), '0.00', '', '', '', 'Payment', 'BREX PAYMENT', 'Brex', '', '', '', '', `dxt_${rng.base62(10)}`]))
          lines.push({ file: rel, row, app: null, kind: 'payment', cardholder: '', department: '', amountMinor: -balance, currency: 'USD', date: isoDay(ch.t) })
          balance = 0
        }
        lastMonth = month
        balance += ch.amountMinor
        await w.write(csvRow([iso(ch.t), iso(ch.t + DAY_MS), ch.amountMinor < 0 ? 'Refund' : 'Transaction', amount, (balance / 100).toFixed(2), name, p.department, p.office.city, 'Card', ch.descriptor, ch.merchantName, cats, cats === 'Software' ? 'Software Subscriptions' : cats, cardOf(file, p), ch.memo, `dxt_${rng.base62(10)}`]))
      } else if (file === 'ramp') {
        await w.write(csvRow([isoDay(ch.t), isoDay(ch.t + DAY_MS), name, p.email, `${p.department} card`, cardOf(file, p), ch.merchantName, ch.descriptor, amount, ch.currency, p.department, p.office.city, cats === 'Software' ? 'SaaS / Software' : cats, cats === 'Software' ? '6100 Software' : '6400 Travel & Meals', ch.memo, rng.uuid()]))
      } else if (file === 'amex') {
        const d = new Date(ch.t)
        const mdY = `${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()}`
        const cityState = ch.descriptor.match(/ ([A-Z][A-Za-z. ]+?) ([A-Z]{2})$/)
        const domain = ch.app ? (appByKey(ch.app).domains[0] ?? '') : ''
        const amexCat = ch.kind === 'saas' ? 'Business Services-Internet Services' : ch.kind === 'personal' ? 'Entertainment-Associations' : ch.category === 'Restaurants' ? 'Restaurant-Restaurant' : ch.category === 'Travel' ? 'Transportation-Taxis & Coach' : 'Merchandise & Supplies-General Retail'
        await w.write(csvRow([mdY, ch.descriptor, name.toUpperCase(), `-7${cardOf(file, p)}`, amount, `${rng.digits(8)} ${ch.descriptor}\n${domain}\n${cityState?.[1] ?? ''}`, ch.descriptor, '', cityState ? `${cityState[1]}\n${cityState[2]}` : '', '', 'UNITED STATES', `'3202${rng.digits(14)}'`, amexCat]))
      } else {
        await w.write(csvRow([isoDay(ch.t), ch.merchantName, ch.memo || (ch.kind === 'non-saas' ? ch.category : ch.merchantName), p.email, managerEmail(c, p), cats, p.department, '0.00', amount, ch.currency, 'card', `https://www.expensify.com/receipts/w_${rng.hex(16)}.jpg`]))
      }
      row++
      w.records++
      lines.push({ file: rel, row, app: ch.app, kind: ch.kind, cardholder: p.email, department: p.department, amountMinor: ch.amountMinor, currency: ch.currency, date: isoDay(ch.t) })
    }
    await w.close()
    files.push({ path: rel, format: `spend-${file}`, records: w.records })
  }

  const chargesAfterTermination: SpendResult['chargesAfterTermination'] = []
  if (leaverPlant && leaverPlant.endMs !== null) {
    const endDay = isoDay(leaverPlant.endMs)
    const after = lines.filter((l) => l.cardholder === leaverPlant.email && l.app === afterTerminationApp && l.date > endDay)
    const first = after[0]
    if (first) {
      chargesAfterTermination.push({ email: leaverPlant.email, app: afterTerminationApp, file: first.file, descriptor: appByKey(afterTerminationApp).merchants[0] as string, terminationDate: endDay, charges: after.length, totalMinor: after.reduce((s, l) => s + l.amountMinor, 0), currency: first.currency })
    }
  }
  return { files, lines, chargesAfterTermination }
}
