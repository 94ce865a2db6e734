import { mkdtempSync, createReadStream, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { Hono, type Context } from 'hono'
import { listAuditEvents, verifyStoredAuditChain, type StoredChainCheck } from '../../data/audit.js'
import { parsePeriod, quarterOf } from '../../data/evidence/period.js'
import type { AuditEvent } from '../../data/tables/audit.table.js'
import type { AppEnv } from '../env.js'
import { exportEvidence } from '../evidence/build.js'
import { requireRole } from '../middleware/require-role.js'
import { CsrfField, ErrorSummary, Layout, TextField, type FieldError, type LayoutUser } from '../views/layout.js'

const ChainStatus = (props: { check: StoredChainCheck }) => {
  const c = props.check
  if (c.ok) {
    return (
      <div class="notice notice--ok">
        <p class="body">
          <strong>The audit trail is intact.</strong> {c.checked} events, each linked to the one before by its SHA-256 hash
          {c.headAt ? `; the last at ${c.headAt.replace('T', ' ').slice(0, 19)} UTC` : ''}.
        </p>
        <p class="hint">
          Hash of the last event: <code class="hash">{c.headHash}</code>
        </p>
      </div>
    )
  }
  return (
    <div class="error-summary" role="alert">
      <h2 class="error-summary__title">The audit trail is broken at event {c.brokenAt!.seq}</h2>
      <p class="body">{c.brokenAt!.reason}.</p>
      <p class="body">
        The {c.checked} events before it hold (last good hash <code class="hash">{c.headHash}</code>); {c.events} events are stored. Someone changed the
        record behind the database's append-only triggers: treat this as a security incident.
      </p>
    </div>
  )
}

const EvidencePage = (props: {
  me: LayoutUser
  csrfToken: string
  check: StoredChainCheck
  recent: AuditEvent[]
  period: string
  errors?: FieldError[]
}) => (
  <Layout title="Audit trail and evidence" user={props.me} csrfToken={props.csrfToken} current="/evidence">
    <ErrorSummary errors={props.errors ?? []} />
    <h1 class="heading-l">Audit trail and evidence</h1>
    <h2 class="heading-m">Audit trail</h2>
    <ChainStatus check={props.check} />
    <h2 class="heading-m">Download an evidence package</h2>
    <p class="body">
      One zip for your auditor: a report (HTML and PDF) stating which SOC 2 and ISO 27001 controls each part supports, CSVs of the population and its sources,
      leavers and what they still held, open findings, the audit events of the period with their hashes, and a manifest of every file's SHA-256. The download
      is recorded in the audit trail. Anyone can check it offline with <code>sightline evidence verify FILE.zip</code>.
    </p>
    <form method="post" action="/evidence/export" class="narrow" novalidate>
      <CsrfField token={props.csrfToken} />
      <TextField id="period" label="Period" value={props.period} hint="A quarter (2026-Q3), a month (2026-07) or a year (2026)."
        error={props.errors?.find((e) => e.field === 'period')?.message} />
      <button type="submit" class="button">Download evidence</button>
    </form>
    <div class="table-wrap">
      <table>
        <caption>The latest audit events</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time (UTC)</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Subject</th>
          </tr>
        </thead>
        <tbody>
          {props.recent.length === 0 ? (
            <tr>
              <td colspan={5}>No events yet.</td>
            </tr>
          ) : (
            [...props.recent].reverse().map((e) => (
              <tr>
                <td>{e.seq}</td>
                <td>{e.occurred_at.replace('T', ' ').slice(0, 19)}</td>
                <td>{e.actor}</td>
                <td>{e.action}</td>
                <td>{e.subject_type ? `${e.subject_type} ${e.subject_id ?? ''}` : ''}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
  </Layout>
)

/** The chain's status and the evidence download, for admins and auditors (`sightline audit verify`, `export evidence`). */
export function evidenceRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use(requireRole('admin', 'auditor'))

  const page = async (c: Context<AppEnv>, period: string, errors?: FieldError[]) => {
    const { user, csrfToken } = c.var.auth!
    const db = c.var.deps.store.db
    const [check, recent] = [await verifyStoredAuditChain(db), await listAuditEvents(db, { limit: 20 })]
    return c.html(<EvidencePage me={user} csrfToken={csrfToken} check={check} recent={recent} period={period} errors={errors} />, errors ? 400 : 200)
  }

  app.get('/', (c) => page(c, quarterOf(c.var.deps.clock.now())))

  app.post('/export', async (c) => {
    const form = await c.req.parseBody()
    const text = typeof form.period === 'string' ? form.period : ''
    let period
    try {
      period = parsePeriod(text)
    } catch {
      return page(c, text, [{ field: 'period', message: 'Enter a quarter like 2026-Q3, a month like 2026-07, or a year like 2026' }])
    }
    const settings = c.var.deps.evidence ?? {}
    const dir = mkdtempSync(join(tmpdir(), 'sightline-evidence-'))
    const name = `sightline-evidence-${period.label}.zip`
    const path = join(dir, name)
    try {
      await exportEvidence(c.var.deps.store.db, {
        scope: { kind: 'period', period }, outPath: path, actor: c.var.auth!.user.email, signingKey: settings.signingKey, pdf: settings.pdf ?? false, now: c.var.deps.clock.now(),
      })
    } catch (error) {
      rmSync(dir, { recursive: true, force: true })
      throw error
    }
    const stream = createReadStream(path)
    stream.on('close', () => rmSync(dir, { recursive: true, force: true }))
    c.header('Content-Type', 'application/zip')
    c.header('Content-Disposition', `attachment; filename="${name}"`)
    c.header('Cache-Control', 'no-store')
    return c.body(Readable.toWeb(stream) as ReadableStream)
  })
  return app
}
