// Named mapping profiles on disk (`<dir>/<name>.json`): `--profile NAME` / `--save-profile NAME` and the web app.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadMappingProfile, parseMappingProfile } from './column-mapping.js'
import type { MappingProfile } from './types.js'

/** Letters, digits, `.`, `_`, `-`, up to 64: a name that is safe as a file name and never a path. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

export function isProfileName(name: string): boolean {
  return PROFILE_NAME.test(name)
}

/** The file a saved profile lives in; throws for a name that is not a profile name. */
export function profileFile(name: string, profileDir: string): string {
  if (!PROFILE_NAME.test(name)) throw new Error(`spend-csv: profile name "${name}": use letters, digits, . _ - (up to 64)`)
  return join(profileDir, `${name}.json`)
}

/** Validates and saves a named profile, replacing one of the same name; returns its path. */
export function saveMappingProfile(profile: MappingProfile, profileDir: string): string {
  const path = profileFile(profile.name, profileDir)
  const checked = parseMappingProfile(profile)
  mkdirSync(profileDir, { recursive: true })
  writeFileSync(path, `${JSON.stringify(checked, null, 2)}\n`)
  return path
}

/** A saved profile by name. */
export function loadNamedProfile(name: string, profileDir: string): Promise<MappingProfile> {
  return loadMappingProfile(profileFile(name, profileDir))
}

/** Names of the saved profiles, sorted; an absent directory has none. */
export function listMappingProfiles(profileDir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(profileDir)
  } catch {
    return []
  }
  return names
    .filter((n) => n.endsWith('.json'))
    .map((n) => n.slice(0, -'.json'.length))
    .filter((n) => PROFILE_NAME.test(n))
    .sort()
}
