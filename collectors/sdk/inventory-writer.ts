import { sanctionIntegratedApp } from '../../data/apps.js'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../../data/database.js'
import { normalizeEmail } from '../../data/normalize.js'
import type BetterSqlite3 from 'better-sqlite3'
import { insertIgnoringConflicts } from '../../data/bulk.js'
import { hasRoster, upsertPeople } from '../../data/people.js'
import { beforeHorizonReason, signinPruneHorizon } from '../../data/retention.js'
import { AppResolution, type SignalResolver } from './app-resolution.js'
import type { Counts, PageWriter, RunInfo } from './contract.js'
import type {
  AccountRecord, GrantRecord, ObservedRecord, PersonRecord, SigninRecord, SoftwareRecord, SourceAppRecord, TelemetryRecord,
} from './records.js'

const BATCH = 500
const SIGNIN_COLUMNS = ['source', 'event_id', 'occurred_at', 'person_id', 'user_external_id', 'user_email', 'app_id', 'app_ref', 'result', 'ip', 'user_agent', 'country', 'scan_run_id']
const TELEMETRY_COLUMNS = ['device_id', 'event_id', 'person_id', 'user_email', 'domain', 'kind', 'occurred_at', 'received_at', 'app_id', 'scan_run_id', 'client_id', 'scopes']

/** How a rollup row adds to the one signin_daily already holds for its day × source × user × app. */
const DAILY_ON_CONFLICT = `
    on conflict (day, source, user_key, app_key) do update set
      successes = signin_daily.successes + excluded.successes,
      failures = signin_daily.failures + excluded.failures,
      person_id = coalesce(excluded.person_id, signin_daily.person_id),
      app_id = coalesce(excluded.app_id, signin_daily.app_id),
      first_at = case when excluded.first_at < signin_daily.first_at then excluded.first_at else signin_daily.first_at end,
      last_at = case when excluded.last_at > signin_daily.last_at then excluded.last_at else signin_daily.last_at end`

/** The set-based rollup (PostgreSQL) around its two parameters: after id, run id. */
const ROLLUP_PARTS = [
  `insert into signin_daily (day, source, user_key, app_key, person_id, app_id, successes, failures, first_at, last_at)
    select substr(occurred_at, 1, 10), source,
           coalesce(cast(person_id as text), user_email, user_external_id, '?'),
           coalesce(cast(app_id as text), app_ref, '?'),
           max(person_id), max(app_id),
           sum(case when result = 'success' then 1 else 0 end),
           sum(case when result = 'success' then 0 else 1 end),
           min(occurred_at), max(occurred_at)
    from signin_events
    where id >`,
  ` and scan_run_id = `,
  `
    group by substr(occurred_at, 1, 10), source,
             coalesce(cast(person_id as text), user_email, user_external_id, '?'),
             coalesce(cast(app_id as text), app_ref, '?')${DAILY_ON_CONFLICT}`,
] as const
/** One day × source × user × app, added to what signin_daily holds (SQLite, rolled up in memory). */
function dailyUpsertSql(rows: number): string {
  const values = Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')
  return `insert into signin_daily (day, source, user_key, app_key, person_id, app_id, successes, failures, first_at, last_at)
    values ${values}${DAILY_ON_CONFLICT}`
}
/** Rollup keys a deferred writer holds before writing them anyway (~300 bytes each: memory stays flat). */
const DEFERRED_ROLLUP_LIMIT = 20_000
/** Rollup rows per upsert statement: fewer calls into SQLite, each key at most once per statement. */
const DAILY_ROWS_PER_STATEMENT = 50

interface DailyRollup {
  day: string
  source: string
  userKey: string
  appKey: string
  personId: number | null
  appId: number | null
  successes: number
  failures: number
  firstAt: string
  lastAt: string
}

function inc(counts: Counts, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by
}

/**
 * The standard writer for collectors that report people, IdP apps, accounts, grants, sign-ins and telemetry.
 * Identities are keyed by the source's immutable ids; people by normalised email.
 */
export class InventoryWriter {
  readonly apps: AppResolution
  private readonly personByEmail = new Map<string, number>()
  private readonly personByIdentity = new Map<string, number | null>()
  private readonly loadedSources = new Set<string>()
  private readonly daily = new Map<string, DailyRollup>()
  private peopleLoaded = false
  private rosterExists: boolean | null = null
  private readonly sourceApps = new Map<string, number | null>()
  private now: () => string = () => new Date().toISOString()
  private readonly statements = new Map<string, BetterSqlite3.Statement>()

  private readonly deferred: boolean
  /** The sign-in prune horizon, read once per writer (undefined: not read yet; null: never pruned). */
  private signinHorizon: string | null | undefined
  /** Records read and deliberately left out, by reason, for the import summary. */
  readonly skippedBy: Record<string, number> = {}

  /**
   * `sqlite`: the raw handle of a SQLite store, for the bulk event inserts (see insertIgnoringConflicts).
   * `deferred`: the run is one transaction (file imports), so the daily rollup and identifier counts may wait
   * for `finish` instead of being written after every page — a sign-in log repeats the same person × app × day
   * on many pages. The caller must then call `finish` before the transaction commits.
   */
  constructor(resolver: SignalResolver, private readonly sqlite: BetterSqlite3.Database | null = null, options: { deferred?: boolean } = {}) {
    this.apps = new AppResolution(resolver, () => this.now())
    this.deferred = options.deferred === true
  }

  /** Writes what a deferred writer held back; a no-op otherwise. */
  async finish(tx: Kysely<Database>): Promise<void> {
    if (this.daily.size > 0) this.flushDailySqlite()
    await this.apps.flush(tx)
  }

  /** A PageWriter for the runner. */
  readonly write: PageWriter<ObservedRecord> = async (tx, _kind, items, run) => {
    this.now = run.now
    const counts: Counts = {}
    // People first, so accounts and grants in the same page find them.
    const people = items.filter((i): i is PersonRecord => i.type === 'person')
    if (people.length > 0) await this.writePeople(tx, people, run, counts)
    const signins: SigninRecord[] = []
    const telemetry: TelemetryRecord[] = []
    for (const item of items) {
      switch (item.type) {
        case 'person':
          break
        case 'source-app':
          await this.writeSourceApp(tx, item, run, counts)
          break
        case 'account':
          await this.writeAccount(tx, item, run, counts)
          break
        case 'grant':
          await this.writeGrant(tx, item, run, counts)
          break
        case 'signin':
          signins.push(item)
          break
        case 'telemetry':
          telemetry.push(item)
          break
        case 'software':
          await this.writeSoftware(tx, item, run, counts)
          break
      }
    }
    if (signins.length > 0) await this.writeSignins(tx, signins, run, counts)
    if (telemetry.length > 0) await this.writeTelemetry(tx, telemetry, run, counts)
    if (!this.deferred) await this.apps.flush(tx)
    return counts
  }

  /**
   * The person an identity or email belongs to. The first call per source loads that source's linked identities
   * and every person's email once (a few thousand rows even for large companies): a sign-in export repeats the
   * same users hundreds of thousands of times, and users the store does not know must not cost a query per event.
   * People written later in the run update the same maps.
   */
  private async personId(db: Kysely<Database>, source: string, externalId: string | null | undefined, email: string | null | undefined): Promise<number | null> {
    if (!this.loadedSources.has(source)) await this.loadPeople(db, source)
    return this.knownPersonId(source, externalId, normalizeEmail(email))
  }

  private knownPersonId(source: string, externalId: string | null | undefined, normalized: string | null): number | null {
    if (externalId) {
      const key = `${source}\u0000${externalId}`
      if (this.personByIdentity.has(key)) return this.personByIdentity.get(key) ?? null
    }
    if (!normalized) return null
    return this.personByEmail.get(normalized) ?? null
  }

  private async loadPeople(db: Kysely<Database>, source: string): Promise<void> {
    if (!this.peopleLoaded) {
      for (const p of await db.selectFrom('people').select(['id', 'email']).execute()) {
        if (!this.personByEmail.has(p.email)) this.personByEmail.set(p.email, p.id)
      }
      this.peopleLoaded = true
    }
    const identities = await db.selectFrom('person_identities').select(['external_id', 'person_id']).where('source', '=', source).where('person_id', 'is not', null).execute()
    for (const i of identities) {
      const key = `${source}\u0000${i.external_id}`
      if (!this.personByIdentity.has(key)) this.personByIdentity.set(key, i.person_id)
    }
    this.loadedSources.add(source)
  }

  private async writePeople(db: Kysely<Database>, records: readonly PersonRecord[], run: RunInfo, counts: Counts): Promise<void> {
    const at = run.now()
    const authoritative = records.filter((p) => p.authoritative === true)
    const other = records.filter((p) => p.authoritative !== true)
    const ids = new Map<string, number>()
    // Once an HR roster exists, it alone makes people: a directory user it does not list stays an identity.
    if (other.length > 0 && this.rosterExists === null) this.rosterExists = await hasRoster(db)
    for (const [group, isAuthoritative] of [[authoritative, true], [other, false]] as const) {
      const fields = group.flatMap((p) => {
        const email = normalizeEmail(p.email)
        if (!email) return []
        return [{
          email,
          name: p.name, given_name: p.givenName, family_name: p.familyName, employee_number: p.employeeNumber,
          department: p.department, title: p.title, manager_email: normalizeEmail(p.managerEmail) ?? undefined,
          location: p.location, employment_type: p.employmentType, status: p.status, start_date: p.startDate, end_date: p.endDate,
        }]
      })
      const outcomes = await upsertPeople(db, fields, { source: run.source, authoritative: isAuthoritative, now: at, insertNew: isAuthoritative || this.rosterExists !== true })
      for (const [email, { id, outcome }] of outcomes) {
        ids.set(email, id)
        this.personByEmail.set(email, id)
        inc(counts, `person.${outcome}`)
      }
    }
    const rows = records.map((p) => {
      const email = normalizeEmail(p.email)
      if (!email) inc(counts, 'person.without-email')
      const personId = email ? ids.get(email) ?? null : null
      if (email && personId === null) inc(counts, 'person.unmatched')
      this.personByIdentity.set(`${run.source}\u0000${p.externalId}`, personId)
      return {
        source: run.source, external_id: p.externalId, person_id: personId, email, display_name: p.name ?? null,
        status: p.status, attributes: JSON.stringify(p.sourceStatus ? { ...p.attributes, sourceStatus: p.sourceStatus } : p.attributes ?? {}), first_seen_at: at, last_seen_at: at,
        last_scan_run_id: run.runId, gone_at: null,
      }
    })
    // One row per identity per statement: ON CONFLICT cannot touch the same row twice in one insert.
    const unique = [...new Map(rows.map((r) => [r.external_id, r])).values()]
    for (let i = 0; i < unique.length; i += BATCH) {
      await db
        .insertInto('person_identities')
        .values(unique.slice(i, i + BATCH))
        .onConflict((oc) =>
          oc.columns(['source', 'external_id']).doUpdateSet((eb) => ({
            person_id: eb.ref('excluded.person_id'), email: eb.ref('excluded.email'), display_name: eb.ref('excluded.display_name'),
            status: eb.ref('excluded.status'), attributes: eb.ref('excluded.attributes'), last_seen_at: eb.ref('excluded.last_seen_at'),
            last_scan_run_id: eb.ref('excluded.last_scan_run_id'), gone_at: null,
          })),
        )
        .execute()
    }
  }

  private async writeSourceApp(db: Kysely<Database>, a: SourceAppRecord, run: RunInfo, counts: Counts): Promise<void> {
    const at = run.now()
    const signals = a.signals.length > 0 ? a.signals : [{ kind: 'sso_app' as const, value: a.label }]
    const resolved = await this.apps.resolve(db, signals, true)
    const appId = resolved?.appId ?? null
    await db
      .insertInto('source_apps')
      .values({
        source: run.source, external_id: a.externalId, app_id: appId, label: a.label, status: a.status,
        sign_on_mode: a.signOnMode ?? null, attributes: JSON.stringify(a.attributes ?? {}), first_seen_at: at, last_seen_at: at,
        last_scan_run_id: run.runId, gone_at: null,
      })
      .onConflict((oc) =>
        oc.columns(['source', 'external_id']).doUpdateSet({
          app_id: appId, label: a.label, status: a.status, sign_on_mode: a.signOnMode ?? null,
          attributes: JSON.stringify(a.attributes ?? {}), last_seen_at: at, last_scan_run_id: run.runId, gone_at: null,
        }),
      )
      .execute()
    this.sourceApps.set(a.externalId, appId)
    if (appId !== null && a.integrated && a.status === 'active') {
      // Integrated with the IdP means IT set it up; an admin's explicit verdict (blocked, unsanctioned) stays.
      inc(counts, 'app.sanctioned', (await sanctionIntegratedApp(db, appId, at)) ? 1 : 0)
    }
    inc(counts, appId === null ? 'app.unresolved' : 'app.written')
  }

  private async sourceAppId(db: Kysely<Database>, source: string, externalId: string): Promise<number | null> {
    if (this.sourceApps.has(externalId)) return this.sourceApps.get(externalId) ?? null
    const row = await db.selectFrom('source_apps').select('app_id').where('source', '=', source).where('external_id', '=', externalId).executeTakeFirst()
    this.sourceApps.set(externalId, row?.app_id ?? null)
    return row?.app_id ?? null
  }

  private async writeAccount(db: Kysely<Database>, a: AccountRecord, run: RunInfo, counts: Counts): Promise<void> {
    const at = run.now()
    const appId = 'sourceAppId' in a.app ? await this.sourceAppId(db, run.source, a.app.sourceAppId) : (await this.apps.resolve(db, a.app.signals, true))?.appId ?? null
    if (appId === null) {
      inc(counts, 'account.unresolved-app')
      return
    }
    const email = normalizeEmail(a.email)
    const personId = await this.personId(db, run.source, a.userExternalId, email)
    const firstSeen = a.createdAt ?? at
    const row = await db
      .insertInto('accounts')
      .values({
        app_id: appId, person_id: personId, source: run.source, external_id: a.externalId, email, username: a.username ?? null,
        status: a.status ?? null, licensed: a.licensed ? 1 : 0, first_seen_at: firstSeen, last_seen_at: at,
        last_activity_at: a.lastActivityAt ?? null, last_scan_run_id: run.runId, gone_at: null,
      })
      .onConflict((oc) =>
        oc.columns(['app_id', 'source', 'external_id']).doUpdateSet({
          person_id: personId, email, username: a.username ?? null, status: a.status ?? null, licensed: a.licensed ? 1 : 0,
          last_seen_at: at, last_activity_at: a.lastActivityAt ?? null, last_scan_run_id: run.runId, gone_at: null,
        }),
      )
      .returning('id')
      .executeTakeFirstOrThrow()
    inc(counts, 'account.written')
    for (const e of a.entitlements ?? []) {
      await db
        .insertInto('entitlements')
        .values({ account_id: row.id, kind: e.kind, name: e.name, first_seen_at: at, last_seen_at: at, last_scan_run_id: run.runId, gone_at: null })
        .onConflict((oc) => oc.columns(['account_id', 'kind', 'name']).doUpdateSet({ last_seen_at: at, last_scan_run_id: run.runId, gone_at: null }))
        .execute()
    }
  }

  private async writeGrant(db: Kysely<Database>, g: GrantRecord, run: RunInfo, counts: Counts): Promise<void> {
    const at = run.now()
    const resolved = await this.apps.resolve(db, g.signals, true)
    const email = normalizeEmail(g.email)
    const personId = await this.personId(db, run.source, g.userExternalId, email)
    const seen = g.grantedAt ?? at
    const scopes = JSON.stringify([...g.scopes].sort())
    await db
      .insertInto('grants')
      .values({
        source: run.source, identity_external_id: g.userExternalId, person_id: personId, user_email: email,
        app_id: resolved?.appId ?? null, client_id: g.clientId, client_name: g.clientName ?? null, scopes,
        risk: g.risk ?? null, native_app: g.nativeApp ? 1 : 0, consent_type: g.consentType ?? null,
        first_seen_at: seen, last_seen_at: g.revokedAt ?? at, revoked_at: g.revokedAt ?? null,
        last_scan_run_id: run.runId,
      })
      .onConflict((oc) =>
        oc.columns(['source', 'identity_external_id', 'client_id']).doUpdateSet({
          person_id: personId, user_email: email, app_id: resolved?.appId ?? null, client_name: g.clientName ?? null,
          scopes, risk: g.risk ?? null, native_app: g.nativeApp ? 1 : 0, consent_type: g.consentType ?? null,
          last_seen_at: g.revokedAt ?? at, revoked_at: g.revokedAt ?? null, last_scan_run_id: run.runId,
        }),
      )
      .execute()
    inc(counts, g.revokedAt ? 'grant.revoked' : 'grant.written')
  }

  private async writeSignins(db: Kysely<Database>, all: readonly SigninRecord[], run: RunInfo, counts: Counts): Promise<void> {
    if (!this.loadedSources.has(run.source)) await this.loadPeople(db, run.source)
    // Raw events before the prune horizon were expired after being rolled up: inserted again, they would count twice.
    if (this.signinHorizon === undefined) this.signinHorizon = await signinPruneHorizon(db)
    const horizon = this.signinHorizon
    const events = horizon === null ? all : all.filter((e) => e.occurredAt >= horizon)
    if (events.length < all.length) {
      const reason = beforeHorizonReason(horizon!)
      this.skippedBy[reason] = (this.skippedBy[reason] ?? 0) + all.length - events.length
      inc(counts, 'signin.before-prune-horizon', all.length - events.length)
      inc(counts, 'signin.read', all.length - events.length)
    }
    // PostgreSQL rolls up what this page inserted, by id; SQLite counts new rows as it inserts them.
    const before = this.sqlite ? 0 : await this.maxSigninId(db)
    const width = SIGNIN_COLUMNS.length
    // Positional values, row after row in SIGNIN_COLUMNS order: the SQLite bulk path binds them as they are.
    const values = new Array<string | number | null>(events.length * width)
    let k = 0
    for (const e of events) {
      let appId: number | null = null
      if (e.app.sourceAppId) appId = this.sourceApps.has(e.app.sourceAppId) ? this.sourceApps.get(e.app.sourceAppId) ?? null : await this.sourceAppId(db, run.source, e.app.sourceAppId)
      if (appId === null) {
        const cached = this.apps.resolveCached(e.app.signals, true)
        appId = (cached === undefined ? await this.apps.resolve(db, e.app.signals, true) : cached)?.appId ?? null
      }
      const email = normalizeEmail(e.email)
      values[k++] = run.source
      values[k++] = e.eventId
      values[k++] = e.occurredAt
      values[k++] = this.knownPersonId(run.source, e.userExternalId, email)
      values[k++] = e.userExternalId ?? null
      values[k++] = email
      values[k++] = appId
      values[k++] = e.app.ref
      values[k++] = e.result
      values[k++] = e.ip ?? null
      values[k++] = e.userAgent ?? null
      values[k++] = e.country ?? null
      values[k++] = run.runId
    }
    let inserted = 0
    if (this.sqlite) {
      inserted = this.insertSigninsSqlite(values)
    } else {
      const rows: Record<string, string | number | null>[] = []
      for (let i = 0; i < values.length; i += width) {
        const row: Record<string, string | number | null> = {}
        for (let j = 0; j < width; j++) row[SIGNIN_COLUMNS[j] as string] = values[i + j] as string | number | null
        rows.push(row)
      }
      inserted = await insertIgnoringConflicts(db, null, 'signin_events', SIGNIN_COLUMNS, ['source', 'event_id'], rows)
    }
    inc(counts, 'signin.read', events.length)
    inc(counts, 'signin.imported', inserted)
    inc(counts, 'signin.duplicates', events.length - inserted)
    if (inserted === 0) return
    if (!this.sqlite) await rollUpSignins(db, { runId: run.runId, afterId: before })
    else if (!this.deferred || this.daily.size >= DEFERRED_ROLLUP_LIMIT) this.flushDailySqlite()
  }

  /**
   * SQLite: inserts the rows (positional, SIGNIN_COLUMNS order) and adds each one that was new (not a
   * duplicate) to the daily rollup in memory; reading the page back to group it cost more than the insert.
   */
  private insertSigninsSqlite(values: readonly (string | number | null)[]): number {
    const width = SIGNIN_COLUMNS.length
    // One row per statement: a multi-row insert needs a statement journal and measured no faster.
    const insert = this.sqliteStatement(
      'signin-insert',
      `insert into signin_events (${SIGNIN_COLUMNS.join(', ')}) values (${SIGNIN_COLUMNS.map(() => '?').join(', ')}) on conflict (source, event_id) do nothing`,
    )
    const row = new Array<string | number | null>(width)
    let inserted = 0
    for (let offset = 0; offset < values.length; offset += width) {
      for (let j = 0; j < width; j++) row[j] = values[offset + j] as string | number | null
      if (insert.run(row).changes === 0) continue
      inserted++
      this.addToDaily(values, offset)
    }
    return inserted
  }

  /** Counts one new sign-in (positional values at `offset`) in the in-memory daily rollup. */
  private addToDaily(values: readonly (string | number | null)[], offset: number): void {
    const source = values[offset] as string
    const at = values[offset + 2] as string
    const personId = values[offset + 3] as number | null
    const externalId = values[offset + 4] as string | null
    const email = values[offset + 5] as string | null
    const appId = values[offset + 6] as number | null
    const appRef = values[offset + 7] as string | null
    const success = values[offset + 8] === 'success' ? 1 : 0
    // The same keys as the SQL rollup: person id, else email, else the source's user id; app id, else the source's ref.
    const day = at.slice(0, 10)
    const userKey = personId !== null ? String(personId) : email ?? externalId ?? '?'
    const appKey = appId !== null ? String(appId) : appRef ?? '?'
    const key = `${day}\u0000${source}\u0000${userKey}\u0000${appKey}`
    const agg = this.daily.get(key)
    if (!agg) {
      this.daily.set(key, { day, source, userKey, appKey, personId, appId, successes: success, failures: 1 - success, firstAt: at, lastAt: at })
      return
    }
    agg.successes += success
    agg.failures += 1 - success
    if (at < agg.firstAt) agg.firstAt = at
    if (at > agg.lastAt) agg.lastAt = at
  }

  /** Adds the rollups gathered in memory to signin_daily, in the transaction that inserted their events. */
  private flushDailySqlite(): void {
    const many = this.sqliteStatement('signin-daily-upsert-many', dailyUpsertSql(DAILY_ROWS_PER_STATEMENT))
    const params: (string | number | null)[] = []
    let rows = 0
    for (const d of this.daily.values()) {
      params.push(d.day, d.source, d.userKey, d.appKey, d.personId, d.appId, d.successes, d.failures, d.firstAt, d.lastAt)
      if (++rows === DAILY_ROWS_PER_STATEMENT) {
        many.run(params)
        params.length = 0
        rows = 0
      }
    }
    if (rows > 0) this.sqliteStatement(`signin-daily-upsert-${rows}`, dailyUpsertSql(rows)).run(params)
    this.daily.clear()
  }

  /** The highest sign-in id so far (PostgreSQL's rollup starts after it). */
  private async maxSigninId(db: Kysely<Database>): Promise<number> {
    const row = await db.selectFrom('signin_events').select(sql<number>`coalesce(max(id), 0)`.as('max')).executeTakeFirstOrThrow()
    return Number(row.max)
  }

  private sqliteStatement(key: string, text: string): BetterSqlite3.Statement {
    let statement = this.statements.get(key)
    if (!statement) this.statements.set(key, (statement = this.sqlite!.prepare(text)))
    return statement
  }

  private async writeTelemetry(db: Kysely<Database>, events: readonly TelemetryRecord[], run: RunInfo, counts: Counts): Promise<void> {
    const rows = []
    for (const e of events) {
      const createCandidate = e.kind !== 'visit'
      // A consent screen names its app by client id first; the redirect's domain is the fallback.
      const signals = e.clientId ? [{ kind: 'oauth_client' as const, value: e.clientId }, { kind: 'domain' as const, value: e.domain }] : [{ kind: 'domain' as const, value: e.domain }]
      const cached = this.apps.resolveCached(signals, createCandidate)
      const appId = (cached === undefined ? await this.apps.resolve(db, signals, createCandidate) : cached)?.appId ?? null
      const email = normalizeEmail(e.email)
      rows.push({
        device_id: e.deviceId, event_id: e.eventId, person_id: await this.personId(db, run.source, null, email), user_email: email,
        domain: e.domain.toLowerCase(), kind: e.kind, occurred_at: e.occurredAt, received_at: run.now(), app_id: appId, scan_run_id: run.runId,
        client_id: e.clientId ?? null, scopes: e.scopes ? e.scopes.join(' ') : null,
      })
    }
    const inserted = await insertIgnoringConflicts(db, this.sqlite, 'telemetry_events', TELEMETRY_COLUMNS, ['device_id', 'event_id'], rows)
    inc(counts, 'telemetry.read', events.length)
    inc(counts, 'telemetry.imported', inserted)
    inc(counts, 'telemetry.duplicates', events.length - inserted)
  }

  /** Software on a device, one row per source × device × profile × item; seen again, its last-seen time moves on. */
  private async writeSoftware(db: Kysely<Database>, s: SoftwareRecord, run: RunInfo, counts: Counts): Promise<void> {
    const at = s.seenAt ?? run.now()
    const candidate = s.candidate !== false
    const cached = this.apps.resolveCached(s.signals, candidate)
    const appId = (cached === undefined ? await this.apps.resolve(db, s.signals, candidate) : cached)?.appId ?? null
    const email = normalizeEmail(s.email)
    const personId = email ? await this.personId(db, run.source, null, email) : null
    const permissions = JSON.stringify([...new Set(s.permissions ?? [])].sort())
    const enabled = s.enabled == null ? null : s.enabled ? 1 : 0
    const changes = {
      name: s.name ?? null, version: s.version ?? null, publisher: s.publisher ?? null, permissions, install_type: s.installType ?? null,
      enabled, person_id: personId, user_email: email, app_id: appId, last_seen_at: at, last_scan_run_id: run.runId, gone_at: null,
    }
    await db
      .insertInto('device_software')
      .values({ source: run.source, device_id: s.deviceId, user_key: email ?? '', kind: s.kind, item_id: s.itemId, first_seen_at: at, ...changes })
      .onConflict((oc) => oc.columns(['source', 'device_id', 'user_key', 'kind', 'item_id']).doUpdateSet(changes))
      .execute()
    inc(counts, 'software.written')
    if (appId === null) inc(counts, 'software.unresolved')
  }
}

/**
 * Adds the sign-ins inserted since `afterId` by this run to the daily rollup, set-based. Only newly inserted
 * rows are counted, so a re-imported event (a duplicate) never counts twice.
 */
export async function rollUpSignins(db: Kysely<Database>, options: { runId: number; afterId: number }): Promise<void> {
  await sql`${sql.raw(ROLLUP_PARTS[0])}${options.afterId}${sql.raw(ROLLUP_PARTS[1])}${options.runId}${sql.raw(ROLLUP_PARTS[2])}`.execute(db)
}
