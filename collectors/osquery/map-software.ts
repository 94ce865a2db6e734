import type { SoftwareKind } from '../../data/tables/activity.table.js'
import type { SoftwareRecord } from '../sdk/records.js'

/**
 * osquery software tables as rows (query results or Fleet's software lists) → device software. Column names are
 * osquery's (https://osquery.io/schema): chrome_extensions, firefox_addons, ie_extensions, programs (Windows),
 * apps (macOS). Fleet names the table in `source` and keeps the osquery columns it knows.
 */
export const OSQUERY_TABLES = ['chrome_extensions', 'firefox_addons', 'ie_extensions', 'programs', 'apps'] as const
export type OsqueryTable = (typeof OSQUERY_TABLES)[number]

const KIND: Record<OsqueryTable, SoftwareKind> = {
  chrome_extensions: 'chrome_extension', firefox_addons: 'firefox_addon', ie_extensions: 'ie_extension', programs: 'program', apps: 'app',
}

export class RowError extends Error {}

type Row = Record<string, unknown>

function text(row: Row, ...names: string[]): string | null {
  for (const n of names) {
    const v = row[n]
    if (typeof v === 'string' && v.trim() !== '') return v.trim().slice(0, 1000)
    if (typeof v === 'number') return String(v)
  }
  return null
}

/** osquery's permission columns are comma-separated text; newer builds and Fleet may give a JSON array. */
function permissionList(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string' && v !== '')
  if (typeof value !== 'string' || value.trim() === '') return []
  const t = value.trim()
  if (t.startsWith('[')) {
    try {
      return permissionList(JSON.parse(t))
    } catch {
      // fall back to commas
    }
  }
  return t.split(/\s*,\s*/).filter((p) => p !== '')
}

/**
 * osquery's chrome_extensions has no host-permission column: `permissions` is the manifest's `permissions` list,
 * which under Manifest V2 also held host patterns, while a Manifest V3 extension keeps them in `host_permissions`,
 * readable only from the hidden `manifest_json` column (a query must name it). A query may also alias a column
 * `host_permissions`; both are read when there, and nothing is required.
 */
function manifestHostPermissions(value: unknown): string[] {
  if (typeof value !== 'string' || !value.trim().startsWith('{')) return []
  try {
    const manifest = JSON.parse(value) as Record<string, unknown>
    return [...permissionList(manifest['host_permissions']), ...permissionList(manifest['optional_host_permissions'])]
  } catch {
    return []
  }
}

/** Which table a bare row (osqueryi --json output) came from, by the columns only that table has. */
export function tableOfColumns(row: Row): OsqueryTable | null {
  if ('browser_type' in row || ('identifier' in row && ('profile' in row || 'from_webstore' in row || 'update_url' in row))) return 'chrome_extensions'
  if ('creator' in row || 'source_url' in row || ('identifier' in row && 'visible' in row)) return 'firefox_addons'
  if ('registry_path' in row) return 'ie_extensions'
  if ('bundle_identifier' in row || 'bundle_short_version' in row) return 'apps'
  if ('identifying_number' in row || 'uninstall_string' in row || 'install_location' in row) return 'programs'
  return null
}

/** The table a query's name mentions (`pack/software/chrome_extensions`, `fleet_detail_query_firefox_addons` …). */
export function tableOfQueryName(name: string): OsqueryTable | null {
  return OSQUERY_TABLES.find((t) => new RegExp(`(^|[^a-z])${t}($|[^a-z])`).test(name.toLowerCase())) ?? null
}

export function mapSoftwareRow(table: OsqueryTable, row: Row, deviceId: string, seenAt: string | null): SoftwareRecord {
  const name = text(row, 'name', 'bundle_name', 'display_name')
  const version = text(row, 'version', 'bundle_short_version', 'bundle_version')
  const base = { type: 'software' as const, deviceId, kind: KIND[table], name, version, seenAt, email: null }
  switch (table) {
    case 'chrome_extensions': {
      const id = text(row, 'identifier', 'extension_id')
      if (!id || !/^[a-p]{32}$/.test(id)) throw new RowError(`field identifier: not a Chrome extension id: ${JSON.stringify(id)}`)
      const permissions = [...new Set([
        ...permissionList(row['permissions']), ...permissionList(row['permissions_json']),
        ...permissionList(row['optional_permissions']), ...permissionList(row['optional_permissions_json']),
        ...permissionList(row['host_permissions']), ...manifestHostPermissions(row['manifest_json']),
      ])]
      return {
        ...base, itemId: id, publisher: text(row, 'author', 'vendor'), permissions, installType: text(row, 'browser_type', 'browser') ?? 'chrome',
        enabled: row['state'] === undefined ? null : String(row['state']) === '1',
        signals: [{ kind: 'extension', value: `chrome:${id}` }, ...(name ? [{ kind: 'name' as const, value: name }] : [])],
      }
    }
    case 'firefox_addons': {
      const id = text(row, 'identifier', 'extension_id')
      if (!id) throw new RowError('field identifier: missing')
      return {
        ...base, itemId: id, publisher: text(row, 'creator', 'vendor'), permissions: [], installType: text(row, 'location', 'type'),
        enabled: row['active'] === undefined ? null : String(row['active']) === '1',
        signals: [{ kind: 'extension', value: `firefox:${id.toLowerCase()}` }, ...(name ? [{ kind: 'name' as const, value: name }] : [])],
      }
    }
    case 'ie_extensions':
    case 'programs':
    case 'apps': {
      if (!name) throw new RowError('field name: missing')
      const itemId = text(row, 'bundle_identifier', 'identifying_number', 'registry_path') ?? name
      // Every desktop has hundreds of runtimes and drivers: a program names an app only when the catalog knows it.
      return { ...base, itemId, publisher: text(row, 'publisher', 'vendor'), permissions: [], installType: null, enabled: null, candidate: table === 'ie_extensions', signals: [{ kind: 'name', value: name }] }
    }
  }
}
