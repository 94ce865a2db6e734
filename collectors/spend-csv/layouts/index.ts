// Every named layout, in detection order (ties go to the earlier one).
import type { SpendLayout } from '../types.js'
import { amex } from './amex.js'
import { brex } from './brex.js'
import { capitalOne } from './capital-one.js'
import { chase } from './chase.js'
import { divvy } from './divvy.js'
import { expensify } from './expensify.js'
import { mercury } from './mercury.js'
import { navan } from './navan.js'
import { paypal } from './paypal.js'
import { plaid } from './plaid.js'
import { ramp } from './ramp.js'

export const LAYOUTS: readonly SpendLayout[] = [brex, ramp, amex, expensify, navan, chase, capitalOne, mercury, divvy, paypal, plaid]

export function findLayout(id: string): SpendLayout | undefined {
  return LAYOUTS.find((l) => l.id === id)
}

export { amex, brex, capitalOne, chase, divvy, expensify, mercury, navan, paypal, plaid, ramp }
