// A second process appending to the audit chain (for the two-writer SQLite test): URL, label, count.
import { appendAuditEvent } from '../audit.js'
import { openStore } from '../connection.js'

const [url, label, count] = process.argv.slice(2)
const store = await openStore(url!, { migrate: false })
try {
  for (let i = 0; i < Number(count); i++) {
    await store.db.transaction().execute(async (trx) => {
      // the change first, then its event, as every caller does
      await trx.insertInto('settings').values({ key: `${label!}.${i}`, value: String(i), updated_at: new Date().toISOString() }).execute()
      await appendAuditEvent(trx, { actor: `system:${label!}`, action: 'test.append', payload: { i } })
    })
  }
} finally {
  await store.close()
}
