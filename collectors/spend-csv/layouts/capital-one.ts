import type { SpendLayout } from '../types.js'

// Capital One card transactions download: ISO dates, purchases in Debit, refunds and payments in Credit.
export const capitalOne: SpendLayout = {
  id: 'capital-one',
  name: 'Capital One card transactions',
  headers: ['Transaction Date', 'Posted Date', 'Card No.', 'Description', 'Category', 'Debit', 'Credit'],
  signatures: [['Transaction Date', 'Posted Date', 'Card No.', 'Description', 'Debit', 'Credit']],
  columns: {
    date: ['Transaction Date'],
    postedDate: ['Posted Date'],
    debit: ['Debit'],
    credit: ['Credit'],
    merchant: ['Description'],
    card: ['Card No.'],
    category: ['Category'],
  },
  dateOrder: 'MDY',
  sign: 'purchase-positive',
  defaultCurrency: 'USD',
}
