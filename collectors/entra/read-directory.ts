import { readFile, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { ObservedRecord } from '../sdk/records.js'
import type { GraphAppRoleAssignment, GraphOAuth2PermissionGrant, GraphServicePrincipal, GraphUser } from './graph-types.js'
import { toAccountRecords, toGrantRecords, toPersonRecord, toSourceAppRecord, UNRESOLVED_CLIENT_PREFIX } from './map-records.js'
import { JsonDocumentError, jsonShapeOf, parseJsonDocument } from '../sdk/json-shape.js'

/** File names of a Graph directory dump (as the demo company and `az rest`/Graph Explorer saves write them). */
export const DIRECTORY_FILES = {
  users: 'users.json',
  servicePrincipals: 'servicePrincipals.json',
  assignments: 'appRoleAssignments.json',
  grants: 'oauth2PermissionGrants.json',
  organization: 'organization.json',
} as const

export class DirectoryFileError extends Error {
  override readonly name = 'DirectoryFileError'
}

export interface EntraDirectoryRecords {
  /** Which of the listings were read, hence which the import may treat as complete. */
  kinds: ('person' | 'app' | 'account' | 'grant')[]
  people: ObservedRecord[]
  /** Source apps followed by their accounts. */
  apps: ObservedRecord[]
  grants: ObservedRecord[]
  /** The service principals read, to resolve grants stored earlier under an object id (null: none in the dump). */
  servicePrincipals: GraphServicePrincipal[] | null
  /** Said once per import (not per row): grants kept by their client's object id, and why none was revoked. */
  warnings: string[]
  /** Grant objects and users read, for the summary. */
  read: { users: number; servicePrincipals: number; assignments: number; grants: number }
  errors: string[]
  tenantId: string | null
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isFile(),
    () => false,
  )
}

/** A Graph listing saved as one page, an array, pages one per line, or objects one per line. */
export async function readGraphList<T>(path: string): Promise<{ items: T[]; errors: string[] }> {
  const file = basename(path)
  let text: string
  try {
    text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '')
  } catch (cause) {
    throw new DirectoryFileError(`${file}: read: ${(cause as Error).message}`, { cause })
  }
  const isPage = (v: unknown): v is { value: T[] } => !!v && typeof v === 'object' && Array.isArray((v as { value?: unknown }).value)
  const unwrap = (value: unknown): T[] | null => {
    // An array of saved Graph pages is flattened; an array of objects is the listing itself.
    if (Array.isArray(value)) return value.flatMap((v) => (isPage(v) ? v.value : [v as T]))
    if (value && typeof value === 'object' && Array.isArray((value as { value?: unknown }).value)) return (value as { value: T[] }).value
    return null
  }
  if (jsonShapeOf(text) === 'document') {
    let parsed: unknown
    try {
      parsed = parseJsonDocument(text, file)
    } catch (error) {
      if (error instanceof JsonDocumentError) throw new DirectoryFileError(error.message, { cause: error })
      throw error
    }
    const whole = unwrap(parsed)
    if (!whole) throw new DirectoryFileError(`${file}: record 1: field value: not a Graph page ({"value":[…]}) or an array`)
    return { items: whole, errors: [] }
  }
  const items: T[] = []
  const errors: string[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (line === '') return
    try {
      const value = JSON.parse(line) as unknown
      const list = unwrap(value)
      if (list) items.push(...list)
      else if (value && typeof value === 'object') items.push(value as T)
      else errors.push(`${file}: line ${i + 1}: field record: not a JSON object`)
    } catch (error) {
      errors.push(`${file}: line ${i + 1}: field record: not valid JSON (${(error as Error).message})`)
    }
  })
  if (items.length === 0 && errors.length > 0) throw new DirectoryFileError(errors[0]!)
  return { items, errors }
}

function checkIds<T extends object>(items: T[], file: string, fields: readonly (keyof T & string)[], errors: string[]): T[] {
  return items.filter((item, i) => {
    const missing = fields.find((f) => typeof item[f] !== 'string' || (item[f] as string) === '')
    if (missing) errors.push(`${file}: record ${i + 1}: field ${missing}: missing`)
    return !missing
  })
}

/**
 * Reads a Graph dump: a directory holding the files of DIRECTORY_FILES, or a grants file with (when present) its
 * sibling servicePrincipals.json and the other siblings. Produces the records a live scan would; without the
 * service principals, grants are kept by their client's object id (see toGrantRecords).
 */
export async function readEntraDirectory(path: string, options: { tenantId?: string; only?: 'users' | 'grants' } = {}): Promise<EntraDirectoryRecords> {
  const info = await stat(path).catch((cause: Error) => {
    throw new DirectoryFileError(`${basename(path)}: read: ${cause.message}`, { cause })
  })
  const dir = info.isDirectory() ? path : dirname(path)
  const given = info.isDirectory() ? null : basename(path)
  const fileOf = (name: string) => join(dir, name)
  const errors: string[] = []
  const load = async <T extends object>(name: string, ids: readonly (keyof T & string)[]): Promise<T[] | null> => {
    const p = name === given ? path : fileOf(name)
    if (!(await exists(p))) return null
    const { items, errors: e } = await readGraphList<T>(p)
    errors.push(...e)
    return checkIds(items, name, ids, errors)
  }

  let users: GraphUser[] | null = null
  let sps: GraphServicePrincipal[] | null = null
  let assignments: GraphAppRoleAssignment[] | null = null
  let grants: GraphOAuth2PermissionGrant[] | null = null
  if (options.only === 'users') {
    users = await (given ? load<GraphUser>(given, ['id']) : load<GraphUser>(DIRECTORY_FILES.users, ['id']))
    if (!users) throw new DirectoryFileError(`${basename(path)}: no ${DIRECTORY_FILES.users} here`)
  } else if (given !== null) {
    // A grants file: its service principals, when beside it, name the clients and the APIs.
    grants = await load<GraphOAuth2PermissionGrant>(given, ['id', 'clientId', 'resourceId', 'consentType'])
    sps = await load<GraphServicePrincipal>(DIRECTORY_FILES.servicePrincipals, ['id', 'appId'])
  } else {
    users = await load<GraphUser>(DIRECTORY_FILES.users, ['id'])
    sps = await load<GraphServicePrincipal>(DIRECTORY_FILES.servicePrincipals, ['id', 'appId'])
    assignments = await load<GraphAppRoleAssignment>(DIRECTORY_FILES.assignments, ['id', 'principalId', 'resourceId', 'appRoleId'])
    grants = await load<GraphOAuth2PermissionGrant>(DIRECTORY_FILES.grants, ['id', 'clientId', 'resourceId', 'consentType'])
    if (!users && !sps && !grants) throw new DirectoryFileError(`${basename(path)}: none of ${Object.values(DIRECTORY_FILES).join(', ')} found`)
    if (assignments && !sps) throw new DirectoryFileError(`${basename(path)}: ${DIRECTORY_FILES.servicePrincipals} is needed to read ${DIRECTORY_FILES.assignments}`)
  }

  const org = options.only === 'users' ? null : await load<{ id: string }>(DIRECTORY_FILES.organization, ['id'])
  const tenantId = options.tenantId ?? org?.[0]?.id ?? null

  const kinds: EntraDirectoryRecords['kinds'] = []
  const people: ObservedRecord[] = []
  if (users) {
    kinds.push('person')
    users.forEach((u, i) => {
      try {
        people.push(toPersonRecord(u))
      } catch (error) {
        errors.push(`${DIRECTORY_FILES.users}: record ${i + 1}: ${(error as Error).message}`)
      }
    })
  }
  const apps: ObservedRecord[] = []
  if (sps && assignments) {
    kinds.push('app', 'account')
    const byResource = new Map<string, GraphAppRoleAssignment[]>()
    for (const a of assignments) byResource.set(a.resourceId, [...(byResource.get(a.resourceId) ?? []), a])
    for (const sp of sps) {
      const assigned = byResource.get(sp.id) ?? []
      const app = toSourceAppRecord(sp, assigned)
      if (!app) continue
      apps.push(app, ...toAccountRecords(sp, assigned))
    }
  }
  const grantRecords: ObservedRecord[] = []
  const warnings: string[] = []
  if (grants) {
    const byId = new Map((sps ?? []).map((s) => [s.id, s]))
    const records = toGrantRecords(grants, (id) => byId.get(id), tenantId)
    grantRecords.push(...records)
    const unresolved = new Set(records.filter((r) => r.clientId.startsWith(UNRESOLVED_CLIENT_PREFIX)).map((r) => r.clientId))
    if (!sps) {
      // Nothing to compare with grants stored under application ids: a listing, not a snapshot.
      warnings.push(
        `${given ?? DIRECTORY_FILES.grants}: no ${DIRECTORY_FILES.servicePrincipals} beside it: ${unresolved.size} client app(s) kept by their service-principal object id ` +
          `(${UNRESOLVED_CLIENT_PREFIX}<id>) and scopes by their bare names, no grant marked revoked; import ${DIRECTORY_FILES.servicePrincipals} later (alone or beside the grants) to name them`,
      )
    } else {
      kinds.push('grant')
      if (unresolved.size > 0) warnings.push(`${given ?? DIRECTORY_FILES.grants}: ${unresolved.size} client app(s) not in ${DIRECTORY_FILES.servicePrincipals}: kept by their service-principal object id (${UNRESOLVED_CLIENT_PREFIX}<id>)`)
    }
  }
  return {
    kinds,
    people,
    apps,
    grants: grantRecords,
    servicePrincipals: sps,
    warnings,
    read: { users: users?.length ?? 0, servicePrincipals: sps?.length ?? 0, assignments: assignments?.length ?? 0, grants: grants?.length ?? 0 },
    errors,
    tenantId,
  }
}
