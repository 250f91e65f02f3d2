// Column statistics computed by polars in one pass: the rows of the `summary` data set.

import pl from 'nodejs-polars'

export const SUMMARY_COLUMNS = ['column', 'dtype', 'count', 'nulls', 'unique', 'mean', 'std', 'min', 'q25', 'median', 'q75', 'max'] as const

export function dtypeName(series: pl.Series): string {
  return String(series.dtype).replace(/^DataType\((.*)\)$/, '$1')
}

export function numericColumns(df: pl.DataFrame): string[] {
  return df.columns.filter((c) => df.getColumn(c).isNumeric())
}

/**
 * One row per column: count (non-null), nulls, distinct non-null values, and for numeric columns mean, std,
 * min, quartiles, max. Frame-wide aggregates: building one polars expression per statistic and column is
 * far slower in nodejs-polars 0.25 than these native calls.
 */
export function summarize(df: pl.DataFrame): pl.DataFrame {
  const numeric = new Set(numericColumns(df))
  const first = (frame: pl.DataFrame) => (frame.toRecords()[0] ?? {}) as Record<string, unknown>
  const aggregates: Record<string, Record<string, unknown>> = {
    mean: first(df.mean()), std: first(df.std()), min: first(df.min()), max: first(df.max()),
    q25: first(df.quantile(0.25, 'linear')), median: first(df.quantile(0.5, 'linear')), q75: first(df.quantile(0.75, 'linear')),
  }
  const nulls = df.columns.map((c) => df.getColumn(c).nullCount())
  const numberColumn = (stat: string) => pl.Series(stat, df.columns.map((c) => {
    const v = aggregates[stat]?.[c]
    return numeric.has(c) && typeof v === 'number' && Number.isFinite(v) ? v : null
  }), pl.Float64)
  return pl.DataFrame([
    pl.Series('column', df.columns, pl.String),
    pl.Series('dtype', df.columns.map((c) => dtypeName(df.getColumn(c))), pl.String),
    pl.Series('count', nulls.map((n) => df.height - n), pl.Int64),
    pl.Series('nulls', nulls, pl.Int64),
    pl.Series('unique', df.columns.map((c, i) => df.getColumn(c).nUnique() - ((nulls[i] as number) > 0 ? 1 : 0)), pl.Int64),
    ...['mean', 'std', 'min', 'q25', 'median', 'q75', 'max'].map(numberColumn),
  ])
}

/** Pearson correlation of every pair of the given numeric columns over rows where both are present (NaN if undefined). */
export function correlationMatrix(df: pl.DataFrame, columns: string[]): number[][] {
  const values = columns.map((c) => floats(df.getColumn(c)))
  return columns.map((_, i) => columns.map((__, j) => (i === j ? 1 : pearson(values[i]!, values[j]!))))
}

/** A column as numbers, null where absent: a typed array (one copy out of polars) when it has no nulls. */
function floats(series: pl.Series): ArrayLike<number | null> {
  const cast = series.cast(pl.Float64)
  return cast.nullCount() === 0 ? (cast.toTypedArray() as Float64Array) : (cast.toArray() as (number | null)[])
}

function pearson(a: ArrayLike<number | null>, b: ArrayLike<number | null>): number {
  let n = 0
  let sa = 0
  let sb = 0
  for (let k = 0; k < a.length; k++) {
    const x = a[k]
    const y = b[k]
    if (x === null || y === null || x === undefined || y === undefined) continue
    n++
    sa += x
    sb += y
  }
  const ma = sa / n
  const mb = sb / n
  let cov = 0
  let va = 0
  let vb = 0
  for (let k = 0; k < a.length; k++) {
    const x = a[k]
    const y = b[k]
    if (x === null || y === null || x === undefined || y === undefined) continue
    cov += (x - ma) * (y - mb)
    va += (x - ma) ** 2
    vb += (y - mb) ** 2
  }
  return va > 0 && vb > 0 ? cov / Math.sqrt(va * vb) : Number.NaN
}

/** Counts in 20 equal-width bins between the column's min and max (nulls left out). */
export function histogram(series: pl.Series, bins = 20): {min: number; max: number; counts: number[]} {
  const all = series.dropNulls().cast(pl.Float64).toTypedArray() as Float64Array
  const counts = new Array<number>(bins).fill(0)
  // a loop, not Math.min(...values): spreading a million values into a call overflows the stack
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const v of all) {
    if (!Number.isFinite(v)) continue
    if (v < min) min = v
    if (v > max) max = v
  }
  if (min > max) return {min: 0, max: 0, counts}
  const width = (max - min) / bins || 1
  for (const v of all) {
    if (!Number.isFinite(v)) continue
    const b = Math.min(bins - 1, Math.floor((v - min) / width))
    counts[b] = (counts[b] as number) + 1
  }
  return {min, max, counts}
}

/** Rows per label value, sorted by value. */
export function classCounts(df: pl.DataFrame, label: string): {value: string; count: number}[] {
  const counts = df.getColumn(label).valueCounts().toRecords() as Record<string, unknown>[]
  return counts
    .map((r) => ({raw: r[label], count: Number(r.count)}))
    .sort((a, b) => (a.raw === null ? 1 : b.raw === null ? -1 : (a.raw as number) < (b.raw as number) ? -1 : (a.raw as number) > (b.raw as number) ? 1 : 0))
    .map((r) => ({value: r.raw === null ? 'null' : String(r.raw), count: r.count}))
}
