// Column statistics of a DataFrame, computed by polars expressions in two selects:
// one with every aggregation of every column, then one with the histograms of the numeric columns
// (their bins need each column's min and max).
import pl from 'nodejs-polars'
import type {ColumnStats} from '../types.ts'
import {columnKind, dtypeName, type ColumnKind} from './dtypes.ts'
import {toFiniteNumber, toJsonSafe} from './json-safe.ts'

export const HISTOGRAM_BINS = 20
/**
 * Quantiles need a selection per column and dominate the cost on big frames. Up to this many rows they are
 * exact; above it they come from evenly spaced rows (about this many), which is within a fraction of a
 * percentile of the exact value on real data.
 */
export const EXACT_QUANTILE_ROWS = 100_000

/** Aggregated values of one select, by alias. */
export type AggregateRow = Record<string, unknown>

interface ColumnPlan {
  index: number
  name: string
  kind: ColumnKind
  dtype: string
  nulls: number
}

const alias = (plan: ColumnPlan, stat: string): string => `${plan.index}\u0000${stat}`

function aggregations(df: pl.DataFrame, plan: ColumnPlan): pl.Expr[] {
  const x = pl.col(plan.name)
  const as = (e: pl.Expr, stat: string): pl.Expr => e.alias(alias(plan, stat))
  switch (plan.kind) {
    case 'numeric': {
      const v = plan.dtype.startsWith('Decimal') ? x.cast(pl.Float64) : x
      const stride = Math.ceil(df.height / EXACT_QUANTILE_ROWS)
      const q = stride > 1 ? v.gatherEvery(stride) : v
      return [
        as(v.min(), 'min'), as(v.max(), 'max'), as(v.mean(), 'mean'), as(v.std(), 'std'),
        as(q.quantile(0.25, 'linear'), 'q25'), as(q.quantile(0.5, 'linear'), 'q50'), as(q.quantile(0.75, 'linear'), 'q75'),
      ]
    }
    case 'temporal':
      return [as(x.min(), 'min'), as(x.max(), 'max')]
    case 'text': {
      const s = plan.dtype === 'Categorical' ? x.cast(pl.String) : x
      return [as(x.nUnique(), 'distinct'), as(s.min(), 'min'), as(s.max(), 'max')]
    }
    case 'boolean':
      return [as(x.nUnique(), 'distinct')]
    case 'other':
      return []
  }
}

function baseStats(plan: ColumnPlan, height: number, row: AggregateRow): ColumnStats {
  const get = (stat: string): unknown => row[alias(plan, stat)]
  const stats: ColumnStats = {name: plan.name, dtype: plan.dtype, count: height - plan.nulls, nulls: plan.nulls}
  switch (plan.kind) {
    case 'numeric':
      stats.min = toFiniteNumber(get('min'))
      stats.max = toFiniteNumber(get('max'))
      stats.mean = toFiniteNumber(get('mean'))
      stats.std = toFiniteNumber(get('std'))
      stats.quantiles = {q25: toFiniteNumber(get('q25')), q50: toFiniteNumber(get('q50')), q75: toFiniteNumber(get('q75'))}
      break
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

interface HistogramPlan {
  plan: ColumnPlan
  lo: number
  hi: number
}

/** The bin of every value, 0..BINS (the maximum lands in BINS and is folded into the last bin). */
function binExpr(h: HistogramPlan): pl.Expr {
  const scale = HISTOGRAM_BINS / (h.hi - h.lo)
  const x = pl.col(h.plan.name).cast(pl.Float64)
  return x.minus(pl.lit(h.lo)).mul(pl.lit(scale)).cast(pl.UInt8, false)
}

function edges(lo: number, hi: number): number[] {
  const width = (hi - lo) / HISTOGRAM_BINS
  return Array.from({length: HISTOGRAM_BINS + 1}, (_, i) => (i === HISTOGRAM_BINS ? hi : lo + i * width))
}

/** A constant column: one value, in the middle bin of a unit-wide range around it (as numpy does). */
function constantHistogram(value: number, count: number): {edges: number[]; counts: number[]} {
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0)
  counts[HISTOGRAM_BINS / 2] = count
  return {edges: edges(value - 0.5, value + 0.5), counts}
}

/** Statistics computed in two passes; `run` executes one select synchronously or asynchronously. */
export function* columnStatsSteps(df: pl.DataFrame): Generator<pl.Expr[], ColumnStats[], AggregateRow> {
  const plans: ColumnPlan[] = df.columns.map((name, index) => {
    const series = df.getColumn(name)
    return {index, name, kind: columnKind(series.dtype), dtype: dtypeName(series.dtype), nulls: series.nullCount()}
  })
  const first = plans.flatMap((plan) => aggregations(df, plan))
  const row = first.length > 0 && df.height > 0 ? yield first : {}
  const stats = plans.map((plan) => baseStats(plan, df.height, row))

  const histograms: HistogramPlan[] = []
  for (const [i, plan] of plans.entries()) {
    const s = stats[i]!
    if (plan.kind !== 'numeric' || s.count === 0) continue
    const {min, max} = s
    if (typeof min !== 'number' || typeof max !== 'number') continue
    if (min === max) s.histogram = constantHistogram(min, s.count)
    else histograms.push({plan, lo: min, hi: max})
  }
  if (histograms.length === 0) return stats

  const counted = yield histograms.map((h) => binExpr(h).valueCounts().implode().alias(alias(h.plan, 'hist')))
  for (const h of histograms) {
    const counts = new Array<number>(HISTOGRAM_BINS).fill(0)
    for (const entry of binCounts(counted[alias(h.plan, 'hist')])) {
      if (entry.bin === null) continue
      counts[Math.min(entry.bin, HISTOGRAM_BINS - 1)]! += entry.count
    }
    stats[h.plan.index]!.histogram = {edges: edges(h.lo, h.hi), counts}
  }
  return stats
}

/** valueCounts() of the bins, as selectRow hands it over: the bins and their counts. */
function binCounts(value: unknown): {bin: number | null; count: number}[] {
  const {keys, counts} = value as {keys: unknown[]; counts: unknown[]}
  return keys.map((bin, i) => ({bin: bin === null || bin === undefined ? null : Number(bin), count: Number(counts[i] ?? 0)}))
}

/** Drive the steps synchronously: eager selects. */
export function columnStatsSync(df: pl.DataFrame): ColumnStats[] {
  const steps = columnStatsSteps(df)
  let next = steps.next()
  while (!next.done) next = steps.next(selectRow(df.select(...next.value)))
  return next.value
}

/** Drive the steps on polars' thread pool (LazyFrame.collect), leaving the event loop free. */
export async function columnStatsAsync(df: pl.DataFrame): Promise<ColumnStats[]> {
  const steps = columnStatsSteps(df)
  let next = steps.next()
  while (!next.done) next = steps.next(selectRow(await df.lazy().select(...next.value).collect()))
  return next.value
}

function selectRow(out: pl.DataFrame): AggregateRow {
  const row: AggregateRow = {}
  const scalars: string[] = []
  for (const name of out.columns) {
    if ((out.getColumn(name).dtype.variant as string) !== 'List') {
      scalars.push(name)
      continue
    }
    // A list of {value, count} structs: Series.get() cannot read it, so unnest it into two columns.
    const table = out.select(pl.col(name).explode()).unnest(name)
    const [keys, counts] = table.columns.map((c) => table.getColumn(c).toArray())
    row[name] = {keys: keys ?? [], counts: counts ?? []}
  }
  // Series.get() fails on temporal values in nodejs-polars 0.25; rows() reads every type.
  const values = scalars.length > 0 ? (out.select(...scalars).rows()[0] ?? []) : []
  scalars.forEach((name, i) => (row[name] = values[i]))
  return row
}
