import { CONTROLS, type ControlId } from './controls.js'

/** One file of the package as the report describes it. */
export interface ReportPart {
  path: string
  title: string
  description: string
  controls: readonly ControlId[]
  rows: number | null
  sha256: string
}

export interface ReportTable {
  caption: string
  columns: readonly string[]
  rows: readonly (readonly unknown[])[]
  /** Rows left out of the report (all of them are in the CSV). */
  more?: { count: number; file: string }
}

export interface ReportSection {
  heading: string
  text?: string
  controls?: readonly ControlId[]
  tables: readonly ReportTable[]
}

export interface ReportModel {
  title: string
  subtitle: string
  facts: readonly (readonly [string, string])[]
  sections: readonly ReportSection[]
  parts: readonly ReportPart[]
  verification: { anchorSeq: number; anchorHash: string; throughSeq: number; headHash: string; events: number; signed: boolean }
}

/** Every value that reaches the page goes through here: names come from card files and vendor APIs. */
export function escapeHtml(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value)
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

const css = `
  @page { size: A4; margin: 16mm 14mm; }
  body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #1b1b1b; font-size: 10.5pt; line-height: 1.4; margin: 0; }
  main { max-width: 60rem; margin: 0 auto; padding: 1.5rem; }
  h1 { font-size: 20pt; margin: 0 0 .2rem; }
  h2 { font-size: 14pt; margin: 1.6rem 0 .4rem; border-bottom: 2px solid #1d70b8; padding-bottom: .2rem; break-after: avoid; }
  p.sub { color: #505a5f; margin: 0 0 1rem; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0 0 1rem; }
  dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
  table { border-collapse: collapse; width: 100%; margin: .4rem 0 .8rem; font-size: 9pt; }
  caption { text-align: left; font-weight: bold; padding: .2rem 0; }
  th, td { border-bottom: 1px solid #b1b4b6; padding: .25rem .4rem; text-align: left; vertical-align: top; }
  th { background: #f3f2f1; }
  td { overflow-wrap: anywhere; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  tr { break-inside: avoid; }
  .controls { margin: .2rem 0; }
  .tag { display: inline-block; border: 1px solid #1d70b8; color: #1d70b8; border-radius: 3px; padding: 0 .3rem; margin: 0 .2rem .2rem 0; font-size: 8.5pt; }
  code { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 9pt; }
  .hash { font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8pt; word-break: break-all; }
  .more { color: #505a5f; font-style: italic; }
`

function tags(controls: readonly ControlId[]): string {
  return `<div class="controls">Supports: ${controls.map((c) => `<span class="tag">${escapeHtml(c)}</span>`).join('')}</div>`
}

function table(t: ReportTable): string {
  const cell = (v: unknown) =>
    typeof v === 'number' ? `<td class="num">${escapeHtml(v)}</td>` : typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? `<td class="hash">${escapeHtml(v)}</td>` : `<td>${escapeHtml(v)}</td>`
  const body = t.rows.length === 0 ? `<tr><td colspan="${t.columns.length}">None.</td></tr>` : t.rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('\n')
  const more = t.more && t.more.count > 0 ? `<p class="more">${escapeHtml(t.more.count)} more rows in ${escapeHtml(t.more.file)}.</p>` : ''
  return `<table><caption>${escapeHtml(t.caption)}</caption><thead><tr>${t.columns.map((c) => `<th scope="col">${escapeHtml(c)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>${more}`
}

/** The human-readable report: a static page with no script, printed to PDF as it is. */
export function renderReportHtml(model: ReportModel): string {
  const v = model.verification
  const sections = model.sections
    .map((s) => `<section><h2>${escapeHtml(s.heading)}</h2>${s.controls ? tags(s.controls) : ''}${s.text ? `<p>${escapeHtml(s.text)}</p>` : ''}${s.tables.map(table).join('\n')}</section>`)
    .join('\n')
  const controlRows = (Object.keys(CONTROLS) as ControlId[]).map((id) => {
    const parts = model.parts.filter((p) => p.controls.includes(id)).map((p) => p.path)
    return [id, CONTROLS[id], parts.join(', ') || '—']
  })
  const files = model.parts.map((p) => [p.path, p.description, p.rows ?? '', p.controls.join(', '), p.sha256])
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${escapeHtml(model.title)}</title>
<style>${css}</style>
</head>
<body>
<main>
<h1>${escapeHtml(model.title)}</h1>
<p class="sub">${escapeHtml(model.subtitle)}</p>
<dl class="facts">${model.facts.map(([k, val]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(val)}</dd>`).join('')}</dl>
<section>
<h2>Controls this package supports</h2>
${table({ caption: 'Each control and the files that evidence it', columns: ['Control', 'What it asks', 'Files'], rows: controlRows })}
</section>
${sections}
<section>
<h2>How to check this package</h2>
<p>Every file's SHA-256 is in manifest.json${v.signed ? ', which is signed with Ed25519 (manifest.sig)' : ''}. Run <code>sightline evidence verify THIS.zip${v.signed ? ' --public-key KEY.pem' : ''}</code> on any machine, without a database: it checks each file against the manifest, ${v.signed ? 'the signature, ' : ''}and the audit chain in audit/events.jsonl from its anchor.</p>
<dl class="facts">
<dt>Audit events in the package</dt><dd>${v.events === 0 ? 'none in this period' : `${escapeHtml(v.events)} (events ${escapeHtml(v.anchorSeq + 1)}–${escapeHtml(v.throughSeq)})`}</dd>
<dt>Hash of the event before them</dt><dd class="hash">${escapeHtml(v.anchorHash)} (event ${escapeHtml(v.anchorSeq)})</dd>
<dt>Hash of the last event</dt><dd class="hash">${escapeHtml(v.headHash)}</dd>
</dl>
<p>Compare the hash of the last event with <code>sightline audit verify</code> on the live system: if they agree, nothing before it was changed since.</p>
${table({ caption: 'Files', columns: ['File', 'What it holds', 'Rows', 'Controls', 'SHA-256'], rows: files })}
</section>
</main>
</body>
</html>
`
}
