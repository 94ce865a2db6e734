import type { Store } from '../../data/connection.js'
import { importFileWithCollector, type FileImportOptions, type FileImportSummary } from '../sdk/import-file.js'
import { createSigninFileCollector, type SigninFileConfig } from './collector.js'
import type { ColumnMapping } from './column-mapping.js'
import type { RowFormat } from './read-rows.js'

export interface SigninImportOptions extends FileImportOptions {
  mapping?: ColumnMapping
  format?: RowFormat
  /** Which system the log came from (`onelogin`, `jumpcloud`, `firewall`); rows are stamped with it. Default `signin-csv`. */
  source?: string
}

/**
 * Format `csv`: a neutral sign-in log in one transaction. Re-importing the same file adds nothing: event ids
 * come from the file's id column or a hash of the row.
 */
export async function importSigninFile(store: Store, path: string, options: SigninImportOptions): Promise<FileImportSummary> {
  const source = options.source ?? 'signin-csv'
  if (!/^[a-z0-9][a-z0-9-]{0,40}$/.test(source)) throw new Error(`signin-csv: import: source must be a short kebab-case name, got "${source}"`)
  const config: SigninFileConfig = { path, ...(options.mapping ? { mapping: options.mapping } : {}), ...(options.format ? { format: options.format } : {}) }
  const collector = createSigninFileCollector(config)
  const summary = await importFileWithCollector(store, path, collector, config, {
    ...options,
    layout: 'signin-csv',
    source,
    count: { read: 'signin.read', imported: 'signin.imported', duplicates: 'signin.duplicates' },
  })
  const columns = collector.columns() ?? {}
  return {
    ...summary,
    layout: `signin-${collector.format() ?? 'csv'} (${Object.entries(columns).map(([f, c]) => `${f}=${c}`).join(', ')})`,
    read: collector.stats.rows,
  }
}
