import type { Generated, Selectable } from 'kysely'

/** One card or expense line; amounts are integer minor units of `currency`. */
export interface SpendTransactionsTable {
  id: Generated<number>
  fingerprint: string
  posted_on: string
  amount_minor: number
  currency: string
  merchant_raw: string
  merchant_normalized: string
  cardholder: string | null
  cardholder_email: string | null
  person_id: number | null
  card_last4: string | null
  department: string | null
  category: string | null
  memo: string | null
  external_id: string | null
  app_id: number | null
  identifier_id: number | null
  rule: string | null
  source_layout: string
  source_file: string
  source_line: number
  scan_run_id: number
}

export type SpendTransaction = Selectable<SpendTransactionsTable>
