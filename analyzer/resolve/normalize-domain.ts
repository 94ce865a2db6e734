import { domainToASCII } from 'node:url'
import { TWO_LABEL_SUFFIXES } from './vocabulary.js'

export interface DomainParts {
  /** lower-case ASCII (punycode) host without `www.`, port or trailing dot; '' when not a host */
  host: string
  /** lower-case path without query or fragment, '' for none */
  path: string
}

/** Accepts a host, a URL (with or without scheme, port, path) or an email address. */
export function parseDomain(raw: string): DomainParts {
  let s = raw.trim().toLowerCase()
  s = s.replace(/^mailto:/, '')
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//.exec(s)
  if (scheme) s = s.slice(scheme[0].length)
  const cut = s.search(/[/?#]/)
  let host = cut === -1 ? s : s.slice(0, cut)
  let path = cut === -1 ? '' : s.slice(cut)
  // an email (or URL userinfo): the host is what follows the last @
  const at = host.lastIndexOf('@')
  if (at !== -1) host = host.slice(at + 1)
  host = host.replace(/:\d+$/, '').replace(/\.+$/, '')
  path = path.replace(/[?#].*$/, '').replace(/\/+$/, '')
  if (path !== '' && !path.startsWith('/')) path = ''
  const ascii = host === '' ? '' : domainToASCII(host)
  if (ascii === '' || !ascii.includes('.') || !/^[a-z0-9.-]+$/.test(ascii)) return { host: '', path: '' }
  return { host: ascii.replace(/^www\d?\./, ''), path }
}

/** `https://WWW.Notion.so/acme?x=1` → `notion.so`; `Ana@Acme.COM` → `acme.com`; IDN → punycode. */
export function normalizeDomain(raw: string): string {
  return parseDomain(raw).host
}

/** The part a company registers: `acme.notion.site` → `notion.site`, `shop.acme.co.uk` → `acme.co.uk`. */
export function registrableDomain(host: string): string {
  const labels = host.split('.')
  if (labels.length <= 2) return host
  const lastTwo = labels.slice(-2).join('.')
  return TWO_LABEL_SUFFIXES.has(lastTwo) ? labels.slice(-3).join('.') : lastTwo
}

/** True when a free-text value is plainly a host, URL or email rather than a name. */
export function looksLikeDomain(raw: string): boolean {
  const s = raw.trim()
  if (/\s/.test(s)) return false
  return /^(https?:\/\/)?([^@\s]+@)?[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,24}(:\d+)?([/?#].*)?$/i.test(s)
}
