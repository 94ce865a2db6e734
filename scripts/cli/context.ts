import type { OpenStoreOptions, Store } from '../../data/connection.js'
import type { WriteWaitOptions } from '../../data/sqlite-write-wait.js'
import { loadConfig, type AppConfig } from '../config.js'
import { printable } from './format.js'

export interface GlobalFlags {
  db?: string
  verbose?: boolean
}

/** The one line a command prints when its write has to wait for another process (SQLite has one writer). */
const printWriteWait = (describeWriters: (writers: Parameters<NonNullable<WriteWaitOptions['onWait']>>[0]['writers']) => string): NonNullable<WriteWaitOptions['onWait']> => ({ location, writers, maxWaitMs }) => {
  const who = describeWriters(writers)
  const what = who ? `another import to finish writing to ${location}: ${who}` : `another process to finish writing to ${location}`
  process.stderr.write(`sightline: ${printable(`waiting for ${what} (at most ${Math.round(maxWaitMs / 1000)} s)`)}\n`)
}

/** Opens the store named by the flags/environment, runs `fn`, and always closes it. */
export async function withStore<T>(flags: GlobalFlags, fn: (store: Store, config: AppConfig) => Promise<T>, options: OpenStoreOptions = {}): Promise<T> {
  const config = loadConfig(flags)
  // Loaded here, not at the top: commands register with the CLI without loading Kysely or a database driver.
  const [{ openStore }, { markAllInterruptedRuns }, { describeWriters }] = await Promise.all([
    import('../../data/connection.js'), import('../../data/runs.js'), import('../../data/sqlite-write-wait.js'),
  ])
  const store = await openStore(config.databaseUrl, { ...options, writeWait: { maxWaitMs: config.writeWaitMs, onWait: printWriteWait(describeWriters), ...options.writeWait } })
  try {
    // A run whose process died (killed, lost its database) is marked interrupted by the next command, whichever it is.
    if (options.migrate !== false) await markAllInterruptedRuns(store.db)
    return await fn(store, config)
  } finally {
    await store.close()
  }
}
