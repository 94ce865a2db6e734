import type { SpendLayout } from '../types.js'

// A Plaid /transactions/get (or /transactions/sync) result written to CSV, one column per Transaction field, as
// accounting importers and personal-finance tools export it. Plaid's sign: positive when money leaves the account
// (a purchase), negative when it comes in (refunds, deposits, card payments).
export const plaid: SpendLayout = {
  id: 'plaid',
  name: 'Plaid transactions',
  headers: ['date', 'authorized_date', 'name', 'merchant_name', 'website', 'amount', 'iso_currency_code', 'category', 'personal_finance_category', 'payment_channel', 'pending', 'account_id', 'transaction_id'],
  signatures: [
    ['date', 'name', 'amount', 'merchant_name'],
    ['date', 'name', 'amount', 'iso_currency_code', 'transaction_id'],
  ],
  columns: {
    // authorized_date is when the purchase happened; date is when it posted (and the only one Plaid always sets).
    date: ['authorized_date'],
    postedDate: ['date'],
    amount: ['amount'],
    merchant: ['merchant_name', 'name'],
    currency: ['iso_currency_code', 'unofficial_currency_code'],
    category: ['personal_finance_category.primary', 'personal_finance_category', 'category'],
    memo: ['name'],
    externalId: ['transaction_id'],
  },
  dateOrder: 'YMD',
  sign: 'purchase-positive',
  defaultCurrency: 'USD',
  skip: [
    // A pending transaction posts later under a new transaction_id: counting both would count it twice.
    { columns: ['pending'], values: ['true'], kind: 'pending' },
    { columns: ['personal_finance_category.primary', 'personal_finance_category'], values: ['transfer_in', 'transfer_out'], kind: 'transfer' },
    { columns: ['personal_finance_category.primary', 'personal_finance_category'], values: ['loan_payments'], kind: 'payment' },
    { columns: ['category'], values: [], contains: ['transfer', 'payment, credit card'], kind: 'transfer or card payment' },
  ],
}
