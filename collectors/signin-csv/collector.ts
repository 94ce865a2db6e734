import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { basename } from 'node:path'
import type { Collector, CollectorContext, Page } from '../sdk/contract.js'
import { CollectorError } from '../sdk/errors.js'
import type { SigninRecord } from '../sdk/records.js'
import { ColumnMappingError, resolveColumns, type ColumnMapping } from './column-mapping.js'
import { appSignals, parseResult, parseTime, SigninValueError } from './parse-values.js'
import { openRows, type RowFormat, type RowStream, type SourceRow } from './read-rows.js'

export interface SigninFileConfig {
  path: string
  /** Field → column, overriding the header detection (`--map user=Actor`). */
  mapping?: ColumnMapping
  format?: RowFormat
}

const PAGE_SIZE = 2000
/** Past this many bad rows the mapping is surely wrong; stop rather than report a million errors. */
export const MAX_BAD_ROWS = 1000

/** Stable across re-imports of the same file: the log's own id if it has one, else a hash of what the row says. */
export function signinEventId(row: { id?: string; user: string; app: string; time: string; raw: string }): string {
  if (row.id && row.id.trim() !== '') return row.id.trim()
  return `h:${createHash('sha256').update(`${row.user}\u0000${row.app}\u0000${row.time}\u0000${row.raw}`).digest('hex').slice(0, 40)}`
}

export function signinFromRow(row: SourceRow, columns: ColumnMapping): SigninRecord {
  const get = (field: keyof ColumnMapping) => {
    const column = columns[field]
    return column ? (row.values[column] ?? '').trim() : ''
  }
  const user = get('user')
  const app = get('app')
  if (user === '') throw new SigninValueError('user', `column "${columns.user}" is empty`)
  if (app === '') throw new SigninValueError('app', `column "${columns.app}" is empty`)
  const occurredAt = parseTime(get('time'))
  const email = user.includes('@') ? user : null
  return {
    type: 'signin',
    eventId: signinEventId({ id: get('id'), user, app, time: occurredAt, raw: row.raw }),
    occurredAt,
    userExternalId: email ? null : user,
    email,
    app: { sourceAppId: null, ref: app.slice(0, 300), signals: appSignals(app) },
    result: parseResult(get('result')),
    ip: get('ip') || null,
    userAgent: get('userAgent') || null,
    country: get('country') || null,
  }
}

export type SigninFileCollector = Collector<SigninFileConfig, SigninRecord, 'signin'> & {
  /** The columns used, once validated (for the import summary). */
  columns(): ColumnMapping | null
  format(): RowFormat | null
  readonly stats: { rows: number; bad: number }
}

/**
 * A neutral sign-in log (CSV or JSON lines) as a collector: one kind, cursor = rows consumed. The stream is
 * kept open between pages and reopened (skipping what was read) only if the runner asks for another cursor.
 */
export function createSigninFileCollector(config: SigninFileConfig): SigninFileCollector {
  const file = basename(config.path)
  let stream: RowStream | null = null
  let position = 0
  let columns: ColumnMapping | null = null
  const stats = { rows: 0, bad: 0 }

  async function open(): Promise<RowStream> {
    const s = await openRows(config.path, config.format)
    try {
      columns = resolveColumns(s.headers, config.mapping, file)
    } catch (error) {
      if (error instanceof ColumnMappingError) throw new CollectorError('bad-data', error.message, { cause: error })
      throw error
    }
    return s
  }

  function report(ctx: CollectorContext<SigninFileConfig>, line: number, message: string): void {
    stats.bad++
    if (stats.bad > MAX_BAD_ROWS) {
      throw new CollectorError('bad-data', `signin-csv: ${file}: more than ${MAX_BAD_ROWS} bad rows (last at line ${line}: ${message}); check the column mapping`)
    }
    ctx.reportItemError({ kind: 'signin', item: `${file}:${line}`, code: 'bad-data', message: `signin-csv: ${file}: line ${line}: ${message}` })
  }

  return {
    manifest: { id: 'signin-csv', description: 'Sign-in log from any SSO, proxy or firewall (CSV or JSON lines, column mapping)', config: [], scopes: [], kinds: ['signin'], snapshotKinds: [] },
    stats,
    columns: () => columns,
    format: () => stream?.format ?? null,
    async validate() {
      if (!existsSync(config.path)) throw new CollectorError('invalid-config', `signin-csv: import: no such file: ${config.path}`)
      stream = await open()
      position = 0
    },
    async list(_kind, request, ctx): Promise<Page<SigninRecord>> {
      const start = request.cursor === null ? 0 : Number(request.cursor)
      if (!stream || start !== position) {
        stream = await open()
        position = 0
        while (position < start && !(await stream.rows.next()).done) position++
      }
      const items: SigninRecord[] = []
      let done = false
      while (items.length < PAGE_SIZE) {
        const r = await stream.rows.next()
        if (r.done) {
          done = true
          break
        }
        position++
        stats.rows++
        const row = r.value
        if ('error' in row) {
          report(ctx, row.line, row.error)
          continue
        }
        try {
          items.push(signinFromRow(row, columns!))
        } catch (error) {
          if (!(error instanceof SigninValueError)) throw error
          report(ctx, row.line, error.message)
        }
      }
      return { items, next: done ? null : String(position) }
    },
  }
}
