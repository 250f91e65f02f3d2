// Column statistics of a DataFrame, computed by polars from SQL.
//
// One round of queries on polars' thread pool, at the same time: the exact statistics over every row, the quantiles of
// the sample, and the sample's numeric values as doubles, binned here between the exact min and max (at most 100k
// values a column; a second round of queries cost more, and could start only once the event loop was free, which the
// handler holds while it writes the file). The queries are written in polars' SQL dialect, not built as expression
// objects: nodejs-polars spends ~0.5 ms building each Expr (its wrapper carries the whole method table), and a
// 10-column frame needs ~40 of them; a query string is parsed in Rust in microseconds.
import pl from 'nodejs-polars'
import type {ColumnStats} from '../types.ts'
import {columnKind, dtypeName, WIDE_INTEGERS, type ColumnKind} from './dtypes.ts'
import {exactInteger, toFiniteNumber, toJsonSafe} from './json-safe.ts'

export const HISTOGRAM_BINS = 20
/**
 * Quantiles (a selection per column) and histograms (a bin per value, then a count per bin) dominate the
 * cost on big frames. Up to EXACT_STATS_ROWS rows they are exact; above it they come from SAMPLE_ROWS evenly
 * spaced rows (between half that and that many): a quantile within about half a percentile, a bin's share of
 * the rows within about 0.2 points, on real data. Counts, nulls, min, max, mean, std and distinct counts are
 * always exact.
 */
export const EXACT_STATS_ROWS = 100_000
export const SAMPLE_ROWS = 20_000

const SEP = '\u0000'

interface ColumnPlan {
  name: string
  kind: ColumnKind
  dtype: string
  nulls: number
}

/** A column name as an SQL identifier. */
function ident(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}

/** The output name of one statistic of one column (no column name can hold the separator). */
function statName(column: string, stat: string): string {
  return ident(`${column}${SEP}${stat}`)
}

/** One statistic of one column from the queries' rows. */
function statOf(row: Record<string, unknown>, column: string, stat: string): unknown {
  return row[`${column}${SEP}${stat}`]
}

/** The exact statistics (table t, every row) and the quantiles (table s, the sample), one row each. */
function statQueries(plans: ColumnPlan[]): string[] {
  const exact: string[] = []
  const sampled: string[] = []
  for (const {name, kind, dtype} of plans) {
    const col = ident(name)
    const stat = (stat: string) => statName(name, stat)
    switch (kind) {
      case 'numeric': {
        const x = dtype.startsWith('Decimal') ? `CAST(${col} AS DOUBLE)` : col
        exact.push(`MIN(${x}) AS ${stat('min')}`, `MAX(${x}) AS ${stat('max')}`, `AVG(${x}) AS ${stat('mean')}`, `STDDEV(${x}) AS ${stat('std')}`)
        // a 64-bit integer reaches JavaScript as a double: its digits too, for a min or max beyond 2^53
        if (WIDE_INTEGERS.has(dtype)) exact.push(`CAST(MIN(${col}) AS VARCHAR) AS ${stat('min_digits')}`, `CAST(MAX(${col}) AS VARCHAR) AS ${stat('max_digits')}`)
        for (const q of [25, 50, 75]) sampled.push(`QUANTILE_CONT(${x}, ${q / 100}) AS ${stat(`q${q}`)}`)
        break
      }
      case 'temporal':
        exact.push(`MIN(${col}) AS ${stat('min')}`, `MAX(${col}) AS ${stat('max')}`)
        break
      case 'text': {
        const x = dtype === 'Categorical' ? `CAST(${col} AS VARCHAR)` : col
        // COUNT(DISTINCT) leaves nulls out, as `distinct` means
        exact.push(`COUNT(DISTINCT ${x}) AS ${stat('distinct')}`, `MIN(${x}) AS ${stat('min')}`, `MAX(${x}) AS ${stat('max')}`)
        break
      }
      case 'boolean':
        exact.push(`COUNT(DISTINCT ${col}) AS ${stat('distinct')}`)
        break
      case 'other':
        break
    }
  }
  return [exact.length ? `SELECT ${exact.join(', ')} FROM t` : '', sampled.length ? `SELECT ${sampled.join(', ')} FROM s` : ''].filter(Boolean)
}

/** The sample's numeric columns as doubles (CAST as in polars: 64-bit integers and decimals rounded alike), by position. */
function sampleQuery(plans: ColumnPlan[]): string {
  const numeric = plans.flatMap((p, i) => (p.kind === 'numeric' ? [`CAST(${ident(p.name)} AS DOUBLE) AS ${ident(`v${i}`)}`] : []))
  return numeric.length ? `SELECT ${numeric.join(', ')} FROM s` : ''
}

/**
 * Bin counts of one column's sampled values, as [bin, count] pairs. A value's bin is floor((x - min) * BINS / (max -
 * min)): 0..BINS-1, the maximum lands on BINS (folded into the last bin afterwards); nulls, NaN and infinities (and a
 * range too wide for a double, which makes every bin NaN) are left out.
 */
function binCounts(values: ArrayLike<number | null>, min: number, max: number): [number, number][] {
  const scale = HISTOGRAM_BINS / (max - min)
  const counts = new Array<number>(HISTOGRAM_BINS + 1).fill(0)
  for (let i = 0; i < values.length; i++) {
    const x = values[i]
    if (x === null || x === undefined) continue
    const bin = Math.floor((x - min) * scale)
    if (bin >= 0 && bin <= HISTOGRAM_BINS) counts[bin]! += 1
  }
  return counts.flatMap((n, bin) => (n ? [[bin, n] as [number, number]] : []))
}

function sampledValues(frame: pl.DataFrame, column: string): ArrayLike<number | null> {
  const series = frame.getColumn(column)
  return series.nullCount() === 0 ? (series.toTypedArray() as Float64Array) : (series.toArray() as (number | null)[])
}

/** 1 when every row is used, else the step between the rows the sampled statistics read. */
function sampleStride(height: number): number {
  return height <= EXACT_STATS_ROWS ? 1 : Math.ceil(height / SAMPLE_ROWS)
}

function edges(lo: number, hi: number): number[] {
  const width = (hi - lo) / HISTOGRAM_BINS
  return Array.from({length: HISTOGRAM_BINS + 1}, (_, i) => (i === HISTOGRAM_BINS ? hi : lo + i * width))
}

/** 20 bins from [bin, count] pairs; counts of a sample are scaled by `scale` (rows / sampled rows). */
function histogram(lo: number, hi: number, bins: [number, number][], scale: number): {edges: number[]; counts: number[]} {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0)
  for (const [bin, count] of bins) counts[Math.min(bin, HISTOGRAM_BINS - 1)]! += count
  return {edges: edges(lo, hi), counts: scale === 1 ? counts : scaleCounts(counts, scale)}
}

/** Counts times `scale`, rounded by largest remainder so that they add up to the rounded scaled total. */
function scaleCounts(counts: number[], scale: number): number[] {
  const exact = counts.map((c) => c * scale)
  const scaled = exact.map(Math.floor)
  let missing = Math.round(counts.reduce((a, b) => a + b, 0) * scale) - scaled.reduce((a, b) => a + b, 0)
  const byRemainder = exact.map((v, i) => [v - Math.floor(v), i] as const).sort((a, b) => b[0] - a[0])
  for (const [, i] of byRemainder) {
    if (missing <= 0) break
    scaled[i]! += 1
    missing--
  }
  return scaled
}

/** A constant column: one value, in the middle bin of a unit-wide range around it (as numpy does). */
function constantHistogram(value: number, count: number): {edges: number[]; counts: number[]} {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0)
  counts[HISTOGRAM_BINS / 2] = count
  return {edges: edges(value - 0.5, value + 0.5), counts}
}

function columnStats(plan: ColumnPlan, height: number, row: Record<string, unknown>, bins: [number, number][] | undefined): ColumnStats {
  const stride = sampleStride(height)
  const sampledRows = Math.ceil(height / stride)
  const get = (stat: string): unknown => statOf(row, plan.name, stat)
  const stats: ColumnStats = {name: plan.name, dtype: plan.dtype, count: height - plan.nulls, nulls: plan.nulls}
  switch (plan.kind) {
    case 'numeric': {
      const min = toFiniteNumber(get('min'))
      const max = toFiniteNumber(get('max'))
      Object.assign(stats, {min: exactInteger(min, get('min_digits')), max: exactInteger(max, get('max_digits')), mean: toFiniteNumber(get('mean')), std: toFiniteNumber(get('std'))})
      stats.quantiles = {q25: toFiniteNumber(get('q25')), q50: toFiniteNumber(get('q50')), q75: toFiniteNumber(get('q75'))}
      // no histogram for an all-null column, nor when infinities leave no finite range to cut
      if (min !== null && max !== null && stats.count > 0) {
        stats.histogram = min === max ? constantHistogram(min, stats.count) : histogram(min, max, bins ?? [], height / sampledRows)
      }
      if (stride > 1) stats.sampledRows = sampledRows
      break
    }
    case 'temporal':
      stats.min = toJsonSafe(get('min')) as string | null
      stats.max = toJsonSafe(get('max')) as string | null
      break
    case 'text':
    case 'boolean':
      stats.distinct = Number(get('distinct') ?? 0)
      if (plan.kind === 'text') {
        stats.min = toJsonSafe(get('min')) as string | null
        stats.max = toJsonSafe(get('max')) as string | null
      }
      break
    case 'other':
      break
  }
  return stats
}

/** The one row of each result, by column name. Series.get() fails on temporal values in nodejs-polars 0.25; rows() reads every type. */
function firstRows(frames: pl.DataFrame[]): Record<string, unknown> {
  const row: Record<string, unknown> = {}
  for (const frame of frames) {
    const values = frame.rows()[0] ?? []
    frame.columns.forEach((name, i) => (row[name] = values[i]))
  }
  return row
}

/**
 * The statistics of a frame from one round of queries: it yields their SQL (run at the same time, on tables t = every
 * row and s = the sample) and is given their results back. Driven by columnStatsSync and columnStatsAsync.
 */
function* statsRounds(df: pl.DataFrame): Generator<string[], ColumnStats[], pl.DataFrame[]> {
  const nulls = df.width > 0 ? (df.nullCount().rows()[0] ?? []) : []
  const plans: ColumnPlan[] = df.dtypes.map((dtype, i) => ({name: df.columns[i] ?? '', kind: columnKind(dtype), dtype: dtypeName(dtype), nulls: Number(nulls[i] ?? 0)}))
  const stats = df.height > 0 ? statQueries(plans) : []
  const sample = df.height > 0 ? sampleQuery(plans) : ''
  const results = stats.length || sample ? yield [...stats, ...(sample ? [sample] : [])] : []
  const row = firstRows(results.slice(0, stats.length))
  const values = sample ? results[stats.length] : undefined
  // histograms between the exact min and max, for the columns that have a range to cut
  const bins = new Map<string, [number, number][]>()
  plans.forEach((p, i) => {
    const min = toFiniteNumber(statOf(row, p.name, 'min'))
    const max = toFiniteNumber(statOf(row, p.name, 'max'))
    if (values && p.kind === 'numeric' && min !== null && max !== null && min < max) bins.set(p.name, binCounts(sampledValues(values, `v${i}`), min, max))
  })
  return plans.map((plan) => columnStats(plan, df.height, row, bins.get(plan.name)))
}

function tables(df: pl.DataFrame): ReturnType<typeof pl.SQLContext> {
  const stride = sampleStride(df.height)
  return pl.SQLContext({t: df.lazy(), s: stride > 1 ? df.gatherEvery(stride).lazy() : df.lazy()})
}

/** Statistics of every column, blocking the event loop while polars works. */
export function columnStatsSync(df: pl.DataFrame): ColumnStats[] {
  const rounds = statsRounds(df)
  const context = tables(df)
  let step = rounds.next()
  while (!step.done) step = rounds.next(step.value.map((sql) => context.execute(sql).collectSync()))
  return step.value
}

/** The same, computed on polars' thread pool (LazyFrame.collect), leaving the event loop free. */
export async function columnStatsAsync(df: pl.DataFrame): Promise<ColumnStats[]> {
  const rounds = statsRounds(df)
  const context = tables(df)
  let step = rounds.next()
  while (!step.done) step = rounds.next(await Promise.all(step.value.map((sql) => context.execute(sql).collect())))
  return step.value
}
