/** The `rel="next"` target of an RFC 8288 Link header, as Okta pages with it; null on the last page. */
export function nextLink(header: string | null): string | null {
  if (!header) return null
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>\s*(.*)$/.exec(part)
    if (!match) continue
    const params = match[2] ?? ''
    if (/(^|;)\s*rel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?\s*(;|$)/i.test(params)) return match[1] ?? null
  }
  return null
}
