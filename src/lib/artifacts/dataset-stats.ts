// Column statistics of a DataFrame, computed by polars in one select.
//
// Every statistic is one multi-column expression (`pl.col([...numeric]).mean()`), histograms included:
// polars expands `pl.col(cols) - pl.col(cols).min()` column by column. Building an expression object costs
// about a millisecond in nodejs-polars (each wrapper carries its whole method table), so expressions per
// column would cost more than the statistics themselves on a wide frame.
import pl from 'nodejs-polars'
import type {ColumnStats} from '../types.ts'
import {columnKind, dtypeName, type ColumnKind} from './dtypes.ts'
import {toFiniteNumber, toJsonSafe} from './json-safe.ts'

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

/** The expressions of the single select, each expanding over all columns of one kind. */
function statExpressions(df: pl.DataFrame, plans: ColumnPlan[]): pl.Expr[] {
  const names = (kind: ColumnKind, where: (p: ColumnPlan) => boolean = () => true) =>
    plans.filter((p) => p.kind === kind && where(p)).map((p) => p.name)
  const exprs: pl.Expr[] = []

  const numeric = names('numeric')
  if (numeric.length > 0) {
    const hasDecimal = names('numeric', (p) => p.dtype.startsWith('Decimal')).length > 0
    const x = hasDecimal ? pl.col(numeric).cast(pl.Float64) : pl.col(numeric)
    const stride = sampleStride(df.height)
    const sample = stride > 1 ? x.gatherEvery(stride) : x
    // integers are binned as floats (x - min could overflow Int64); Float64 columns need no cast
    const allFloat64 = plans.every((p) => p.kind !== 'numeric' || p.dtype === 'Float64')
    const asFloat = allFloat64 || hasDecimal ? x : pl.col(numeric).cast(pl.Float64)
    // the bin of every (sampled) value between the exact min and max: 0..BINS-1, the maximum lands on BINS
    // (folded into the last bin afterwards); NaN, and every value of a constant column (0/0), become null.
    // min and max are the same expressions as the statistics below, so polars computes them once.
    const lo = x.min().cast(pl.Float64)
    const scale = pl.lit(HISTOGRAM_BINS).div(x.max().cast(pl.Float64).minus(lo)) // one value per column
    const binned = stride > 1 ? asFloat.gatherEvery(stride) : asFloat
    const bins = binned.minus(lo).mul(scale).cast(pl.UInt8, false)
    exprs.push(
      x.min().suffix(`${SEP}min`),
      x.max().suffix(`${SEP}max`),
      x.mean().suffix(`${SEP}mean`),
      x.std().suffix(`${SEP}std`),
      sample.quantile(0.25, 'linear').suffix(`${SEP}q25`),
      sample.quantile(0.5, 'linear').suffix(`${SEP}q50`),
      sample.quantile(0.75, 'linear').suffix(`${SEP}q75`),
      // the counts field gets a name no column can have (a column named "count" would clash)
      bins.valueCounts(false, false, `${SEP}n`).implode().suffix(`${SEP}hist`),
    )
  }
  const temporal = names('temporal')
  if (temporal.length > 0) exprs.push(pl.col(temporal).min().suffix(`${SEP}min`), pl.col(temporal).max().suffix(`${SEP}max`))
  const text = names('text')
  if (text.length > 0) {
    const s = names('text', (p) => p.dtype === 'Categorical').length > 0 ? pl.col(text).cast(pl.String) : pl.col(text)
    exprs.push(pl.col(text).nUnique().suffix(`${SEP}distinct`), s.min().suffix(`${SEP}min`), s.max().suffix(`${SEP}max`))
  }
  const booleans = names('boolean')
  if (booleans.length > 0) exprs.push(pl.col(booleans).nUnique().suffix(`${SEP}distinct`))
  return exprs
}

/**
 * The expressions for frames of one shape (column names, kinds and dtypes; the sampling stride), kept for the next
 * frame of that shape: nodejs-polars spends ~0.5 ms building each expression object, ~20 ms for a 10-column frame,
 * which is as long as polars takes to describe a million rows. A handler that logs several frames of one schema
 * (per epoch, per partition) builds them once.
 */
const expressionCache = new Map<string, pl.Expr[]>()

function cachedExpressions(df: pl.DataFrame, plans: ColumnPlan[]): pl.Expr[] {
  const key = JSON.stringify([sampleStride(df.height), plans.map((p) => [p.name, p.kind, p.dtype])])
  let exprs = expressionCache.get(key)
  if (!exprs) {
    exprs = statExpressions(df, plans)
    if (expressionCache.size >= 16) expressionCache.delete(expressionCache.keys().next().value!)
    expressionCache.set(key, exprs)
  }
  return exprs
}

/** 1 when every row is used, else the step between the rows the sampled statistics read. */
function sampleStride(height: number): number {
  return height <= EXACT_STATS_ROWS ? 1 : Math.ceil(height / SAMPLE_ROWS)
}

function edges(lo: number, hi: number): number[] {
  const width = (hi - lo) / HISTOGRAM_BINS
  return Array.from({length: HISTOGRAM_BINS + 1}, (_, i) => (i === HISTOGRAM_BINS ? hi : lo + i * width))
}

/**
 * valueCounts() of the bins, as rows() hands it back: [{<column>: bin, count: n}, ...]. Counts of a sample
 * are scaled by `scale` (rows / sampled rows) and rounded so they add up to the scaled total.
 */
function histogram(lo: number, hi: number, value: unknown, scale: number): {edges: number[]; counts: number[]} {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0)
  for (const entry of Array.isArray(value) ? value : []) {
    const [bin, count] = Object.values(entry as Record<string, unknown>)
    if (bin === null || bin === undefined) continue
    counts[Math.min(Number(bin), HISTOGRAM_BINS - 1)]! += Number(count ?? 0)
  }
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

function columnStats(plan: ColumnPlan, height: number, row: Record<string, unknown>): ColumnStats {
  const stride = sampleStride(height)
  const sampledRows = Math.ceil(height / stride)
  const get = (stat: string): unknown => row[`${plan.name}${SEP}${stat}`]
  const stats: ColumnStats = {name: plan.name, dtype: plan.dtype, count: height - plan.nulls, nulls: plan.nulls}
  switch (plan.kind) {
    case 'numeric': {
      const min = toFiniteNumber(get('min'))
      const max = toFiniteNumber(get('max'))
      Object.assign(stats, {min, max, mean: toFiniteNumber(get('mean')), std: toFiniteNumber(get('std'))})
      stats.quantiles = {q25: toFiniteNumber(get('q25')), q50: toFiniteNumber(get('q50')), q75: toFiniteNumber(get('q75'))}
      // no histogram for an all-null column, nor when infinities leave no finite range to cut
      if (min !== null && max !== null && stats.count > 0) {
        stats.histogram = min === max ? constantHistogram(min, stats.count) : histogram(min, max, get('hist'), height / sampledRows)
      }
      if (stride > 1) stats.sampledRows = sampledRows
      break
    }
    case 'temporal':
      stats.min = toJsonSafe(get('min')) as string | null
      stats.max = toJsonSafe(get('max')) as string | null
      break
    case 'text':
    case 'boolean': {
      // polars counts null as one of the distinct values
      const distinct = Number(get('distinct') ?? 0)
      stats.distinct = Math.max(0, distinct - (plan.nulls > 0 ? 1 : 0))
      if (plan.kind === 'text') {
        stats.min = toJsonSafe(get('min')) as string | null
        stats.max = toJsonSafe(get('max')) as string | null
      }
      break
    }
    case 'other':
      break
  }
  return stats
}

/** What the select needs, and how to turn its one row into statistics. */
function statsQuery(df: pl.DataFrame): {exprs: pl.Expr[]; finish: (out: pl.DataFrame | null) => ColumnStats[]} {
  const nulls = df.width > 0 ? (df.nullCount().rows()[0] ?? []) : []
  const plans = df.dtypes.map((dtype, i) => ({
    name: df.columns[i] ?? '',
    kind: columnKind(dtype),
    dtype: dtypeName(dtype),
    nulls: Number(nulls[i] ?? 0),
  }))
  const exprs = df.height > 0 ? cachedExpressions(df, plans) : []
  const finish = (out: pl.DataFrame | null): ColumnStats[] => {
    const row: Record<string, unknown> = {}
    if (out) {
      // Series.get() fails on temporal values in nodejs-polars 0.25; rows() reads every type
      const values = out.rows()[0] ?? []
      out.columns.forEach((name, i) => (row[name] = values[i]))
    }
    return plans.map((plan) => columnStats(plan, df.height, row))
  }
  return {exprs, finish}
}

/** Statistics of every column, with eager polars (blocks the event loop while polars works). */
export function columnStatsSync(df: pl.DataFrame): ColumnStats[] {
  const {exprs, finish} = statsQuery(df)
  return finish(exprs.length > 0 ? df.select(...exprs) : null)
}

/** The same, computed on polars' thread pool (LazyFrame.collect), leaving the event loop free. */
export async function columnStatsAsync(df: pl.DataFrame): Promise<ColumnStats[]> {
  const {exprs, finish} = statsQuery(df)
  return finish(exprs.length > 0 ? await df.lazy().select(...exprs).collect() : null)
}
