import { scaleBand, scaleLinear } from 'd3-scale'
import type { FC } from 'hono/jsx'

export interface BarDatum {
  label: string
  value: number
  /** A CSS modifier for the bar (`bar--high` …). */
  tone?: string
}

/**
 * A horizontal bar chart as server-rendered SVG (d3 computes the geometry only). The SVG is an image with a
 * title and description; the same numbers are printed beside each bar, so nothing is told by colour alone.
 */
export const BarChart: FC<{ id: string; title: string; data: readonly BarDatum[]; format?: (n: number) => string; width?: number }> = ({
  id,
  title,
  data,
  format = (n) => n.toLocaleString('en-US'),
  width = 420,
}) => {
  const rowHeight = 30
  const labelWidth = 130
  const valueWidth = 70
  const height = Math.max(rowHeight, data.length * rowHeight)
  const max = Math.max(1, ...data.map((d) => d.value))
  const x = scaleLinear().domain([0, max]).range([0, width - labelWidth - valueWidth])
  const y = scaleBand().domain(data.map((d) => d.label)).range([0, height]).padding(0.25)
  const description = data.map((d) => `${d.label}: ${format(d.value)}`).join('; ')
  return (
    <svg class="chart" role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{description}</desc>
      {data.map((d) => {
        const top = y(d.label) ?? 0
        const middle = top + y.bandwidth() / 2
        return (
          <g>
            <text x={0} y={middle} dominant-baseline="middle">
              {d.label}
            </text>
            <rect class={`bar ${d.tone ? `bar--${d.tone}` : ''}`} x={labelWidth} y={top} width={Math.max(d.value > 0 ? 2 : 0, x(d.value))} height={y.bandwidth()} />
            <text x={labelWidth + x(d.value) + 6} y={middle} dominant-baseline="middle">
              {format(d.value)}
            </text>
          </g>
        )
      })}
    </svg>
  )
}

export interface SeriesPoint {
  label: string
  value: number
}

/** Monthly values as columns; axis labels are the months (every other one when crowded, always the latest). */
export const ColumnChart: FC<{ id: string; title: string; data: readonly SeriesPoint[]; format?: (n: number) => string; width?: number; height?: number }> = ({
  id,
  title,
  data,
  format = (n) => n.toLocaleString('en-US'),
  width = 640,
  height = 220,
}) => {
  const margin = { top: 24, right: 10, bottom: 28, left: 10 }
  const x = scaleBand().domain(data.map((d) => d.label)).range([margin.left, width - margin.right]).padding(0.3)
  const max = Math.max(1, ...data.map((d) => d.value))
  const min = Math.min(0, ...data.map((d) => d.value))
  const y = scaleLinear().domain([min, max]).nice().range([height - margin.bottom, margin.top])
  const every = data.length > 8 ? 2 : 1
  const peak = data.reduce<SeriesPoint | null>((a, d) => (a === null || d.value > a.value ? d : a), null)
  return (
    <svg class="chart" role="img" aria-labelledby={`${id}-title ${id}-desc`} viewBox={`0 0 ${width} ${height}`} width={width} height={height}>
      <title id={`${id}-title`}>{title}</title>
      <desc id={`${id}-desc`}>{data.map((d) => `${d.label}: ${format(d.value)}`).join('; ')}</desc>
      <g class="axis">
        <line x1={margin.left} x2={width - margin.right} y1={y(0)} y2={y(0)} />
      </g>
      {data.map((d, i) => {
        const top = Math.min(y(d.value), y(0))
        return (
          <g>
            <rect class="bar" x={x(d.label) ?? 0} y={top} width={x.bandwidth()} height={Math.abs(y(d.value) - y(0))} />
            {(data.length - 1 - i) % every === 0 ? (
              <text x={(x(d.label) ?? 0) + x.bandwidth() / 2} y={height - 8} text-anchor="middle">
                {d.label}
              </text>
            ) : null}
          </g>
        )
      })}
      {peak ? (
        <text x={(x(peak.label) ?? 0) + x.bandwidth() / 2} y={y(peak.value) - 6} text-anchor="middle">
          {format(peak.value)}
        </text>
      ) : null}
    </svg>
  )
}
