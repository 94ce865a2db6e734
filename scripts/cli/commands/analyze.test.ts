import { afterEach, describe, expect, it } from 'vitest'
import { runCli as runTestCli } from '../testing/run-cli.js'
import { createTestStore, DIALECTS, type TestStore } from '../../../data/testing/test-store.js'
import { Command } from 'commander'
import { DEFAULT_ANALYZER_CONFIG } from '../../../analyzer/config.js'
import { NotFoundError } from '../../../data/errors.js'
import { registerAnalyze, registerFindings } from './analyze.js'

const AT = '2026-11-28T10:00:00.000Z'

/** Runs `sightline findings …` against the test store and returns what it printed. */
async function runCli(url: string, args: string[]): Promise<string> {
  return (await runTestCli(url, args, registerFindings)).stdout
}

for (const dialect of DIALECTS) {
  describe(`sightline findings [${dialect}]`, () => {
    let t: TestStore | undefined
    afterEach(async () => {
      await t?.dispose()
      t = undefined
    })

    async function seed(store: TestStore) {
      const base = { subject_type: 'app' as const, subject_id: null, evidence: '{"n":1}', recommendation: 'do it', first_detected_at: AT, last_detected_at: AT }
      await store.store.db
        .insertInto('findings')
        .values([
          { ...base, kind: 'shadow-app', subject_key: 'app:a', severity: 'low', score: 99, title: 'low but high score', status: 'open' },
          { ...base, kind: 'risky-grant', subject_key: 'grant:b', severity: 'critical', score: 1, title: 'critical', status: 'open' },
          { ...base, kind: 'shadow-app', subject_key: 'app:c', severity: 'medium', score: 5, title: 'medium', status: 'open' },
          { ...base, kind: 'shadow-app', subject_key: 'app:d', severity: 'high', score: 3, title: 'resolved one', status: 'resolved' },
        ])
        .execute()
    }

    it('should list open findings most important first, filter by kind, limit after sorting, and print JSON with evidence', async () => {
      t = await createTestStore(dialect)
      await seed(t)
      // json is one document a JSON parser accepts whole; jsonl is one object a line
      const json = JSON.parse(await runCli(t.url, ['findings', '--format', 'json'])) as { title: string; evidence: unknown }[]
      expect(json.map((f) => f.title)).toEqual(['critical', 'medium', 'low but high score'])
      expect(json[0]!.evidence).toEqual({ n: 1 })
      const limited = (await runCli(t.url, ['findings', '--format', 'jsonl', '--kind', 'shadow-app', '--limit', '1'])).trim().split('\n')
      expect(limited.map((l) => (JSON.parse(l) as { title: string }).title)).toEqual(['medium'])
      const lines = (await runCli(t.url, ['findings', '--format', 'jsonl'])).trim().split('\n')
      expect(lines.map((l) => (JSON.parse(l) as { title: string }).title)).toEqual(['critical', 'medium', 'low but high score'])
      const all = (await runCli(t.url, ['findings', '--format', 'csv', '--status', 'open,resolved'])).trim().split('\n')
      expect(all).toHaveLength(5)
      expect(all[0]).toBe('id,kind,severity,status,title,subject,recommendation,firstDetected,lastDetected,comment,evidence')
    })

    it('should acknowledge a finding with a comment', async () => {
      t = await createTestStore(dialect)
      await seed(t)
      const row = await t.store.db.selectFrom('findings').select('id').where('subject_key', '=', 'grant:b').executeTakeFirstOrThrow()
      expect(await runCli(t.url, ['findings', 'set-status', String(row.id), 'acknowledged', '--comment', 'vendor review booked', '--by', 'it@example.com'])).toBe(`finding ${row.id}: acknowledged\n`)
      const after = await t.store.db.selectFrom('findings').select(['status', 'status_comment', 'status_by']).where('id', '=', row.id).executeTakeFirstOrThrow()
      expect(after).toEqual({ status: 'acknowledged', status_comment: 'vendor review booked', status_by: 'it@example.com' })
      await expect(runCli(t.url, ['findings', 'set-status', '999999', 'acknowledged'])).rejects.toThrow(new NotFoundError('finding 999999: no such finding'))
      const events = await t.store.db.selectFrom('audit_events').select(['actor', 'action', 'subject_id', 'payload']).execute()
      expect(events).toEqual([{ actor: 'it@example.com', action: 'finding.status.set', subject_id: String(row.id), payload: '{"from":"open","reason":"vendor review booked","to":"acknowledged"}' }])
    })
  })
}

describe('sightline analyze defaults', () => {
  it('should take every numeric default from DEFAULT_ANALYZER_CONFIG, so analyze after the demo finds the same', () => {
    const program = new Command()
    registerAnalyze(program)
    const analyzeCmd = program.commands.find((c) => c.name() === 'analyze')!
    const defaults = Object.fromEntries(analyzeCmd.options.map((o) => [o.long, o.defaultValue as unknown]))
    expect(defaults['--inactive-days']).toBe(String(DEFAULT_ANALYZER_CONFIG.inactiveDays))
    expect(defaults['--spend-window-days']).toBe('365')
    expect(defaults['--outlier-min-peers']).toBe('5')
  })
})
