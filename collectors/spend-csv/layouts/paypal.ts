import type { SpendLayout } from '../types.js'

// PayPal "Activity download" (Reports → Activity → Download, CSV, "All transactions"). Name is the counterparty (the
// merchant for a payment you made), Gross the amount before fees, negative for money paid out. Only completed
// payments are spend: transfers to and from the bank, holds, authorisations and currency conversions are skipped.
export const paypal: SpendLayout = {
  id: 'paypal',
  name: 'PayPal activity download',
  headers: [
    'Date', 'Time', 'TimeZone', 'Name', 'Type', 'Status', 'Currency', 'Gross', 'Fee', 'Net', 'From Email Address', 'To Email Address',
    'Transaction ID', 'Item Title', 'Reference Txn ID', 'Receipt ID', 'Balance', 'Subject', 'Note', 'Balance Impact',
  ],
  signatures: [['Date', 'Time', 'TimeZone', 'Name', 'Type', 'Status', 'Currency', 'Gross', 'Net']],
  columns: {
    date: ['Date'],
    amount: ['Gross'],
    merchant: ['Name'],
    currency: ['Currency'],
    memo: ['Item Title', 'Subject'],
    externalId: ['Transaction ID'],
  },
  // US accounts write MM/DD/YYYY, most others DD/MM/YYYY: settled from the dates in the file.
  dateOrder: 'MDY',
  dateOrderFromData: true,
  sign: 'purchase-negative',
  skip: [
    { columns: ['Status'], values: [], keepOnly: ['completed'], kind: 'not completed' },
    { columns: ['Type'], values: [], contains: ['currency conversion'], kind: 'currency conversion' },
    { columns: ['Type'], values: [], contains: ['transfer', 'withdrawal', 'deposit', 'bank'], kind: 'transfer' },
    { columns: ['Type'], values: [], contains: ['authorization', 'hold'], kind: 'authorization or hold' },
  ],
}
