import type { SpendLayout } from '../types.js'

// Chase credit card activity download; Chase writes purchases as negative numbers. Ink business downloads add
// a leading `Card` column with the last four digits.
export const chase: SpendLayout = {
  id: 'chase',
  name: 'Chase credit card activity',
  headers: ['Transaction Date', 'Post Date', 'Description', 'Category', 'Type', 'Amount', 'Memo'],
  signatures: [['Transaction Date', 'Post Date', 'Description', 'Type', 'Amount']],
  columns: {
    date: ['Transaction Date'],
    postedDate: ['Post Date'],
    amount: ['Amount'],
    merchant: ['Description'],
    card: ['Card'],
    category: ['Category'],
    memo: ['Memo'],
  },
  dateOrder: 'MDY',
  sign: 'purchase-negative',
  defaultCurrency: 'USD',
  skip: [{ columns: ['Type'], values: ['payment'], kind: 'payment' }],
}
