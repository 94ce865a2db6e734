import { describe, expect, it } from 'vitest'
import { detectSubscriptions, type Charge } from './subscriptions.js'

const c = (candidateKey: string, date: string, amountMinor: number, currency = 'USD'): Charge => ({ candidateKey, date, amountMinor, currency })

describe('detectSubscriptions', () => {
  it('should find a monthly rhythm across short and long months', () => {
    const charges = ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31'].map((d) => c('notion', d, 1000))
    const [s, ...rest] = detectSubscriptions(charges)
    expect(rest).toEqual([])
    expect(s?.cadence).toBe('monthly')
    expect(s?.charges).toHaveLength(5)
    expect(s?.typicalAmountMinor).toBe(1000)
    expect(s?.confidence).toBeGreaterThan(0.7)
  })

  it('should find an annual renewal', () => {
    const [s] = detectSubscriptions([c('figma', '2024-03-02', 540000), c('figma', '2025-03-01', 576000), c('figma', '2026-03-03', 600000)])
    expect(s?.cadence).toBe('annual')
    expect(s?.charges).toHaveLength(3)
  })

  it('should ignore irregular merchants and dissimilar amounts', () => {
    const irregular = ['2026-01-03', '2026-01-09', '2026-02-20', '2026-04-01'].map((d) => c('uber', d, 2300))
    const wild = [c('store', '2026-01-01', 500), c('store', '2026-02-01', 90000), c('store', '2026-03-01', 12)]
    expect(detectSubscriptions([...irregular, ...wild])).toEqual([])
  })

  it('should not treat two charges as a monthly subscription', () => {
    expect(detectSubscriptions([c('x', '2026-01-01', 100), c('x', '2026-02-01', 100)])).toEqual([])
  })

  it('should keep currencies apart and leave its input untouched', () => {
    const input = [
      ...['2026-01-05', '2026-02-05', '2026-03-05'].map((d) => c('slack', d, 875, 'EUR')),
      ...['2026-01-20', '2026-03-29'].map((d) => c('slack', d, 900, 'USD')),
    ].reverse()
    const copy = JSON.parse(JSON.stringify(input))
    const out = detectSubscriptions(input)
    expect(out.map((s) => `${s.candidateKey}/${s.currency}`)).toEqual(['slack/EUR'])
    expect(out[0]?.charges.map((x) => x.date)).toEqual(['2026-01-05', '2026-02-05', '2026-03-05'])
    expect(input).toEqual(copy)
  })

  it('should skip an extra charge inside a period without breaking the rhythm', () => {
    const dates = ['2026-01-10', '2026-01-15', '2026-02-10', '2026-03-10', '2026-04-10']
    const [s] = detectSubscriptions(dates.map((d) => c('zoom', d, 1499)))
    expect(s?.charges.map((x) => x.date)).toEqual(['2026-01-10', '2026-02-10', '2026-03-10', '2026-04-10'])
  })
})
