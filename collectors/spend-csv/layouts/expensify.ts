import type { SpendLayout } from '../types.js'

// Expensify: New Expensify's fixed "Download" CSV (documented in its help) and the classic default CSV export.
export const expensify: SpendLayout = {
  id: 'expensify',
  name: 'Expensify expense export',
  headers: ['Date', 'Merchant', 'Description', 'From', 'To', 'Category', 'Tag', 'Tax', 'Amount', 'Currency', 'Type', 'Receipt URL'],
  signatures: [
    ['Date', 'Merchant', 'From', 'To', 'Amount', 'Currency'],
    ['Timestamp', 'Merchant', 'Amount', 'Reimbursable'],
  ],
  columns: {
    date: ['Date', 'Timestamp'],
    amount: ['Amount'],
    // Classic `Amount` is in the report currency; `Original Currency` belongs to `Original Amount`.
    currency: ['Currency'],
    merchant: ['Merchant'],
    cardholderEmail: ['From', 'Email'],
    department: ['Tag'],
    category: ['Category'],
    memo: ['Description', 'Comment'],
    externalId: ['Transaction ID', 'Expense ID'],
  },
  dateOrder: 'MDY',
  sign: 'purchase-positive',
  defaultCurrency: 'USD',
  typedMerchant: true,
}
