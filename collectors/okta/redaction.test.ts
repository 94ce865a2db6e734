import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestStore, DIALECTS, type TestStore } from '../../data/testing/test-store.js'
import { printable } from '../../scripts/cli/format.js'
import { scanOkta } from './scan.js'
import { startFakeOkta, type FakeOkta } from './testing/fake-okta.js'
import { catalogResolver, FAST_RETRY } from './testing/helpers.js'
import { seedOrg } from './testing/seed-org.js'

// A canary: if it appears anywhere a person or the database can read, redaction failed.
const CANARY = 'canary-00c0ffee-9f3a-4d2b-b7e1-5ecre7'

describe.each(DIALECTS)('case 13: a vendor echoing the credential [%s]', (dialect) => {
  let t: TestStore
  let fake: FakeOkta
  beforeEach(async () => {
    t = await createTestStore(dialect)
    fake = await startFakeOkta({ apiToken: CANARY })
    seedOrg(fake, { users: 4, signins: 4 })
  })
  afterEach(async () => {
    await fake.close()
    await t.dispose()
  })

  it('should strike the secret from the error returned, printed and stored, whatever the vendor sends back', async () => {
    // An Okta-like server that quotes the Authorization header back, plain and URL-encoded, in an error body.
    const echo = { errorCode: 'E0000011', errorSummary: `Invalid token provided: SSWS ${CANARY} (${encodeURIComponent(CANARY)})`, errorCauses: [] }
    fake.faults.push({ path: /^\/api\/v1\/users$/, times: 1, kind: 'status', status: 401, body: echo })
    const result = await scanOkta(t.store, { orgUrl: fake.url, auth: { kind: 'api-token', token: CANARY }, logSince: '2026-01-01T00:00:00.000Z' }, { resolver: catalogResolver(), retry: FAST_RETRY })
    expect(result.status).toBe('failed')
    expect(result.error?.message).toContain('Invalid token provided: SSWS [redacted]')
    expect(result.error?.message).not.toContain(CANARY)
    expect(printable(`sightline: ${String(result.error?.message)} ${CANARY}`)).not.toContain(CANARY)
    const runs = await t.store.db.selectFrom('scan_runs').select(['error', 'item_errors', 'counts']).execute()
    expect(runs.length).toBeGreaterThan(0)
    for (const run of runs) expect(JSON.stringify(run)).not.toContain(CANARY)
    expect(runs.some((r) => r.error?.includes('SSWS [redacted]'))).toBe(true)
  })
})
