// Size limits shared by every reader and every stored message (docs/limits-and-guarantees.md lists them).

/** Longest value quoted in an error message or a rejects report; the rest is counted, not copied. */
export const MAX_QUOTED_CHARS = 200
/** Longest error message stored on a run or printed: a vendor's or a file's text can be any length. */
export const MAX_MESSAGE_CHARS = 2_000

/** `value` cut to `max` characters, saying how many were left out. */
export function abbreviate(value: string, max: number = MAX_QUOTED_CHARS): string {
  if (value.length <= max) return value
  return `${value.slice(0, max)}… (${value.length - max} more characters)`
}
