// Reports that quote raw rows (card numbers' last digits, names, amounts) are created for the user alone.
import { constants, lstatSync, openSync, unlinkSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'

/** The most `<name>-N.rejects.csv` alternatives tried when the plain name is taken by something not ours. */
const MAX_ALTERNATIVES = 50

/**
 * Where `<input>.rejects.csv` goes: the directory the user named, else next to the input (not a shared temp
 * directory, where any user could read it or plant a link).
 */
export function reportPathFor(input: string, suffix: string, dir?: string): string {
  return join(dir ?? dirname(input), `${basename(input)}${suffix}`)
}

function openExclusive(path: string): number {
  // O_EXCL fails on any existing name, a symlink included (dangling or not); O_NOFOLLOW says the same again.
  return openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600)
}

/** A regular file of ours from an earlier run may be replaced; a link, a directory or another user's file may not. */
function isOurOldReport(path: string): boolean {
  try {
    const st = lstatSync(path)
    return st.isFile() && st.nlink === 1 && (typeof process.getuid !== 'function' || st.uid === process.getuid())
  } catch {
    return false
  }
}

/**
 * Creates a report file exclusively with mode 0600 and returns its descriptor and path. An old report of ours at
 * that name is replaced; anything else there (a planted symlink, a hard link, someone else's file) is left alone
 * and the report goes to `<name>-2<suffix>`, `-3`, …
 */
export function createPrivateReport(path: string, suffix: string): { fd: number; path: string } {
  const stem = path.endsWith(suffix) ? path.slice(0, -suffix.length) : path
  for (let n = 1; n <= MAX_ALTERNATIVES; n++) {
    const candidate = n === 1 ? path : `${stem}-${n}${suffix}`
    try {
      return { fd: openExclusive(candidate), path: candidate }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'EEXIST' && code !== 'ELOOP') throw new Error(`write report ${candidate}: ${(error as Error).message} (name another place with --rejects-dir)`, { cause: error })
    }
    if (isOurOldReport(candidate)) {
      unlinkSync(candidate)
      try {
        return { fd: openExclusive(candidate), path: candidate }
      } catch {
        // Someone put something there between the unlink and the open: try the next name.
      }
    }
  }
  throw new Error(`write report ${path}: ${MAX_ALTERNATIVES} names taken; name another place with --rejects-dir`)
}
