import type { Child, FC } from 'hono/jsx'

/** A status word as a tag; the modifier class only colours it (the word carries the meaning). */
export const Tag: FC<{ value: string | null | undefined }> = ({ value }) =>
  value ? <span class={`tag tag--${value.replace(/[^a-z0-9-]/gi, '').toLowerCase()}`}>{value}</span> : <span>—</span>

/** Builds a URL for the same page with some query parameters changed (empty values dropped). */
export function withQuery(path: string, current: Record<string, string | undefined>, changes: Record<string, string | number | undefined | null>): string {
  const params = new URLSearchParams()
  const merged: Record<string, string | number | undefined | null> = { ...current, ...changes }
  for (const [k, v] of Object.entries(merged)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v))
  const qs = params.toString()
  return qs ? `${path}?${qs}` : path
}

export const Pagination: FC<{ path: string; query: Record<string, string | undefined>; page: number; pages: number; total: number; noun: string }> = ({
  path,
  query,
  page,
  pages,
  total,
  noun,
}) => (
  <nav aria-label="Pages">
    <ul class="pagination">
      {page > 1 ? (
        <li>
          <a href={withQuery(path, query, { page: page - 1 })} rel="prev">
            Previous<span class="visually-hidden"> page</span>
          </a>
        </li>
      ) : null}
      <li>
        Page {page} of {pages} ({total.toLocaleString('en-US')} {noun})
      </li>
      {page < pages ? (
        <li>
          <a href={withQuery(path, query, { page: page + 1 })} rel="next">
            Next<span class="visually-hidden"> page</span>
          </a>
        </li>
      ) : null}
    </ul>
  </nav>
)

export const SelectField: FC<{ id: string; label: string; value?: string; options: readonly (string | { value: string; label: string })[]; any?: string }> = ({
  id,
  label,
  value,
  options,
  any,
}) => (
  <div class="form-group">
    <label class="label" for={id}>
      {label}
    </label>
    <select class="select" id={id} name={id}>
      {any !== undefined ? <option value="">{any}</option> : null}
      {options.map((o) => {
        const v = typeof o === 'string' ? o : o.value
        return (
          <option value={v} selected={v === value}>
            {typeof o === 'string' ? o : o.label}
          </option>
        )
      })}
    </select>
  </div>
)

/** A table column header that sorts by a key: a real link, with aria-sort on the current one. */
export const SortHeader: FC<{ path: string; query: Record<string, string | undefined>; sortKey: string; label: string; num?: boolean; defaultDir?: 'asc' | 'desc' }> = ({
  path,
  query,
  sortKey,
  label,
  num,
  defaultDir = 'asc',
}) => {
  const active = query.sort === sortKey
  const dir = active ? (query.dir === 'desc' ? 'desc' : 'asc') : undefined
  const next = active ? (dir === 'asc' ? 'desc' : 'asc') : defaultDir
  return (
    <th scope="col" class={num ? 'num' : undefined} aria-sort={dir === 'asc' ? 'ascending' : dir === 'desc' ? 'descending' : undefined}>
      <a href={withQuery(path, query, { sort: sortKey, dir: next, page: undefined })}>
        {label}
        {dir ? <span aria-hidden="true">{dir === 'asc' ? ' ▲' : ' ▼'}</span> : null}
      </a>
    </th>
  )
}

export const Section: FC<{ id: string; title: string; children?: Child }> = ({ id, title, children }) => (
  <section aria-labelledby={id}>
    <h2 class="heading-m" id={id}>
      {title}
    </h2>
    {children}
  </section>
)

/** Reads one query parameter as a string, trimmed, bounded. */
export function queryString(value: string | undefined, max = 200): string | undefined {
  if (value === undefined) return undefined
  const v = value.trim().slice(0, max)
  return v === '' ? undefined : v
}

/** A positive page number from the query; anything else is page 1. */
export function pageNumber(value: string | undefined): number {
  const n = Number(value)
  return Number.isSafeInteger(n) && n >= 1 && n <= 1_000_000 ? n : 1
}
