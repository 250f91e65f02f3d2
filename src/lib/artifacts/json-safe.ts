// Turn values that polars hands back (BigInt, Date, NaN, nested arrays and structs) into plain JSON values.
import type {JsonValue} from '../types.ts'

export function toJsonSafe(value: unknown): JsonValue {
  if (value === null || value === undefined) return null
  switch (typeof value) {
    case 'number':
      return Number.isFinite(value) ? value : null
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString()
    case 'string':
    case 'boolean':
      return value
    case 'object':
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
      if (Array.isArray(value)) return value.map(toJsonSafe)
      if (ArrayBuffer.isView(value)) {
        if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
        return Array.from(value as unknown as ArrayLike<number | bigint>, toJsonSafe)
      }
      if (typeof (value as {toArray?: unknown}).toArray === 'function') {
        // a polars Series nested in a list column
        return toJsonSafe((value as {toArray(): unknown[]}).toArray())
      }
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSafe(v)]))
    default:
      return String(value)
  }
}

/** A number for statistics: finite numbers and safe BigInts; anything else is null. */
export function toFiniteNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'bigint') return Number(value)
  return null
}

/** An integer statistic as results show one: the number when a double holds it exactly, else its digits (a string). */
export function exactInteger(value: number | null, digits: unknown): number | string | null {
  if (value === null || Number.isSafeInteger(value) || typeof digits !== 'string' || !/^-?\d+$/.test(digits)) return value
  return digits
}
