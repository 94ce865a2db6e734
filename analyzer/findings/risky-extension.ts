import { sql } from 'kysely'
import type { Severity } from '../../data/tables/findings.table.js'
import type { FindingModule } from './types.js'

/** Host permissions that let an extension read and change every site the user opens. */
export const BROAD_HOST_PERMISSIONS = new Set(['<all_urls>', '*://*/*', 'http://*/*', 'https://*/*', 'file:///*'])
/**
 * API permissions that reach session cookies, traffic, the clipboard, or outside the browser (Chrome's permission
 * warnings: "Read and change all your data…", "Read data you copy and paste", "Communicate with cooperating native applications").
 */
export const SENSITIVE_API_PERMISSIONS = new Set(['cookies', 'webRequest', 'webRequestBlocking', 'clipboardRead', 'debugger', 'proxy', 'nativeMessaging', 'history', 'desktopCapture', 'tabCapture', 'management'])

/**
 * Browser extensions holding broad host access or sensitive APIs whose app (publisher) IT has not sanctioned. One
 * finding per extension, across every device and source that reported it (permissions are the union of what each saw).
 */
export const riskyExtensions: FindingModule = {
  kind: 'risky-extension',
  description: 'Browser extensions with broad host access or sensitive permissions from publishers IT has not sanctioned.',
  async detect(db) {
    const rows = await sql<{
      kind: string; item_id: string; name: string | null; publisher: string | null; permissions: string; device_id: string; user_email: string | null
      source: string; app_id: number | null; app_key: string | null; app_name: string | null; app_status: string | null
    }>`
      select s.kind, s.item_id, s.name, s.publisher, s.permissions, s.device_id, s.user_email, s.source, s.app_id,
             coalesce(a.catalog_key, 'candidate:' || a.candidate_key) as app_key, a.name as app_name, a.status as app_status
      from device_software s
      left join apps a on a.id = s.app_id
      where s.kind in ('chrome_extension', 'firefox_addon') and s.gone_at is null
      order by s.kind, s.item_id, s.device_id, s.source
    `.execute(db)
    const byItem = new Map<string, typeof rows.rows>()
    for (const r of rows.rows) byItem.set(`${r.kind}:${r.item_id}`, [...(byItem.get(`${r.kind}:${r.item_id}`) ?? []), r])
    const out = []
    for (const [key, group] of byItem) {
      const first = group[0]!
      const status = group.find((g) => g.app_status)?.app_status ?? null
      if (status === 'sanctioned') continue
      const permissions = [...new Set(group.flatMap((g) => JSON.parse(g.permissions) as string[]))].sort()
      const broad = permissions.filter((p) => BROAD_HOST_PERMISSIONS.has(p))
      const sensitive = permissions.filter((p) => SENSITIVE_API_PERMISSIONS.has(p))
      if (broad.length === 0 && sensitive.length === 0) continue
      const severity: Severity = status === 'blocked' ? 'critical' : broad.length > 0 && sensitive.length > 0 ? 'high' : 'medium'
      const devices = [...new Set(group.map((g) => g.device_id))].sort()
      const users = [...new Set(group.map((g) => g.user_email).filter((u): u is string => !!u))].sort()
      const name = group.find((g) => g.name)?.name ?? first.item_id
      const app = group.find((g) => g.app_key)
      out.push({
        kind: 'risky-extension' as const,
        subjectKey: `extension:${key}`,
        subjectType: 'app' as const,
        subjectId: app?.app_id ?? null,
        severity,
        score: (severity === 'critical' ? 100 : severity === 'high' ? 60 : 30) + Math.min(devices.length, 40),
        title: `${name} can ${broad.length > 0 ? 'read and change every site' : `use ${sensitive.join(', ')}`} on ${devices.length} device(s)`,
        evidence: {
          extensionId: first.item_id,
          browser: first.kind === 'chrome_extension' ? 'chrome' : 'firefox',
          name,
          publisher: group.find((g) => g.publisher)?.publisher ?? null,
          app: app ? { key: app.app_key, name: app.app_name, status } : null,
          broadHostPermissions: broad,
          sensitivePermissions: sensitive,
          permissions,
          devices: devices.slice(0, 50),
          deviceCount: devices.length,
          users: users.slice(0, 50),
          sources: [...new Set(group.map((g) => g.source))].sort(),
        },
        recommendation:
          status === 'blocked'
            ? `Remove ${name}: its app is blocked. Add it to ExtensionInstallBlocklist.`
            : `Review ${name}; unless IT sanctions its publisher, remove it and add its id to ExtensionInstallBlocklist (or allow only listed extensions).`,
      })
    }
    return out
  },
}
