import type { SpendLayout } from '../types.js'

// Brex card transactions export; header as seen in public importers of real Brex files.
export const brex: SpendLayout = {
  id: 'brex',
  name: 'Brex card transactions',
  headers: [
    'Swipe Date (UTC)', 'Posted Date', 'Type', 'Amount', 'Outstanding Balance', 'User', 'Department', 'Location',
    'Transaction Source', 'Statement Descriptor', 'Merchant Name', 'Brex Category', 'Integration Category', 'Last 4',
    'Memo', 'Id',
  ],
  signatures: [
    ['Swipe Date (UTC)', 'Amount'],
    ['Brex Category', 'Amount', 'Merchant Name'],
  ],
  columns: {
    date: ['Swipe Date (UTC)', 'Swipe Date', 'Transaction Date', 'Initiated At'],
    postedDate: ['Posted Date', 'Posted Date (UTC)', 'Posted At'],
    amount: ['Amount'],
    currency: ['Currency', 'Amount Currency'],
    merchant: ['Statement Descriptor', 'Merchant Name', 'Merchant', 'Description'],
    cardholder: ['User', 'Card Member', 'Cardholder'],
    cardholderEmail: ['User Email', 'Cardholder Email'],
    card: ['Last 4', 'Card Last 4', 'Card'],
    department: ['Department'],
    category: ['Brex Category', 'Category'],
    memo: ['Memo'],
    externalId: ['Id', 'Transaction ID'],
  },
  dateOrder: 'MDY',
  sign: 'purchase-positive',
  defaultCurrency: 'USD',
  skip: [{ columns: ['Type'], values: ['payment to brex', 'payment', 'collection'], kind: 'payment' }],
}
