// The views format money with the one definition in data/money.ts.
export { formatMinor, formatMoney } from '../../data/money.js'
