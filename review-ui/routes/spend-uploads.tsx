import { mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { MAPPED_FIELDS, validateMapping } from '../../collectors/spend-csv/column-mapping.js'
import { isProfileName, listMappingProfiles, loadNamedProfile, saveMappingProfile } from '../../collectors/spend-csv/profile-store.js'
import type { ColumnMapping, MappedField, MappingProfile, SpendReadOptions } from '../../collectors/spend-csv/types.js'
import { getSpendUploadJob, listSpendUploadJobs, spendUploadRejects, type SpendUploadJob } from '../../data/ui-jobs.js'
import { csvResponse } from '../csv.js'
import type { AppEnv } from '../env.js'
import { requireRole } from '../middleware/require-role.js'
import { formatMegabytes, multipartBoundary, receiveMultipart } from '../uploads/multipart-files.js'
import { whyNotCsv } from '../uploads/not-csv.js'
import type { UploadRequest } from '../uploads/spend-upload-runner.js'
import { Section, Tag } from '../views/components.js'
import { formatCount, formatDateTime } from '../views/format.js'
import { CsrfField, Layout } from '../views/layout.js'

/** Most files in one upload. */
const MAX_FILES = 20
const UPLOADERS = ['admin', 'finance'] as const

const FIELD_LABEL: Record<MappedField, string> = {
  date: 'Transaction date', postedDate: 'Posting date', amount: 'Amount', debit: 'Money out (debit)', credit: 'Money in (credit)',
  merchant: 'Merchant or description', currency: 'Currency', cardholder: 'Cardholder name', cardholderEmail: 'Cardholder email',
  card: 'Card (last 4 digits)', department: 'Department', category: 'Category', memo: 'Memo', externalId: 'Transaction id',
  direction: 'Debit/credit marker',
}
const DATE_FORMATS = ['DD/MM/YYYY', 'MM/DD/YYYY', 'YYYY-MM-DD', 'DD.MM.YYYY'] as const

const inProgress = (j: SpendUploadJob) => j.status === 'queued' || j.status === 'running'

function jobId(raw: string): number {
  const id = Number(raw)
  if (!Number.isSafeInteger(id) || id <= 0) throw new HTTPException(404, { message: 'There is no such upload.' })
  return id
}

/** The read options a saved profile stands for (as `sightline import spend --profile` reads it). */
function readOptionsOf(profile: MappingProfile): SpendReadOptions {
  const options: SpendReadOptions = {
    mapping: profile.mapping, dateFormat: profile.dateFormat, currency: profile.currency, decimalSeparator: profile.decimalSeparator,
    delimiter: profile.delimiter, sign: profile.sign, creditValues: profile.creditValues, hasHeader: profile.hasHeader,
  }
  for (const key of Object.keys(options) as (keyof SpendReadOptions)[]) if (options[key] === undefined) delete options[key]
  return options
}

/** Every column a mapping names must be one of the file's headers (or a position inside the row): else 400. */
function checkMappingAgainst(mapping: ColumnMapping, headers: readonly string[]): void {
  const known = new Set(headers.map((h) => h.trim().toLowerCase()))
  const missing = Object.entries(mapping)
    .filter(([, ref]) => (typeof ref === 'number' ? ref > headers.length : !known.has(String(ref).trim().toLowerCase())))
    .map(([field, ref]) => `${FIELD_LABEL[field as MappedField] ?? field} → "${ref}"`)
  if (missing.length > 0) {
    throw new HTTPException(400, { message: `The mapping names columns this file does not have: ${missing.join('; ')}. The file's columns are: ${headers.map((h) => `"${h}"`).join(', ')}.` })
  }
}

const Counts = ({ j }: { j: SpendUploadJob }) => {
  const d = j.detail
  if (j.status !== 'completed') return <>—</>
  return (
    <>
      read {formatCount(d.read ?? 0)}, imported {formatCount(d.imported ?? 0)}, duplicates {formatCount(d.duplicates ?? 0)}, rejected {formatCount(d.rejected ?? 0)}, skipped{' '}
      {formatCount(d.skipped ?? 0)}
    </>
  )
}

const JobTable = ({ jobs }: { jobs: SpendUploadJob[] }) => (
  <div class="table-wrap">
    <table>
      <caption class="visually-hidden">Statement uploads, newest first</caption>
      <thead>
        <tr>
          <th scope="col">File</th>
          <th scope="col">Status</th>
          <th scope="col">Layout</th>
          <th scope="col">Counts</th>
          <th scope="col">Uploaded by</th>
          <th scope="col">When</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((j) => (
          <tr>
            <td>
              <a href={`/spend/uploads/${j.id}`}>{j.fileName}</a>
            </td>
            <td>
              <Tag value={j.status} />
            </td>
            <td>{j.detail.layout ?? '—'}</td>
            <td>
              <Counts j={j} />
            </td>
            <td>{j.requestedBy}</td>
            <td>{formatDateTime(j.createdAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
)

const UploadForm = ({ csrfToken, maxBytes, profiles }: { csrfToken: string; maxBytes: number; profiles: string[] }) => (
  // The token rides in the action URL: the middleware checks it before a byte of the (large) body is read.
  <form method="post" action={`/spend/uploads?_csrf=${encodeURIComponent(csrfToken)}`} enctype="multipart/form-data" class="narrow">
    <div class="form-group">
      <label class="label" for="files">
        Statement files (CSV)
      </label>
      <div class="hint" id="files-hint">
        Card and expense exports from Brex, Ramp, Amex, Expensify, Navan, Chase, Capital One, Mercury, BILL/Divvy, or any bank CSV. Up to{' '}
        {MAX_FILES} files, {formatMegabytes(maxBytes)} in all.
      </div>
      <input class="input" id="files" name="files" type="file" accept=".csv,.txt,.tsv,text/csv" multiple required aria-describedby="files-hint" />
    </div>
    {profiles.length > 0 ? (
      <div class="form-group">
        <label class="label" for="profile">
          Saved column mapping (optional)
        </label>
        <div class="hint" id="profile-hint">
          Leave as "detect" unless these files come from a bank whose columns you mapped before.
        </div>
        <select class="select" id="profile" name="profile" aria-describedby="profile-hint">
          <option value="">Detect the layout from the header row</option>
          {profiles.map((p) => (
            <option value={p}>{p}</option>
          ))}
        </select>
      </div>
    ) : null}
    <button type="submit" class="button">
      Upload and import
    </button>
  </form>
)

/** The fields most statements have; the rest sit behind "More columns". */
const MAIN_FIELDS: readonly MappedField[] = ['date', 'merchant', 'amount', 'debit', 'credit', 'currency', 'cardholder']

const FieldPicker = ({ field, headers, value }: { field: MappedField; headers: readonly string[]; value?: string }) => (
  <div class="form-group">
    <label class="label" for={`map-${field}`}>
      {FIELD_LABEL[field]}
      {field === 'date' || field === 'merchant' ? ' (needed)' : ''}
    </label>
    <select class="select" id={`map-${field}`} name={`map.${field}`}>
      <option value="">Not in this file</option>
      {headers.map((h) => (
        <option value={h} selected={value === h}>
          {h}
        </option>
      ))}
    </select>
  </div>
)

const MappingForm = ({ j, csrfToken, profiles, values = {} }: { j: SpendUploadJob; csrfToken: string; profiles: string[]; values?: Record<string, string> }) => {
  const headers = j.detail.headers ?? []
  return (
    <Section id="mapping" title="Map this file's columns">
      <p class="body">
        No known layout matches the header row{j.detail.headerLine ? ` (line ${j.detail.headerLine})` : ''}. Say which column holds what and
        import it again. A date, a merchant and either an amount or a money-out and money-in pair are needed.
      </p>
      {profiles.length > 0 ? (
        <form method="post" action={`/spend/uploads/${j.id}/mapping`} class="narrow">
          <CsrfField token={csrfToken} />
          <div class="form-group">
            <label class="label" for="saved-profile">
              Use a saved mapping
            </label>
            <select class="select" id="saved-profile" name="profile">
              {profiles.map((p) => (
                <option value={p}>{p}</option>
              ))}
            </select>
          </div>
          <button type="submit" class="button button--secondary">
            Import with this mapping
          </button>
        </form>
      ) : null}
      <form method="post" action={`/spend/uploads/${j.id}/mapping`} class="narrow">
        <CsrfField token={csrfToken} />
        <fieldset>
          <legend class="label">Columns</legend>
          {MAIN_FIELDS.map((field) => (
            <FieldPicker field={field} headers={headers} value={values[`map.${field}`]} />
          ))}
          <details>
            <summary>More columns (optional)</summary>
            {MAPPED_FIELDS.filter((f) => !MAIN_FIELDS.includes(f)).map((field) => (
              <FieldPicker field={field} headers={headers} value={values[`map.${field}`]} />
            ))}
          </details>
        </fieldset>
        <div class="form-group">
          <label class="label" for="dateFormat">
            Date format
          </label>
          <select class="select" id="dateFormat" name="dateFormat">
            <option value="">Work it out from the dates</option>
            {DATE_FORMATS.map((f) => (
              <option value={f} selected={values.dateFormat === f}>
                {f}
              </option>
            ))}
          </select>
        </div>
        <div class="form-group">
          <label class="label" for="currency">
            Currency, when the file has no currency column
          </label>
          <input class="input input--short" id="currency" name="currency" maxlength={3} placeholder="USD" value={values.currency ?? ''} />
        </div>
        <div class="form-group">
          <label class="label" for="saveAs">
            Save this mapping as (optional)
          </label>
          <div class="hint" id="saveAs-hint">
            A name such as <code>first-national-checking</code>: letters, digits, dot, dash, underscore. The command line uses the same profiles
            (<code>--profile NAME</code>).
          </div>
          <input class="input" id="saveAs" name="saveAs" maxlength={64} value={values.saveAs ?? ''} aria-describedby="saveAs-hint" />
        </div>
        <button type="submit" class="button">
          Import with these columns
        </button>
      </form>
    </Section>
  )
}

const JobView = ({ j, canDownload, mapping }: { j: SpendUploadJob; canDownload: boolean; mapping: unknown }) => {
  const d = j.detail
  return (
    <>
      <p class="hint">
        <a href="/spend/uploads">Statement uploads</a>
      </p>
      <h1 class="heading-l">{j.fileName}</h1>
      <dl class="summary-list">
        <dt>Status</dt>
        <dd>
          <Tag value={j.status} />
        </dd>
        <dt>Layout</dt>
        <dd>{d.layout ?? (d.headers ? 'not recognised' : '—')}</dd>
        <dt>Uploaded by</dt>
        <dd>
          {j.requestedBy} on {formatDateTime(j.createdAt)}
        </dd>
        <dt>Size and SHA-256</dt>
        <dd>
          {formatCount(d.bytes)} bytes, <code>{d.sha256}</code>
        </dd>
        {d.mapping ? (
          <>
            <dt>Column mapping</dt>
            <dd>
              {d.mapping.profile ? `saved profile ${d.mapping.profile}: ` : ''}
              {Object.entries(d.mapping.columns)
                .map(([f, h]) => `${FIELD_LABEL[f as MappedField] ?? f} = ${h}`)
                .join('; ')}
            </dd>
          </>
        ) : null}
        {d.columns ? (
          <>
            <dt>Columns read from the header</dt>
            <dd>
              {Object.entries(d.columns)
                .map(([f, h]) => `${FIELD_LABEL[f as MappedField] ?? f} = ${h}`)
                .join('; ')}
            </dd>
          </>
        ) : null}
      </dl>
      {inProgress(j) ? (
        <p class="notice" role="status">
          Importing… this page reloads every few seconds. <a href={`/spend/uploads/${j.id}`}>Check the status now</a>.
        </p>
      ) : null}
      {j.status === 'failed' ? (
        <div class="error-summary" role="alert">
          <h2 class="error-summary__title">Nothing from this file was imported</h2>
          {d.headers ? (
            <>
              <p class="body">Sightline does not know this file's columns. Map them below and import it again.</p>
              <details>
                <summary>What the importer said</summary>
                <p class="body">{j.error}</p>
              </details>
            </>
          ) : (
            <p class="body">{j.error}</p>
          )}
        </div>
      ) : null}
      {d.rerunAs ? (
        <p class="notice">
          This file was imported again with a column mapping: <a href={`/spend/uploads/${d.rerunAs}`}>see that upload</a>.
        </p>
      ) : null}
      {j.status === 'completed' ? (
        <Section id="counts" title="What was imported">
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Rows of the file by outcome</caption>
              <tbody>
                {(
                  [
                    ['Rows read', d.read],
                    ['Imported', d.imported],
                    ['Already imported (duplicates)', d.duplicates],
                    ['Rejected', d.rejected],
                    ['Skipped (not spend: payments, transfers…)', d.skipped],
                  ] as const
                ).map(([label, n]) => (
                  <tr>
                    <th scope="row">{label}</th>
                    <td class="num">{formatCount(n ?? 0)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {Object.keys(d.skippedBy ?? {}).length > 0 ? (
            <p class="hint">
              Skipped: {Object.entries(d.skippedBy ?? {})
                .map(([k, n]) => `${k} ${formatCount(n)}`)
                .join(', ')}
            </p>
          ) : null}
          {(d.warnings ?? []).length > 0 ? (
            <ul class="plain-list">
              {(d.warnings ?? []).map((w) => (
                <li>Worth a look: {w}</li>
              ))}
            </ul>
          ) : null}
        </Section>
      ) : null}
      {(d.errors ?? []).length > 0 ? (
        <Section id="rejects" title={`Rejected rows (${formatCount(d.rejected ?? d.errors!.length)})`}>
          <ul class="plain-list">
            {d.errors!.map((e) => (
              <li>{e}</li>
            ))}
          </ul>
          {j.hasRejects && canDownload ? (
            <p class="body">
              <a href={`/spend/uploads/${j.id}/rejects.csv`}>Download the rejected rows (CSV)</a>
            </p>
          ) : null}
        </Section>
      ) : null}
      {mapping}
    </>
  )
}

/** Statement upload: files stream to disk, then the CLI's spend importer runs on each as a job. */
export function spendUploadRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const { store, config } = c.var.deps
    const ids = (c.req.query('ids') ?? '').split(',').map(Number).filter((n) => Number.isSafeInteger(n) && n > 0).slice(0, MAX_FILES)
    const jobs = await listSpendUploadJobs(store.db, ids.length > 0 ? { ids } : {})
    const canUpload = (UPLOADERS as readonly string[]).includes(user.role)
    const busy = jobs.some(inProgress)
    return c.html(
      <Layout title="Statement uploads" user={user} csrfToken={csrfToken} current="/spend" refreshSeconds={busy ? 3 : undefined}>
        <p class="hint">
          <a href="/spend">Spend</a>
        </p>
        <h1 class="heading-l">Statement uploads</h1>
        {canUpload ? <UploadForm csrfToken={csrfToken} maxBytes={config.maxUploadBytes} profiles={listMappingProfiles(config.profileDir)} /> : null}
        <h2 class="heading-m">{ids.length > 0 ? 'This upload' : 'Recent uploads'}</h2>
        {busy ? (
          <p class="notice" role="status">
            Importing… this page reloads every few seconds. <a href={c.req.url.replace(/^[a-z]+:\/\/[^/]+/, '')}>Check the status now</a>.
          </p>
        ) : null}
        {jobs.length === 0 ? <p class="body">No statements uploaded yet.</p> : <JobTable jobs={jobs} />}
        {ids.length > 0 ? (
          <p class="body">
            <a href="/spend/uploads">All recent uploads</a>
          </p>
        ) : null}
      </Layout>,
    )
  })

  app.post('/', requireRole(...UPLOADERS), async (c) => {
    const { user } = c.var.auth!
    const { config, jobs } = c.var.deps
    const boundary = multipartBoundary(c.req.header('content-type'))
    if (!boundary) throw new HTTPException(415, { message: 'Send the statements with the upload form (multipart/form-data).' })
    const length = Number(c.req.header('content-length') ?? '0')
    if (length > config.maxUploadBytes) {
      throw new HTTPException(413, { message: `The upload is larger than the ${formatMegabytes(config.maxUploadBytes)} limit. Nothing was imported; split the statement or upload fewer files at once.` })
    }
    const dir = await mkdtemp(join(jobs.workDir, 'request-'))
    try {
      const form = await receiveMultipart(c.req.raw.body, boundary, dir, { maxBytes: config.maxUploadBytes, maxFiles: MAX_FILES })
      const files = form.files.filter((f) => f.field === 'files')
      if (files.length === 0) throw new HTTPException(400, { message: 'Choose at least one statement file to upload.' })
      for (const f of files) {
        const why = whyNotCsv(f.head, f.bytes)
        if (why) throw new HTTPException(400, { message: `${f.name} ${why}. Nothing was imported. Export the statement as CSV and upload that.` })
      }
      let base: Omit<UploadRequest, 'file'> = { actor: user.email }
      const profileName = form.fields.profile?.trim()
      if (profileName) {
        if (!isProfileName(profileName) || !listMappingProfiles(config.profileDir).includes(profileName)) {
          throw new HTTPException(400, { message: `There is no saved mapping called "${profileName}".` })
        }
        const profile = await loadNamedProfile(profileName, config.profileDir)
        base = { ...base, readOptions: readOptionsOf(profile), mapping: { profile: profileName, columns: stringColumns(profile.mapping) } }
      }
      const ids: number[] = []
      for (const file of files) ids.push(await jobs.submit({ ...base, file }))
      return c.redirect(ids.length === 1 ? `/spend/uploads/${ids[0]}` : `/spend/uploads?ids=${ids.join(',')}`, 303)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  app.get('/:id', async (c) => {
    const { user, csrfToken } = c.var.auth!
    const { store, config, jobs } = c.var.deps
    const j = await getSpendUploadJob(store.db, jobId(c.req.param('id')))
    const canChange = canRerun(user, j)
    const mapping =
      j.status === 'failed' && j.detail.headers && !j.detail.rerunAs && canChange ? (
        jobs.isHeld(j.id) ? (
          <MappingForm j={j} csrfToken={csrfToken} profiles={listMappingProfiles(config.profileDir)} />
        ) : (
          <p class="body">
            The file is no longer kept on the server. <a href="/spend/uploads">Upload it again</a> to map its columns.
          </p>
        )
      ) : null
    return c.html(
      <Layout title={`Upload: ${j.fileName}`} user={user} csrfToken={csrfToken} current="/spend" refreshSeconds={inProgress(j) ? 2 : undefined}>
        <JobView j={j} canDownload={(UPLOADERS as readonly string[]).includes(user.role)} mapping={mapping} />
      </Layout>,
    )
  })

  app.post('/:id/mapping', requireRole(...UPLOADERS), async (c) => {
    const { user } = c.var.auth!
    const { store, config, jobs } = c.var.deps
    const j = await getSpendUploadJob(store.db, jobId(c.req.param('id')))
    if (!canRerun(user, j)) throw new HTTPException(403, { message: 'Only the person who uploaded this file (or an admin) can import it again.' })
    const headers = j.detail.headers
    if (j.status !== 'failed' || !headers || j.detail.rerunAs) throw new HTTPException(409, { message: 'This upload does not need a column mapping.' })
    const body = await c.req.parseBody()
    const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string).trim() : '')

    let profileToSave: MappingProfile | null = null
    let request: Omit<UploadRequest, 'file'>
    const savedName = text('profile')
    if (savedName) {
      if (!isProfileName(savedName) || !listMappingProfiles(config.profileDir).includes(savedName)) throw new HTTPException(400, { message: `There is no saved mapping called "${savedName}".` })
      const profile = await loadNamedProfile(savedName, config.profileDir)
      checkMappingAgainst(profile.mapping, headers)
      request = { actor: user.email, readOptions: readOptionsOf(profile), mapping: { profile: savedName, columns: stringColumns(profile.mapping) } }
    } else {
      const chosen: ColumnMapping = {}
      for (const field of MAPPED_FIELDS) {
        const column = text(`map.${field}`)
        if (column) chosen[field] = column
      }
      if (Object.keys(chosen).length === 0) throw new HTTPException(400, { message: 'Choose at least the date, merchant and amount columns.' })
      checkMappingAgainst(chosen, headers)
      let mapping: ColumnMapping
      try {
        mapping = validateMapping(chosen)
      } catch (error) {
        throw new HTTPException(400, { message: `${(error as Error).message.replace(/^spend-csv: read mapping: /, 'The mapping is incomplete: ')}.` })
      }
      const dateFormat = text('dateFormat')
      if (dateFormat && !(DATE_FORMATS as readonly string[]).includes(dateFormat)) throw new HTTPException(400, { message: `Date format: choose one of ${DATE_FORMATS.join(', ')}.` })
      const currency = text('currency').toUpperCase()
      if (currency && !/^[A-Z]{3}$/.test(currency)) throw new HTTPException(400, { message: 'Currency: enter a three-letter ISO code such as USD or EUR.' })
      const saveAs = text('saveAs')
      if (saveAs && !isProfileName(saveAs)) throw new HTTPException(400, { message: 'Save as: use letters, digits, dot, dash and underscore (up to 64).' })
      const readOptions: SpendReadOptions = { mapping, ...(dateFormat ? { dateFormat } : {}), ...(currency ? { currency } : {}) }
      if (saveAs) profileToSave = { name: saveAs, mapping, ...(dateFormat ? { dateFormat } : {}), ...(currency ? { currency } : {}) }
      request = { actor: user.email, readOptions, mapping: { ...(saveAs ? { profile: saveAs } : {}), columns: stringColumns(mapping) } }
    }
    if (!jobs.isHeld(j.id)) throw new HTTPException(409, { message: 'The file is no longer kept on the server; upload it again.' })
    if (profileToSave) saveMappingProfile(profileToSave, config.profileDir)
    const next = await jobs.rerun(j.id, request)
    if (next === null) throw new HTTPException(409, { message: 'The file is no longer kept on the server; upload it again.' })
    return c.redirect(`/spend/uploads/${next}`, 303)
  })

  app.get('/:id/rejects.csv', requireRole(...UPLOADERS), async (c) => {
    const rejects = await spendUploadRejects(c.var.deps.store.db, jobId(c.req.param('id')))
    if (!rejects) throw new HTTPException(404, { message: 'This upload rejected no rows.' })
    return csvResponse(c, `${rejects.fileName}.rejects.csv`, rejects.csv)
  })
  return app
}

function stringColumns(mapping: ColumnMapping): Record<string, string> {
  return Object.fromEntries(Object.entries(mapping).map(([f, ref]) => [f, String(ref)]))
}

/** The uploader may map and re-run their own file; an admin may re-run anyone's. */
function canRerun(user: { email: string; role: string }, j: SpendUploadJob): boolean {
  return user.role === 'admin' || (user.role === 'finance' && j.requestedBy === user.email)
}
