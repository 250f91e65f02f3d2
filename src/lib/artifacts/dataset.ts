// Dataset metadata: schema, row count, column statistics and a JSON-safe preview of a DataFrame.
import pl from 'nodejs-polars'
import type {DatasetMeta, JsonValue} from '../types.ts'
import {columnStatsAsync, columnStatsSync} from './dataset-stats.ts'
import {dtypeName, WIDE_INTEGERS} from './dtypes.ts'
import {readFrame} from './formats.ts'
import {exactInteger, toJsonSafe} from './json-safe.ts'

const STRING = pl.String

export interface DescribeOptions {
  /** rows of preview (default 20; 0 for none) */
  preview?: number
  /** compute column statistics (default true) */
  stats?: boolean
}

export const DEFAULT_PREVIEW_ROWS = 20

export function frameSchema(df: pl.DataFrame): DatasetMeta['schema'] {
  // df.dtypes in one call: getColumn() builds a Series wrapper per column, which is slow in nodejs-polars
  const dtypes = df.dtypes
  return df.columns.map((name, i) => ({name, dtype: dtypes[i] ? dtypeName(dtypes[i]) : 'Unknown'}))
}

/** The first rows as JSON values: BigInt -> number (or string when too big), Date -> ISO, NaN/Infinity -> null. */
export function framePreview(df: pl.DataFrame, rows: number): DatasetMeta['preview'] {
  if (rows <= 0) return null
  const head = df.head(rows)
  // polars hands 64-bit integers over as doubles: their digits, read as text, replace those a double rounded
  const dtypes = head.dtypes
  const digits = head.columns.map((name, i) => (dtypes[i] && WIDE_INTEGERS.has(dtypeName(dtypes[i])) ? (head.getColumn(name).cast(STRING).toArray() as (string | null)[]) : null))
  return {
    columns: df.columns,
    rows: head.rows().map((row, r) => row.map((v, c) => (typeof v === 'number' ? exactInteger(toJsonSafe(v) as number | null, digits[c]?.[r]) : toJsonSafe(v))) as JsonValue[]),
  }
}

/** Describe a frame. Statistics are polars aggregations over whole columns (dataset-stats.ts: SQL queries). */
export function describeFrame(df: pl.DataFrame, opts: DescribeOptions = {}): DatasetMeta {
  const {preview = DEFAULT_PREVIEW_ROWS, stats = true} = opts
  return {
    schema: frameSchema(df),
    rows: df.height,
    stats: stats ? columnStatsSync(df) : null,
    preview: framePreview(df, preview),
  }
}

/**
 * The same as describeFrame, with the statistics computed on polars' thread pool: the event loop stays
 * free, so a caller can hash or copy the dataset's file at the same time.
 */
export async function describeFrameAsync(df: pl.DataFrame, opts: DescribeOptions = {}): Promise<DatasetMeta> {
  const {preview = DEFAULT_PREVIEW_ROWS, stats = true} = opts
  const columnStats = stats ? await columnStatsAsync(df) : null
  return {schema: frameSchema(df), rows: df.height, stats: columnStats, preview: framePreview(df, preview)}
}

/** Read a data file (any supported format, whatever it is named) and describe it. */
export function describeFile(path: string, format?: string, opts: DescribeOptions = {}): DatasetMeta {
  return describeFrame(readFrame(path, format), opts)
}
