import type { AppSignal } from '../sdk/records.js'

/** A row value that cannot be read; `field` is the sign-in field, the caller adds file and line. */
export class SigninValueError extends Error {
  override readonly name = 'SigninValueError'
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`field ${field}: ${reason}`)
  }
}

const SUCCESS = /^(success|succeeded|successful|ok|allow|allowed|pass|passed|permit|permitted|accepted|true|yes|1|200|login|signin|sign-in)$/
const FAILURE = /^(fail|failed|failure|deny|denied|blocked|block|reject|rejected|error|false|no|0|401|403|invalid|locked)$/

/** No result column means the log lists sign-ins only (most SSO exports of "logins"). */
export function parseResult(value: string | undefined): 'success' | 'failure' {
  const v = (value ?? '').trim().toLowerCase()
  if (v === '' || SUCCESS.test(v)) return 'success'
  if (FAILURE.test(v)) return 'failure'
  throw new SigninValueError('result', `not a success or failure word: ${value}`)
}

/**
 * Reads ISO-8601 (offset or Z; none means UTC), `YYYY-MM-DD HH:MM:SS[.sss]` (UTC), and epoch seconds or
 * milliseconds, as SIEM exports write them. Ambiguous slashed dates are refused rather than guessed.
 */
export function parseTime(value: string | undefined): string {
  const v = (value ?? '').trim()
  if (v === '') throw new SigninValueError('time', 'missing')
  let ms: number
  if (/^\d{9,13}(\.\d+)?$/.test(v)) {
    const n = Number(v)
    ms = v.split('.')[0]!.length >= 12 ? n : n * 1000
  } else {
    const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2}|UTC)?$/i.exec(v)
    if (!m) throw new SigninValueError('time', `not an ISO-8601 time or epoch: ${v}`)
    const zone = !m[8] || /^(z|utc)$/i.test(m[8]) ? 'Z' : m[8].length === 5 ? `${m[8].slice(0, 3)}:${m[8].slice(3)}` : m[8]
    ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}${(m[7] ?? '').slice(0, 4)}${zone}`)
  }
  if (!Number.isFinite(ms)) throw new SigninValueError('time', `not a valid time: ${v}`)
  return new Date(ms).toISOString()
}

/** A URL or host name is a domain signal; anything else is an app name, as SSO logs label apps. */
export function appSignals(value: string): AppSignal[] {
  const v = value.trim()
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(v)) {
    try {
      return [{ kind: 'domain', value: new URL(v).hostname.toLowerCase() }]
    } catch {
      return [{ kind: 'sso_app', value: v }]
    }
  }
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?(\/.*)?$/i.test(v) && /[a-z]/i.test(v.split('.').pop() ?? '')) {
    return [{ kind: 'domain', value: v.replace(/[:/].*$/, '').toLowerCase() }]
  }
  return [{ kind: 'sso_app', value: v }, { kind: 'name', value: v }]
}
