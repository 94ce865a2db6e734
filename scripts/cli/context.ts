import type { OpenStoreOptions, Store } from '../../data/connection.js'
import { loadConfig, type AppConfig } from '../config.js'

export interface GlobalFlags {
  db?: string
  verbose?: boolean
}

/** Opens the store named by the flags/environment, runs `fn`, and always closes it. */
export async function withStore<T>(flags: GlobalFlags, fn: (store: Store, config: AppConfig) => Promise<T>, options: OpenStoreOptions = {}): Promise<T> {
  const config = loadConfig(flags)
  // Loaded here, not at the top: commands register with the CLI without loading Kysely or a database driver.
  const [{ openStore }, { markAllInterruptedRuns }] = await Promise.all([import('../../data/connection.js'), import('../../data/runs.js')])
  const store = await openStore(config.databaseUrl, options)
  try {
    // A run whose process died (killed, lost its database) is marked interrupted by the next command, whichever it is.
    if (options.migrate !== false) await markAllInterruptedRuns(store.db)
    return await fn(store, config)
  } finally {
    await store.close()
  }
}
