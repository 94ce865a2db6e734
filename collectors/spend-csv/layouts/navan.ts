import type { SpendLayout } from '../types.js'

// Navan (TripActions) expense transactions export. Navan does not publish the header; reconstructed from its
// expense API field names, with aliases for the usual variants.
export const navan: SpendLayout = {
  id: 'navan',
  name: 'Navan expense transactions',
  headers: [
    'Transaction Date', 'Posted Date', 'Employee Name', 'Employee Email', 'Department', 'Merchant', 'Merchant Category',
    'Amount', 'Currency', 'Original Amount', 'Original Currency', 'Card Last Four', 'Expense Type', 'Description',
    'Transaction ID', 'Status',
  ],
  signatures: [
    ['Employee Email', 'Merchant', 'Expense Type', 'Amount'],
    ['Navan Transaction ID', 'Amount'],
  ],
  columns: {
    date: ['Transaction Date', 'Transaction Time', 'Date'],
    postedDate: ['Posted Date', 'Settlement Date'],
    amount: ['Amount', 'Billed Amount'],
    currency: ['Currency', 'Billed Currency'],
    merchant: ['Merchant', 'Merchant Name', 'Merchant Descriptor'],
    cardholder: ['Employee Name', 'Employee', 'User'],
    cardholderEmail: ['Employee Email', 'User Email'],
    card: ['Card Last Four', 'Card Last 4', 'Last 4'],
    department: ['Department', 'Cost Center'],
    category: ['Expense Type', 'Category'],
    memo: ['Description', 'Purpose'],
    externalId: ['Transaction ID', 'Navan Transaction ID'],
  },
  dateOrder: 'MDY',
  sign: 'purchase-positive',
  defaultCurrency: 'USD',
  skip: [{ columns: ['Status'], values: ['declined', 'failed'], kind: 'declined or failed' }],
}
