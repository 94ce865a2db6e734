import { openStore, type OpenStoreOptions, type Store } from '../../data/connection.js'
import { loadConfig, type AppConfig } from '../config.js'

export interface GlobalFlags {
  db?: string
  verbose?: boolean
}

/** Opens the store named by the flags/environment, runs `fn`, and always closes it. */
export async function withStore<T>(flags: GlobalFlags, fn: (store: Store, config: AppConfig) => Promise<T>, options: OpenStoreOptions = {}): Promise<T> {
  const config = loadConfig(flags)
  const store = await openStore(config.databaseUrl, options)
  try {
    return await fn(store, config)
  } finally {
    await store.close()
  }
}
