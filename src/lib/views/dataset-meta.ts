// A dataset's schema and statistics as plain text, with a sparkline of each numeric column's histogram.

import type {ColumnStats, DatasetMeta} from '../types.ts'
import {palette} from './color.ts'
import {escapeControls as esc, formatValue, truncate} from './format.ts'
import {formatTable} from './table.ts'

const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█']

/**
 * Counts as a unicode sparkline, one character a bin, scaled to the largest bin. An empty bin shows as a
 * space so gaps in a distribution stay visible; any non-empty bin shows at least the lowest bar.
 */
export function sparkline(counts: number[]): string {
  const max = Math.max(0, ...counts)
  if (max === 0) return ' '.repeat(counts.length)
  return counts.map((count) => {
    if (!(count > 0)) return ' '
    const level = Math.min(BARS.length - 1, Math.max(0, Math.ceil((count / max) * BARS.length) - 1))
    return BARS[level]
  }).join('')
}

function statText(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return formatNumber(value)
  return truncate(esc(value), 24)
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value)
  if (Number.isSafeInteger(value)) return String(value)  // a larger double (a std) is not exact: no false digits
  const magnitude = Math.abs(value)
  if (magnitude !== 0 && (magnitude >= 1e6 || magnitude < 1e-3)) return value.toExponential(2)
  return formatValue(Number(value.toPrecision(4)))
}

function hasHistogram(stats: ColumnStats): stats is ColumnStats & {histogram: {edges: number[]; counts: number[]}} {
  return Boolean(stats.histogram && stats.histogram.counts.length > 0)
}

/**
 * One line per column: dtype, count, nulls, min, max, mean, std, and a histogram sparkline (numeric) or the
 * distinct count (strings). With `summary`, a first line gives the row and column counts.
 */
export function formatDatasetMeta(meta: DatasetMeta, options: {color?: boolean; summary?: boolean} = {}): string {
  const p = palette(options.color ?? false)
  const lines = options.summary ? [`${p.bold('rows')} ${meta.rows}  ${p.bold('columns')} ${meta.schema.length}`] : []
  const statsByName = new Map((meta.stats ?? []).map((stats) => [stats.name, stats]))
  const header = ['COLUMN', 'DTYPE', 'COUNT', 'NULLS', 'MIN', 'MAX', 'MEAN', 'STD', 'HISTOGRAM']
  const rows = meta.schema.map(({name, dtype}) => {
    const stats = statsByName.get(name)
    if (!stats) return [esc(name), p.dim(esc(dtype))]
    return [
      esc(name),
      p.dim(esc(dtype)),
      String(stats.count),
      stats.nulls > 0 ? p.yellow(String(stats.nulls)) : '0',
      statText(stats.min),
      statText(stats.max),
      statText(stats.mean),
      statText(stats.std),
      hasHistogram(stats) ? p.cyan(sparkline(stats.histogram.counts)) : stats.distinct === undefined ? '' : p.dim(`${stats.distinct} distinct`),
    ]
  })
  const align = ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'left'] as const
  lines.push(...formatTable([header.map((title) => p.bold(title)), ...rows], {align: [...align]}))
  if (meta.stats === null) lines.push(p.dim('no statistics were computed for this dataset'))
  const sampled = (meta.stats ?? []).find((stats) => stats.sampledRows !== undefined)?.sampledRows
  if (sampled !== undefined) lines.push(p.dim(`histograms and quantiles from ${sampled} evenly spaced rows; the other statistics from all ${meta.rows}`))
  return lines.join('\n')
}
