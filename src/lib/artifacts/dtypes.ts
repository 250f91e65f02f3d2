// Short, stable names for polars data types, and which statistics each kind of column gets.
import pl from 'nodejs-polars'

export type ColumnKind = 'numeric' | 'temporal' | 'text' | 'boolean' | 'other'

const NUMERIC = new Set(['Int8', 'Int16', 'Int32', 'Int64', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'Float32', 'Float64', 'Decimal'])
const TEMPORAL = new Set(['Date', 'Datetime'])
const TEXT = new Set(['Utf8', 'String', 'Categorical'])

export function columnKind(dtype: pl.DataType): ColumnKind {
  const variant = dtype.variant as string
  if (NUMERIC.has(variant)) return 'numeric'
  if (TEMPORAL.has(variant)) return 'temporal'
  if (TEXT.has(variant)) return 'text'
  if (variant === 'Bool') return 'boolean'
  return 'other'
}

/** 64-bit integer dtypes, whose values a JavaScript number may not hold exactly (beyond 2^53). */
export const WIDE_INTEGERS = new Set(['Int64', 'UInt64'])

/** `Int64`, `Float64`, `String`, `Boolean`, `Date`, `Datetime(ms)`, `Datetime(us, UTC)`, `List(Int32)`... */
export function dtypeName(dtype: pl.DataType): string {
  if ((dtype.variant as string) === 'Bool') return 'Boolean'
  let name = String(dtype)
  // "DataType(List(DataType(Int32)))" -> "List(Int32)"
  for (let previous = ''; previous !== name; ) {
    previous = name
    name = name.replace(/DataType\(((?:[^()]|\([^()]*\))*)\)/, '$1')
  }
  return name.replace(/,\)/g, ')').replace(/,(?=\S)/g, ', ').replace(/\bBool\b/g, 'Boolean')
}

const SIMPLE_DTYPES: Record<string, pl.DataType> = {
  Int8: pl.Int8, Int16: pl.Int16, Int32: pl.Int32, Int64: pl.Int64, UInt8: pl.UInt8, UInt16: pl.UInt16, UInt32: pl.UInt32,
  UInt64: pl.UInt64, Float32: pl.Float32, Float64: pl.Float64, Boolean: pl.Bool, String: pl.String, Date: pl.Date,
}

/** The polars type a dtypeName() names (`String`, `Int64`, `Datetime(us, UTC)`...), or undefined for others. */
export function dtypeFromName(name: string): pl.DataType | undefined {
  const simple = SIMPLE_DTYPES[name.trim()]
  if (simple) return simple
  const datetime = /^Datetime\((ns|us|ms)(?:,\s*([^)]+))?\)$/.exec(name.trim())
  if (datetime) return pl.Datetime(datetime[1] as 'ns' | 'us' | 'ms', datetime[2]?.trim())
  return undefined
}
