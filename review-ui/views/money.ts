// One definition of money formatting for the views: re-exported until data/money.ts (issue 11) lands.
export { formatMoney } from '../../analyzer/findings/app-usage.js'
export { formatMinor } from '../../scripts/cli/commands/spend.js'
