import type { SpendLayout } from '../types.js'

// Mercury transactions export: money out is negative; Amount is in USD (Original Currency is informational).
export const mercury: SpendLayout = {
  id: 'mercury',
  name: 'Mercury transactions',
  headers: [
    'Date (UTC)', 'Description', 'Amount', 'Status', 'Source Account', 'Bank Description', 'Reference', 'Note',
    'Last Four Digits', 'Name On Card', 'Mercury Category', 'Category', 'GL Code', 'Timestamp', 'Original Currency',
    'Check Number', 'Tags', 'Cardholder Email', 'Tracking ID',
  ],
  signatures: [['Date (UTC)', 'Description', 'Amount', 'Status']],
  columns: {
    date: ['Date (UTC)'],
    amount: ['Amount'],
    merchant: ['Bank Description', 'Description'],
    cardholder: ['Name On Card'],
    cardholderEmail: ['Cardholder Email'],
    card: ['Last Four Digits'],
    category: ['Mercury Category', 'Category'],
    memo: ['Note'],
  },
  dateOrder: 'MDY',
  sign: 'purchase-negative',
  defaultCurrency: 'USD',
  skip: [{ columns: ['Status'], values: ['failed', 'cancelled', 'canceled'], kind: 'failed or cancelled' }],
}
