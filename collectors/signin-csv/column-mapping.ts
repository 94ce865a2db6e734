/** The sign-in fields a neutral log can provide; `user`, `app` and `time` are required. */
export const SIGNIN_FIELDS = ['id', 'user', 'app', 'time', 'result', 'ip', 'userAgent', 'country'] as const
export type SigninField = (typeof SIGNIN_FIELDS)[number]
export const REQUIRED_FIELDS: readonly SigninField[] = ['user', 'app', 'time']

export type ColumnMapping = Partial<Record<SigninField, string>>

/** Lower-case, letters and digits only: "User Agent", "user_agent" and "userAgent" compare equal. */
export function normalizeHeader(header: string): string {
  return header.toLowerCase().replace(/[^a-z0-9]/g, '')
}

/**
 * Header names seen in SSO, proxy and firewall exports (OneLogin, JumpCloud, Duo, Zscaler, Palo Alto, Splunk),
 * normalised; the first one present wins, so specific names come before generic ones.
 */
export const FIELD_ALIASES: Readonly<Record<SigninField, readonly string[]>> = {
  id: ['eventid', 'uuid', 'id', 'logid', 'requestid', 'txnid', 'transactionid'],
  user: ['useremail', 'email', 'user', 'username', 'userprincipalname', 'upn', 'login', 'actoralternateid', 'actor', 'principal', 'srcuser', 'subject', 'account', 'userid'],
  app: ['app', 'application', 'appname', 'applicationname', 'service', 'servicename', 'targetapp', 'destination', 'desthost', 'dsthost', 'hostname', 'host', 'domain', 'url', 'target', 'resource'],
  time: ['time', 'timestamp', 'ts', 'eventtime', 'datetime', 'date', 'occurredat', 'createdat', 'published', 'loggedat', 'receivetime'],
  result: ['result', 'outcome', 'status', 'eventresult', 'action', 'success', 'loginresult', 'authresult'],
  ip: ['ip', 'ipaddress', 'clientip', 'srcip', 'sourceip', 'src', 'remoteaddr', 'clientipaddress', 'ipaddr'],
  userAgent: ['useragent', 'ua', 'httpuseragent', 'browser', 'client', 'clientuseragent'],
  country: ['country', 'geocountry', 'countrycode', 'srccountry', 'location'],
}

export class ColumnMappingError extends Error {
  override readonly name = 'ColumnMappingError'
}

/** Parses `--map user=Actor --map app="Application Name"` style arguments into a mapping object. */
export function parseColumnMapping(specs: readonly string[]): ColumnMapping {
  const mapping: ColumnMapping = {}
  for (const spec of specs) {
    const eq = spec.indexOf('=')
    const field = spec.slice(0, eq).trim() as SigninField
    const column = spec.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')
    if (eq < 1 || !column) throw new ColumnMappingError(`signin-csv: --map: expected field=column, got "${spec}"`)
    if (!SIGNIN_FIELDS.includes(field)) throw new ColumnMappingError(`signin-csv: --map: unknown field "${field}" (fields: ${SIGNIN_FIELDS.join(', ')})`)
    mapping[field] = column
  }
  return mapping
}

/**
 * Which column holds each field: the explicit mapping first (matched exactly, then by normalised name),
 * then the first alias present. Fails naming the columns it found when a required field has none.
 */
export function resolveColumns(headers: readonly string[], mapping: ColumnMapping = {}, file = 'file'): ColumnMapping {
  const byNormal = new Map<string, string>()
  for (const h of headers) if (!byNormal.has(normalizeHeader(h))) byNormal.set(normalizeHeader(h), h)
  const columns: ColumnMapping = {}
  const used = new Set<string>()
  for (const field of SIGNIN_FIELDS) {
    const wanted = mapping[field]
    if (wanted !== undefined) {
      const header = headers.includes(wanted) ? wanted : byNormal.get(normalizeHeader(wanted))
      if (!header) throw new ColumnMappingError(`signin-csv: ${file}: --map ${field}=${wanted}: no such column (columns: ${headers.join(', ')})`)
      columns[field] = header
      used.add(header)
    }
  }
  for (const field of SIGNIN_FIELDS) {
    if (columns[field]) continue
    const header = FIELD_ALIASES[field].map((a) => byNormal.get(a)).find((h) => h !== undefined && !used.has(h))
    if (header) {
      columns[field] = header
      used.add(header)
    }
  }
  const missing = REQUIRED_FIELDS.filter((f) => !columns[f])
  if (missing.length > 0) {
    throw new ColumnMappingError(
      `signin-csv: ${file}: no column for ${missing.join(', ')} (columns: ${headers.join(', ')}); name them with --map ${missing.map((f) => `${f}=<column>`).join(' ')}`,
    )
  }
  return columns
}
