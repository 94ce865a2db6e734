// Which named layout a header row belongs to.
import { LAYOUTS } from './layouts/index.js'
import type { MappedField, SpendLayout } from './types.js'

/** Header comparison key: no BOM, trimmed, lower-case, single spaces. */
export function headerKey(header: string): string {
  let h = header.charCodeAt(0) === 0xfeff ? header.slice(1) : header
  h = h.trim().toLowerCase()
  return h.includes('  ') || h.includes('\t') ? h.split(/\s+/).join(' ') : h
}

const SIGNATURES = LAYOUTS.map((layout) => ({
  layout,
  signatures: layout.signatures.map((sig) => sig.map(headerKey)),
}))

/**
 * The layout whose signature the headers satisfy; when several do, the one whose matched signature names the
 * most headers. Undefined when none matches.
 */
export function detectLayout(headers: readonly string[]): SpendLayout | undefined {
  const present = new Set(headers.map(headerKey))
  let best: SpendLayout | undefined
  let bestSize = 0
  for (const { layout, signatures } of SIGNATURES) {
    for (const sig of signatures) {
      if (sig.length > bestSize && sig.every((h) => present.has(h))) {
        best = layout
        bestSize = sig.length
      }
    }
  }
  return best
}

/** Header key for synonyms: no accents, no punctuation or signs (`Debits(-)` → `debits`, `Check#` → `check`). */
export function synonymKey(header: string): string {
  return headerKey(header)
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/\([^)]*\)/g, ' ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

type InferredField = 'date' | 'postedDate' | 'merchant' | 'amount' | 'debit' | 'credit' | 'currency' | 'cardholder' | 'type'

/**
 * Column names banks and card issuers write, by field, in English, German, French, Spanish, Dutch, Italian and
 * Portuguese (compared after synonymKey). Earlier names win when a file has several of one field.
 */
const SYNONYMS: Record<InferredField, readonly string[]> = {
  date: [
    'transaction date', 'trans date', 'date', 'booking date', 'value date', 'txn date',
    'buchungstag', 'buchungsdatum', 'datum', 'valutadatum', 'wertstellung',
    'date operation', 'date de l operation', 'date de operation', 'fecha', 'fecha operacion', 'fecha de operacion',
    'transactiedatum', 'data', 'data operazione', 'data contabile', 'data movimento',
  ],
  postedDate: ['posted date', 'post date', 'posting date', 'settlement date', 'date posted', 'valuta', 'date de valeur', 'fecha valor', 'data valuta'],
  merchant: [
    'merchant', 'merchant name', 'payee', 'description', 'transaction description', 'details', 'name', 'narrative', 'counterparty', 'memo description',
    'beschreibung', 'buchungstext', 'verwendungszweck', 'empfanger', 'zahlungsempfanger', 'auftraggeber empfanger', 'beguenstigter zahlungspflichtiger',
    'libelle', 'libelle operation', 'beneficiaire', 'descripcion', 'concepto', 'beneficiario', 'omschrijving', 'naam omschrijving', 'tegenpartij',
    'descrizione', 'causale', 'descricao', 'historico',
  ],
  amount: [
    'amount', 'amt', 'transaction amount', 'value', 'betrag', 'umsatz', 'montant', 'importe', 'monto', 'bedrag', 'importo', 'valor', 'montante',
  ],
  debit: ['debit', 'debits', 'debit amount', 'withdrawal', 'withdrawals', 'money out', 'paid out', 'outflow', 'soll', 'belastung', 'ausgang', 'cargo', 'cargos', 'debe', 'af', 'addebiti', 'uscite'],
  credit: ['credit', 'credits', 'credit amount', 'deposit', 'deposits', 'money in', 'paid in', 'inflow', 'haben', 'gutschrift', 'eingang', 'abono', 'abonos', 'haber', 'bij', 'accrediti', 'entrate'],
  currency: ['currency', 'ccy', 'currency code', 'iso currency code', 'wahrung', 'devise', 'moneda', 'divisa', 'valuta code', 'moeda'],
  cardholder: ['cardholder', 'card holder', 'card member', 'cardmember', 'name on card', 'employee', 'karteninhaber', 'titulaire', 'titulaire de la carte', 'titular', 'kaarthouder', 'titolare'],
  type: ['type', 'transaction type', 'details type', 'buchungsart', 'umsatzart', 'type d operation', 'tipo', 'tipo de operacion'],
}

const SYNONYM_RANK = new Map<string, { field: InferredField; rank: number }[]>()
for (const [field, names] of Object.entries(SYNONYMS) as [InferredField, readonly string[]][]) {
  names.forEach((name, rank) => SYNONYM_RANK.set(name, [...(SYNONYM_RANK.get(name) ?? []), { field, rank }]))
}

/** What a header row says when no named layout matches it. */
export type InferredLayout =
  | { layout: SpendLayout; columns: Partial<Record<MappedField, string>> }
  | { refusal: string }

const quote = (h: string) => JSON.stringify(h.trim())

/**
 * A layout built from the header's column names when the choice is unambiguous: a date, a description and either
 * one amount or a debit and a credit column (currency, cardholder and a posting date when present). Null when the
 * row does not name those (a preamble line, a headerless file); a refusal when two columns could be the amount.
 */
export function inferLayout(headers: readonly string[]): InferredLayout | null {
  const found: Partial<Record<InferredField, { header: string; rank: number }[]>> = {}
  for (const header of headers) {
    for (const hit of SYNONYM_RANK.get(synonymKey(header)) ?? []) (found[hit.field] ??= []).push({ header, rank: hit.rank })
  }
  const best = (field: InferredField): string | undefined => found[field]?.slice().sort((a, b) => a.rank - b.rank)[0]?.header
  // A column already taken as the merchant is not also a date's or a type's.
  const date = best('date') ?? best('postedDate')
  const merchant = best('merchant')
  const amounts = found.amount ?? []
  const debit = best('debit')
  const credit = best('credit')
  if (!date || !merchant || (amounts.length === 0 && !(debit && credit))) return null
  if (amounts.length > 1) {
    return { refusal: `columns ${amounts.map((a) => quote(a.header)).join(' and ')} could each be the amount; name it with --mapping "amount=<header>,date=${date.trim()},merchant=${merchant.trim()}"` }
  }
  if (amounts.length === 1 && (debit || credit)) {
    return { refusal: `column ${quote(amounts[0]!.header)} and ${[debit, credit].filter(Boolean).map((h) => quote(h!)).join(' / ')} could each be the amount; pass --mapping with either amount= or debit= and credit=` }
  }
  const columns: Partial<Record<MappedField, string>> = { date, merchant }
  const posted = best('postedDate')
  if (posted && posted !== date) columns.postedDate = posted
  if (amounts.length === 1) columns.amount = amounts[0]!.header
  else {
    columns.debit = debit
    columns.credit = credit
  }
  const currency = best('currency')
  if (currency) columns.currency = currency
  const cardholder = best('cardholder')
  if (cardholder && cardholder !== merchant) columns.cardholder = cardholder
  // A currency named in the amount header (`Amount (EUR)`, `Betrag (EUR)`) is the file's currency.
  const named = /\(([A-Za-z]{3})\)/.exec(columns.amount ?? columns.debit ?? '')?.[1]?.toUpperCase()
  const type = best('type')
  const layout: SpendLayout = {
    id: 'inferred',
    name: 'Inferred from the header row',
    headers: [...headers],
    signatures: [],
    columns: Object.fromEntries(Object.entries(columns).map(([f, h]) => [f, [h]])),
    dateOrder: 'MDY',
    sign: 'purchase-positive',
    ...(named ? { defaultCurrency: named } : {}),
    skip: [
      // Bank statements open with a balance row dated like a transaction.
      { columns: [merchant], values: [], contains: ['beginning balance', 'opening balance', 'anfangssaldo', 'solde initial', 'saldo inicial'], kind: 'balance' },
      ...(type
        ? [
            { columns: [type], values: ['payment', 'autopay', 'zahlung'], kind: 'payment' },
            { columns: [type], values: ['transfer', 'xfer', 'internal transfer', 'umbuchung', 'virement', 'transferencia'], kind: 'transfer' },
            { columns: [type], values: ['deposit', 'direct deposit', 'payroll'], kind: 'deposit' },
          ]
        : []),
    ],
    inferred: true,
  }
  return { layout, columns }
}
