import type { SpendLayout } from '../types.js'

// BILL Spend & Expense (formerly Divvy) transactions export. BILL does not publish the header; reconstructed
// from its transaction fields (budget, card holder, clear date), with aliases for the usual variants.
export const divvy: SpendLayout = {
  id: 'divvy',
  name: 'BILL Spend & Expense (Divvy) transactions',
  headers: [
    'Transaction Date', 'Clear Date', 'Merchant', 'Amount', 'Currency', 'Card Holder', 'Card Holder Email', 'Card Name',
    'Card Last Four', 'Budget', 'Category', 'Transaction Type', 'Notes', 'Transaction ID',
  ],
  signatures: [['Budget', 'Card Holder', 'Merchant', 'Amount']],
  columns: {
    date: ['Transaction Date', 'Date', 'Occurred Time'],
    postedDate: ['Clear Date', 'Cleared Date', 'Settlement Date'],
    amount: ['Amount'],
    currency: ['Currency'],
    merchant: ['Merchant', 'Merchant Name'],
    cardholder: ['Card Holder', 'Cardholder', 'User'],
    cardholderEmail: ['Card Holder Email', 'User Email', 'Email'],
    card: ['Card Last Four', 'Last 4', 'Card Last 4'],
    department: ['Budget', 'Department'],
    category: ['Category'],
    memo: ['Notes', 'Note', 'Memo'],
    externalId: ['Transaction ID', 'Id'],
    direction: ['Transaction Type', 'Type'],
  },
  dateOrder: 'MDY',
  sign: 'purchase-positive',
  defaultCurrency: 'USD',
  creditValues: ['refund', 'credit', 'return'],
}
