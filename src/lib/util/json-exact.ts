// JSON.parse that keeps integers beyond Number.MAX_SAFE_INTEGER exact. A double rounds them (2**64 would come back
// as 18446744073709552000), so such an integer becomes the string of its digits, as written: still valid JSON
// wherever lode prints or stores it. Other values are what JSON.parse gives.

// Any unsafe integer has at least 16 digits in a row; lines without them (nearly all) skip the slower reviver.
const LONG_DIGITS = /\d{16}/
const INTEGER = /^-?\d+$/

export function parseJsonExact(text: string): unknown {
  return parseKeeping(text, AS_DIGITS)
}

/** An integer literal beyond 2^53 in a param, kept as a BigInt so the param check refuses it instead of rounding it. */
export function parseJsonBigIntegers(text: string): unknown {
  return parseKeeping(text, AS_BIGINT)
}

type Reviver = (key: string, value: unknown) => unknown

function parseKeeping(text: string, reviver: Reviver): unknown {
  return LONG_DIGITS.test(text) ? JSON.parse(text, reviver) : JSON.parse(text)
}

/** The reviver's third argument (Node >= 21: the source text of a primitive) holds the digits the double lost. */
function keepingExactIntegers(keep: (digits: string) => unknown): Reviver {
  return ((_key: string, value: unknown, context?: {source?: string}) =>
    typeof value === 'number' && !Number.isSafeInteger(value) && context?.source !== undefined && INTEGER.test(context.source) ? keep(context.source) : value
  ) as Reviver
}

const AS_DIGITS = keepingExactIntegers((digits) => digits)
const AS_BIGINT = keepingExactIntegers((digits) => BigInt(digits))

/** YAML options under which every integer parses as a BigInt; safeIntegersAsNumbers then keeps only the big ones so. */
export const YAML_BIG_INTEGERS = {intAsBigInt: true} as const

/** value (parsed with YAML_BIG_INTEGERS), in place: BigInts a double holds exactly become numbers again. */
export function safeIntegersAsNumbers<T>(value: T): T {
  const fix = (v: unknown): unknown => (typeof v === 'bigint' && Number.isSafeInteger(Number(v)) ? Number(v) : v)
  const walk = (v: unknown): void => {
    if (v === null || typeof v !== 'object') return
    const record = v as Record<string, unknown>
    for (const key of Object.keys(record)) {
      record[key] = fix(record[key])
      walk(record[key])
    }
  }
  walk(value)
  return fix(value) as T
}
