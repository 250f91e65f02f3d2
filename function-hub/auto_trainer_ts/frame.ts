// From a polars DataFrame to the numbers the models take, with clear errors for what they cannot take.

import pl from 'nodejs-polars'
import type {JsonValue} from './lode-types.ts'
import type {Matrix} from './ml/model.ts'
import type {ClassValue} from './ml/trained-model.ts'

/** A list param given as a JSON list or a comma-separated string. */
export function columnList(value: JsonValue | undefined): string[] {
  if (value === undefined || value === null || value === '') return []
  const items = Array.isArray(value) ? value.map(String) : String(value).split(',')
  return items.map((s) => s.trim()).filter(Boolean)
}

/** The single label column of label_columns; none or several is an error. */
export function labelColumn(value: JsonValue | undefined, fallback?: string): string {
  const labels = columnList(value)
  if (labels.length > 1) throw new Error(`only one label column is supported, got ${labels.length}: ${labels.join(', ')}`)
  const label = labels[0] ?? fallback
  if (!label) throw new Error('label_columns is required: name the column to predict')
  return label
}

export function requireColumns(df: pl.DataFrame, names: string[], what: string): void {
  const missing = names.filter((n) => !df.columns.includes(n))
  if (missing.length) throw new Error(`${what} not in the dataset: ${missing.join(', ')} (columns: ${df.columns.join(', ')})`)
}

export function dtypeName(series: pl.Series): string {
  return String(series.dtype).replace(/^DataType\((.*)\)$/, '$1')
}

/** Numeric (or boolean) columns without nulls, as rows of numbers. */
export function featureMatrix(df: pl.DataFrame, features: string[]): Matrix {
  requireColumns(df, features, 'feature columns')
  const columns = features.map((name) => {
    const series = df.getColumn(name)
    const isBool = dtypeName(series) === 'Bool'
    if (!series.isNumeric() && !isBool) throw new Error(`feature column "${name}" is ${dtypeName(series)}, not numeric; drop it with drop_columns`)
    if (series.nullCount() > 0) throw new Error(`feature column "${name}" has ${series.nullCount()} null values; fill or drop them first`)
    // a typed array comes out of polars in one copy; toArray() builds a million numbers one by one
    return series.cast(pl.Float64).toTypedArray() as Float64Array
  })
  return Array.from({length: df.height}, (_, i) => columns.map((c) => c[i] as number))
}

export function labelValues(df: pl.DataFrame, label: string): ClassValue[] {
  requireColumns(df, [label], 'label column')
  const series = df.getColumn(label)
  if (series.nullCount() > 0) throw new Error(`label column "${label}" has ${series.nullCount()} null values`)
  if (series.isNumeric()) return Array.from(series.cast(pl.Float64).toTypedArray() as Float64Array)
  return (series.toArray() as unknown[]).map((v) => (typeof v === 'bigint' ? Number(v) : v) as ClassValue)
}

export function numericLabels(df: pl.DataFrame, label: string): number[] {
  const series = df.getColumn(label)
  if (!series.isNumeric()) throw new Error(`a regressor needs a numeric label; "${label}" is ${dtypeName(series)}`)
  return labelValues(df, label) as number[]
}

/** Rows at the given indices, in the frame's order, all columns kept (one native filter, no per-column expressions). */
export function takeRows(df: pl.DataFrame, indices: number[]): pl.DataFrame {
  const mask = new Array<boolean>(df.height).fill(false)
  for (const i of indices) mask[i] = true
  return df.filter(pl.Series('mask', mask, pl.Bool))
}
