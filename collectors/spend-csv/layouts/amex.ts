import type { SpendLayout } from '../types.js'

// American Express online statement download: the short form, the form with extended details, and the newer
// form without Card Member / Account #. One layout reads all three.
export const amex: SpendLayout = {
  id: 'amex',
  name: 'American Express statement download',
  headers: [
    'Date', 'Description', 'Card Member', 'Account #', 'Amount', 'Extended Details', 'Appears On Your Statement As',
    'Address', 'City/State', 'Zip Code', 'Country', 'Reference', 'Category',
  ],
  signatures: [
    ['Date', 'Description', 'Card Member', 'Account #', 'Amount'],
    ['Date', 'Description', 'Amount', 'Extended Details', 'Appears On Your Statement As'],
  ],
  columns: {
    date: ['Date'],
    amount: ['Amount'],
    merchant: ['Description', 'Appears On Your Statement As'],
    cardholder: ['Card Member'],
    card: ['Account #', 'Account Number'],
    category: ['Category'],
    memo: ['Extended Details'],
    externalId: ['Reference'],
  },
  dateOrder: 'MDY',
  sign: 'purchase-positive',
  defaultCurrency: 'USD',
  // Paying the card bill is not spend: Amex prints it as a credit with these descriptions.
  skip: [
    {
      columns: ['Description'],
      values: ['autopay payment - thank you', 'online payment - thank you', 'mobile payment - thank you', 'payment received - thank you', 'autopay payment received - thank you'],
      kind: 'payment',
    },
  ],
}
