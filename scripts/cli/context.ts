import { openStore, type OpenStoreOptions, type Store } from '../../data/connection.js'
import { loadConfig, type AppConfig } from '../config.js'
import { markAllInterruptedRuns } from '../../data/runs.js'

export interface GlobalFlags {
  db?: string
  verbose?: boolean
}

/** Opens the store named by the flags/environment, runs `fn`, and always closes it. */
export async function withStore<T>(flags: GlobalFlags, fn: (store: Store, config: AppConfig) => Promise<T>, options: OpenStoreOptions = {}): Promise<T> {
  const config = loadConfig(flags)
  const store = await openStore(config.databaseUrl, options)
  try {
    // A run whose process died (killed, lost its database) is marked interrupted by the next command, whichever it is.
    if (options.migrate !== false) await markAllInterruptedRuns(store.db)
    return await fn(store, config)
  } finally {
    await store.close()
  }
}
