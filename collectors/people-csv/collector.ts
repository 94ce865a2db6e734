import type { Collector } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'
import type { PersonRecord } from '../sdk/records.js'
import { parseRosterFile, RosterFileError, type ParsedRoster, type RosterOptions } from './parse-roster.js'

export interface RosterConfig extends RosterOptions {
  path: string
}

const PAGE_SIZE = 500

/**
 * The HR roster as a collector: one kind (`person`), cursor = row offset. The roster is authoritative for
 * people and complete, so a completed import marks roster identities it no longer lists as gone (people stay).
 */
export function createRosterCollector(config: RosterConfig): Collector<RosterConfig, PersonRecord, 'person'> & { parsed(): ParsedRoster | null } {
  let parsed: ParsedRoster | null = null
  return {
    manifest: {
      id: 'hr',
      description: 'HR roster CSV (BambooHR, Rippling, Gusto, Workday or any CSV with a column mapping)',
      config: [],
      scopes: [],
      kinds: ['person'],
      snapshotKinds: ['person'],
    },
    parsed: () => parsed,
    async validate(ctx) {
      try {
        parsed = await parseRosterFile(config.path, config)
      } catch (error) {
        if (error instanceof RosterFileError) throw new CollectorError('bad-data', error.message, { cause: error })
        throw error
      }
      for (const e of [...parsed.rejected, ...parsed.duplicates].sort((a, b) => a.line - b.line)) {
        ctx.reportItemError({ kind: 'person', item: `${parsed.file}:${e.line}`, code: 'bad-data', message: `${parsed.file}: line ${e.line}: field ${e.field}: ${e.reason}` })
      }
    },
    async list(_kind, request) {
      if (!parsed) throw new CollectorError('invalid-config', 'hr: list before validate')
      const start = request.cursor === null ? 0 : Number(request.cursor)
      const end = Math.min(parsed.rows.length, start + PAGE_SIZE)
      return {
        items: parsed.rows.slice(start, end).map((r) => r.record),
        next: end < parsed.rows.length ? String(end) : null,
        // In records read, so the bar ends at the file's row count even when some rows were rejected.
        progress: { done: end < parsed.rows.length ? Math.min(parsed.rows[end]!.ordinal, parsed.read) : parsed.read, total: parsed.read, unit: 'rows' },
      }
    },
  }
}
