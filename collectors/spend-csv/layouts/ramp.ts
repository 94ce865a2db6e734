import type { SpendLayout } from '../types.js'

// Ramp card transactions export. Ramp does not publish the header; this is reconstructed from its API field
// names (merchant_descriptor, card_holder, sk_category_name), so the aliases are generous.
export const ramp: SpendLayout = {
  id: 'ramp',
  name: 'Ramp card transactions',
  headers: [
    'Transaction Date', 'Settlement Date', 'User', 'User Email', 'Card Name', 'Card Last 4', 'Merchant Name',
    'Merchant Descriptor', 'Amount', 'Currency', 'Department', 'Location', 'Ramp Category', 'Accounting Category',
    'Memo', 'Transaction ID',
  ],
  signatures: [
    ['Ramp Category', 'Amount'],
    ['Merchant Descriptor', 'Amount', 'User'],
    ['transaction_time', 'amount', 'user', 'merchant_name'],
  ],
  columns: {
    date: ['Transaction Date', 'Transaction Time', 'transaction_time', 'User Transaction Time', 'Date'],
    postedDate: ['Settlement Date', 'Cleared Date', 'Posted Date'],
    amount: ['Amount', 'amount'],
    currency: ['Currency', 'Currency Code'],
    merchant: ['Merchant Descriptor', 'Merchant Name', 'merchant_name', 'Merchant'],
    cardholder: ['User', 'user', 'Card Holder', 'Cardholder'],
    cardholderEmail: ['User Email', 'Card Holder Email', 'Email'],
    card: ['Card Last 4', 'Card Last Four', 'Last 4'],
    department: ['Department'],
    category: ['Ramp Category', 'Category', 'Accounting Category'],
    memo: ['Memo'],
    externalId: ['Transaction ID', 'ID', 'Id'],
  },
  dateOrder: 'MDY',
  sign: 'purchase-positive',
  defaultCurrency: 'USD',
}
